package org.dpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ParseResult;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.PresentationContext;
import org.dpacs.dicom.net.assoc.TransferCapabilities;
import org.dpacs.dicom.net.pdu.PresentationContextRq;

/**
 * The requestor side of C-ECHO and C-STORE (PS3.7 9.1.1, 9.1.5) on an open association. Part 10 files are sent as
 * they are: the bytes after the File Meta Information are streamed, never held, on a context accepted for their
 * SOP class and transfer syntax. Not thread-safe; one request at a time.
 *
 * <pre>{@code
 * List<Path> files = ...;
 * try (Association a = AssociationRequestor.open(address, "DPACS", "PACS", StoreScu.contextsFor(files), options)) {
 *     StoreScu scu = new StoreScu(a);
 *     for (Path f : files) {
 *         Command rsp = scu.store(f);
 *     }
 *     a.release();
 * }
 * }</pre>
 */
public final class StoreScu {
    private final Association association;
    private int nextMessageId = 1;
    private Optional<String> moveOriginatorAeTitle = Optional.empty();
    private int moveOriginatorMessageId;

    public StoreScu(Association association) {
        this.association = association;
    }

    /**
     * Marks every C-STORE-RQ sent from now on as a sub-operation of the C-MOVE {@code moveMessageId} that
     * {@code aeTitle} asked for (PS3.4 C.4.2.3.1).
     */
    public StoreScu moveOriginator(String aeTitle, int moveMessageId) {
        this.moveOriginatorAeTitle = Optional.of(aeTitle);
        this.moveOriginatorMessageId = moveMessageId;
        return this;
    }

    /** Writes a data set onto the stream it is given, in the transfer syntax of the context. */
    @FunctionalInterface
    public interface DatasetWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * What a Part 10 file is sent as: the SOP class and instance of its data set (as the C-STORE-RQ must name them,
     * PS3.7 9.3.1.1; the File Meta Information may disagree), its transfer syntax and where its data set starts.
     */
    public record FileInfo(String sopClassUid, String sopInstanceUid, TransferSyntax transferSyntax,
                           long datasetOffset) {
    }

    /** One presentation context per SOP class and transfer syntax of the files, plus Verification. */
    public static List<PresentationContextRq> contextsFor(Collection<Path> files) throws IOException {
        Set<List<String>> pairs = new LinkedHashSet<>();
        for (Path f : files) {
            FileInfo info = describe(f);
            pairs.add(List.of(info.sopClassUid(), info.transferSyntax().uid()));
        }
        List<PresentationContextRq> out = new ArrayList<>();
        out.add(new PresentationContextRq(1, TransferCapabilities.VERIFICATION,
                List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())));
        int id = 3;
        for (List<String> p : pairs) {
            if (id > 255) {
                throw new IllegalArgumentException("More than 127 SOP class and transfer syntax pairs; "
                        + "send in batches");
            }
            out.add(new PresentationContextRq(id, p.get(0), List.of(p.get(1))));
            id += 2;
        }
        return out;
    }

    /** Reads the File Meta Information of a Part 10 file and its data set up to the SOP Instance UID. */
    public static FileInfo describe(Path file) throws IOException {
        ParseResult parsed;
        AttributesCollector head = new AttributesCollector();
        try (SeekableByteChannel ch = Files.newByteChannel(file);
             DicomReader reader = new DicomReader(ch, file.toString(),
                     ReadOptions.DEFAULT.withStopAt(Tag.SOPInstanceUID + 1))) {
            parsed = reader.parse(head);
        }
        Optional<String> sopClass = head.dataset().string(Tag.SOPClassUID);
        Optional<String> sopInstance = head.dataset().string(Tag.SOPInstanceUID);
        if (parsed.fileMetaInformation().string(Tag.TransferSyntaxUID).isEmpty()) {
            throw new DicomParseException(file + " has no File Meta Information naming its transfer syntax", 0, -1);
        }
        if (sopClass.isEmpty() || sopInstance.isEmpty()) {
            throw new DicomParseException(file + " has no SOP Class UID or SOP Instance UID", parsed.datasetOffset(),
                    -1);
        }
        TransferSyntax ts = parsed.transferSyntax();
        if (!ts.equals(TransferSyntax.of(ts.uid()))) {
            throw new DicomParseException(file + ": the data set is not encoded in its declared transfer syntax "
                    + ts.uid() + "; re-encode it before sending", parsed.datasetOffset(), -1);
        }
        return new FileInfo(sopClass.get(), sopInstance.get(), ts, parsed.datasetOffset());
    }

    /** Sends C-ECHO-RQ and returns the response. */
    public Command echo() throws IOException {
        PresentationContext pc = association.contexts().stream()
                .filter(c -> c.abstractSyntax().equals(TransferCapabilities.VERIFICATION)).findFirst()
                .orElseThrow(() -> new IOException("Verification was not accepted by " + association));
        Command rq = Command.cEchoRq(messageId());
        DimseWriter.command(association, pc.id(), rq);
        return response(rq);
    }

    /** Sends a Part 10 file as it is and returns the C-STORE-RSP. */
    public Command store(Path file) throws IOException {
        FileInfo info = describe(file);
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(info.datasetOffset());
            return store(info.sopClassUid(), info.sopInstanceUid(), info.transferSyntax().uid(), in::transferTo);
        }
    }

    /** Sends C-STORE-RQ with the data set {@code writer} writes, in {@code transferSyntax}; returns the response. */
    public Command store(String sopClassUid, String sopInstanceUid, String transferSyntax, DatasetWriter writer)
            throws IOException {
        PresentationContext pc = association.contextFor(sopClassUid, transferSyntax)
                .orElseThrow(() -> new IOException("No presentation context for " + sopClassUid + " in "
                        + transferSyntax + " was accepted by " + association));
        Command plain = Command.cStoreRq(messageId(), sopClassUid, sopInstanceUid, Command.PRIORITY_MEDIUM);
        Command rq = moveOriginatorAeTitle.map(ae -> plain.withMoveOriginator(ae, moveOriginatorMessageId))
                .orElse(plain);
        DimseWriter.command(association, pc.id(), rq);
        try (OutputStream out = DimseWriter.dataset(association, pc.id())) {
            writer.writeTo(out);
        }
        return response(rq);
    }

    /** Message IDs are US: 1 to 65535, then around again. */
    private int messageId() {
        int id = nextMessageId;
        nextMessageId = id == 0xFFFF ? 1 : id + 1;
        return id;
    }

    private Command response(Command rq) throws IOException {
        DimseReader.Message m = new DimseReader(association).next()
                .orElseThrow(() -> new IOException(association + " ended the association instead of answering " + rq));
        m.dataset().close();
        Command rsp = m.command();
        if (rsp.messageIdBeingRespondedTo() != rq.messageId()
                || rsp.commandFieldCode() != (rq.commandFieldCode() | 0x8000)) {
            throw new IOException("Expected the response to " + rq + " but " + association + " sent " + rsp);
        }
        return rsp;
    }
}
