package org.dpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.PresentationContext;

/**
 * One request as a {@link DimseHandler} sees it.
 *
 * @param association the association it came on (peer AE title and address, for logs and access rules)
 * @param context     its presentation context: the abstract syntax and the negotiated transfer syntax
 * @param command     the command set
 * @param dataset     the data set, streamed from the PDVs as it is read, in {@link #transferSyntax()}; an empty
 *                    stream when the command has none. Bare: no preamble, no File Meta Information.
 */
public record DimseRequest(Association association, PresentationContext context, Command command,
                           InputStream dataset) {

    public TransferSyntax transferSyntax() {
        return context.transferSyntax();
    }

    /**
     * Sends a pending response (PS3.7 9.3.2.2, 9.3.3.2, 9.3.4.2) before the handler returns its final result:
     * a C-FIND match with its identifier, or the sub-operation counts of C-GET and C-MOVE.
     *
     * @param status        {@link DimseStatus#PENDING} or {@link DimseStatus#PENDING_WARNING}
     * @param commandFields group 0000 elements to add (e.g. the sub-operation counts); may be empty
     * @param identifier    the data set to send with it, written in the context's transfer syntax
     */
    public void sendPending(int status, Attributes commandFields, Optional<Attributes> identifier) throws IOException {
        if (!DimseStatus.isPending(status)) {
            throw new IllegalArgumentException(DimseStatus.toHex(status) + " is not a pending status");
        }
        sendResponse(this, status, Optional.empty(), commandFields, identifier);
    }

    /**
     * True when the peer has sent a C-CANCEL-RQ for this request (PS3.7 9.3.2.3); reads only what has arrived
     * and never blocks. Anything else arriving meanwhile is dropped: without an asynchronous operations window
     * the peer may not send another request before the response. The request's data set is finished first:
     * whatever of it the handler has not read is dropped.
     */
    public boolean cancelRequested() throws IOException {
        dataset.close();
        boolean cancelled = false;
        while (association.hasInput()) {
            Optional<DimseReader.Message> m = new DimseReader(association).next();
            if (m.isEmpty()) {
                throw new IOException("The peer " + association + " ended the association during " + command);
            }
            m.get().dataset().close();
            Command c = m.get().command();
            if (c.field().filter(f -> f == CommandField.C_CANCEL_RQ).isPresent()
                    && c.messageIdBeingRespondedTo() == command.messageId()) {
                cancelled = true;
            } else {
                System.getLogger(DimseRequest.class.getName()).log(System.Logger.Level.INFO,
                        "Dropped {0} from {1}, which arrived during {2}", c, association, command);
            }
        }
        return cancelled;
    }

    /** Writes one response to {@code request}: the command set, then the identifier if there is one. */
    static void sendResponse(DimseRequest request, int status, Optional<String> comment, Attributes commandFields,
                             Optional<Attributes> identifier) throws IOException {
        Command base = Command.response(request.command(), request.context().abstractSyntax(), status, comment);
        Attributes.Builder b = base.attributes().toBuilder();
        for (int i = 0; i < commandFields.size(); i++) {
            b.set(commandFields.tagAt(i), commandFields.vrAt(i), commandFields.valueAt(i));
        }
        if (identifier.isPresent()) {
            b.setInts(CommandTag.CommandDataSetType, org.dpacs.dicom.data.Vr.US, 0x0000);
        }
        DimseWriter.command(request.association(), request.context().id(), new Command(b.build()));
        if (identifier.isPresent()) {
            try (OutputStream out = DimseWriter.dataset(request.association(), request.context().id())) {
                DicomWriter.writeDataset(out, identifier.get(), request.transferSyntax(), WriteOptions.DEFAULT);
            }
        }
    }
}
