package org.dpacs.server.dimse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ForwardingHandler;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.PresentationContext;
import org.dpacs.dicom.net.dimse.Command;
import org.dpacs.dicom.net.dimse.StoreScu;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.storage.ObjectStore;

/**
 * Sends stored objects as C-STORE sub-operations (C-GET on the requestor's association, C-MOVE on one to the
 * destination): the data set is streamed from the object store, as stored when the association accepted the
 * object's SOP class in its transfer syntax, otherwise re-encoded element by element between native syntaxes.
 * Compressed objects go only as they are stored: dPACS has no codecs.
 */
final class InstanceSender {
    private static final int PREAMBLE_AND_MAGIC = 132;
    /** (0002,0000) UL in explicit VR little endian: tag, VR, 2-byte length, 4-byte value. */
    private static final int GROUP_LENGTH_ELEMENT = 12;
    private static final int TRANSCODE_BULK_THRESHOLD = 64 * 1024;

    private final ObjectStore store;

    InstanceSender(ObjectStore store) {
        this.store = store;
    }

    /** Why a sub-operation could not even start (no acceptable presentation context). */
    static final class NotSendable extends Exception {
        NotSendable(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code r} with {@code scu} over {@code association}; returns the C-STORE-RSP. The object is opened
     * before the C-STORE-RQ goes out, so a missing object is {@link NotSendable} and the association stays usable.
     */
    Command send(StoreScu scu, Association association, InstanceRecord r) throws IOException, NotSendable {
        String stored = r.transferSyntaxUid();
        boolean asStored = association.contextFor(r.sopClassUid(), stored).isPresent();
        Optional<PresentationContext> nativeContext = !asStored && TransferSyntax.of(stored).isNative()
                ? association.contexts().stream().filter(pc -> pc.abstractSyntax().equals(r.sopClassUid())
                        && pc.transferSyntax().isNative()).findFirst()
                : Optional.empty();
        if (!asStored && nativeContext.isEmpty()) {
            throw new NotSendable("No presentation context for " + r.sopClassUid() + " in " + stored
                    + (TransferSyntax.of(stored).isNative() ? " or another uncompressed syntax" : "")
                    + " was accepted");
        }
        InputStream in;
        try {
            in = store.open(r.objectKey());
        } catch (DpacsException e) {
            throw new NotSendable("Stored object " + r.objectKey() + " cannot be opened: " + e.getMessage());
        }
        try (in) {
            if (asStored) {
                skipHeader(r, in);
                return scu.store(r.sopClassUid(), r.sopInstanceUid(), stored, in::transferTo);
            }
            TransferSyntax target = nativeContext.get().transferSyntax();
            return scu.store(r.sopClassUid(), r.sopInstanceUid(), target.uid(), out -> transcode(r, in, target, out));
        }
    }

    /** Skips the preamble and File Meta Information: what follows is the data set, as stored. */
    private static void skipHeader(InstanceRecord r, InputStream in) throws IOException, NotSendable {
        byte[] head = in.readNBytes(PREAMBLE_AND_MAGIC + GROUP_LENGTH_ELEMENT);
        if (head.length < PREAMBLE_AND_MAGIC + GROUP_LENGTH_ELEMENT
                || !new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM")
                || head[132] != 2 || head[133] != 0 || head[134] != 0 || head[135] != 0) {
            throw new NotSendable("Stored object " + r.objectKey() + " does not start with a Part 10 header");
        }
        long groupLength = (head[140] & 0xFFL) | (head[141] & 0xFFL) << 8 | (head[142] & 0xFFL) << 16
                | (head[143] & 0xFFL) << 24;
        in.skipNBytes(groupLength);
    }

    /**
     * Parse events of the stored object go straight to a writer in {@code target}; values above 64 KiB (pixel
     * data) stay in the store and are copied by range reads, so memory stays flat.
     */
    private void transcode(InstanceRecord r, InputStream in, TransferSyntax target, OutputStream out)
            throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        WriteOptions options = WriteOptions.DEFAULT.withResolver(
                ref -> store.openRange(ref.source(), ref.offset(), ref.length()));
        DicomWriter writer = DicomWriter.forEvents(buffered, target, options);
        new DicomReader(in, r.objectKey(), ReadOptions.DEFAULT.withBulkThreshold(TRANSCODE_BULK_THRESHOLD))
                .parse(new Forward(writer, target));
        buffered.flush();
    }

    /** Every data set event to the writer; the File Meta Information stays behind. */
    private static final class Forward extends ForwardingHandler {
        private final TransferSyntax syntax;

        Forward(DicomWriter writer, TransferSyntax syntax) {
            super(writer);
            this.syntax = syntax;
        }

        @Override
        public void fileMetaInformation(Attributes fmi) {
        }

        @Override
        public void startDataset(TransferSyntax source) throws IOException {
            target.startDataset(syntax);
        }
    }

    static List<String> nativeSyntaxes(String stored) {
        TransferSyntax ts = TransferSyntax.of(stored);
        if (!ts.isNative()) {
            return List.of(stored);
        }
        List<String> out = new java.util.ArrayList<>(List.of(stored));
        for (String n : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())) {
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
