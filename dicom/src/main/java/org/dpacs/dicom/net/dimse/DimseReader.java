package org.dpacs.dicom.net.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.PresentationContext;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.PduException;
import org.dpacs.dicom.net.pdu.Pdv;

/**
 * Reads DIMSE messages from an association: the command set is gathered from its fragments (bounded, PS3.7 E.1),
 * the data set, if any, is handed out as a stream over the fragments that follow (PS3.8 E.2).
 */
final class DimseReader {
    /** A command set is a few hundred bytes; anything this large is not one. */
    static final int MAX_COMMAND_LENGTH = 64 * 1024;

    private final Association association;

    DimseReader(Association association) {
        this.association = association;
    }

    /** A received message; {@code dataset} is empty when the command has none. Close the stream when done. */
    record Message(PresentationContext context, Command command, InputStream dataset) {
    }

    /** The next message, or empty when the peer released the association or closed the connection. */
    Optional<Message> next() throws IOException {
        Optional<Pdv> first = association.readPdv();
        if (first.isEmpty()) {
            return Optional.empty();
        }
        int contextId = first.get().presentationContextId();
        ByteArrayOutputStream command = new ByteArrayOutputStream(256);
        Pdv pdv = first.get();
        while (true) {
            if (!pdv.isCommand() || pdv.presentationContextId() != contextId) {
                throw association.protocolError(new PduException("Expected a command fragment on presentation context "
                        + contextId + " but got " + pdv, 0, AAbort.UNEXPECTED_PDU_PARAMETER));
            }
            if (command.size() + pdv.data().length > MAX_COMMAND_LENGTH) {
                throw association.protocolError(new PduException("Command set exceeds " + MAX_COMMAND_LENGTH
                        + " bytes", 0, AAbort.INVALID_PDU_PARAMETER_VALUE));
            }
            command.write(pdv.data());
            if (pdv.isLast()) {
                break;
            }
            pdv = association.readPdv().orElseThrow(() -> new IOException("The association with " + association
                    + " ended inside a command set"));
        }
        Command decoded;
        try {
            decoded = Command.decode(command.toByteArray());
        } catch (DicomParseException e) {
            throw association.protocolError(new PduException("Unreadable command set: " + e.getMessage(), 0,
                    AAbort.INVALID_PDU_PARAMETER_VALUE));
        }
        PresentationContext pc = association.context(contextId).orElseThrow();
        InputStream dataset = decoded.hasDataset() ? new PdvInputStream(association, contextId)
                : InputStream.nullInputStream();
        return Optional.of(new Message(pc, decoded, dataset));
    }
}
