package org.dpacs.server.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.FileMetaInformation;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.net.dimse.DimseHandler;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseResult;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.server.access.Origin;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;

/**
 * Storage SCP (PS3.4 Annex B): hands the arriving data set, streamed from the PDVs, to the ingest pipeline that
 * STOW-RS uses, and answers with its outcome. The pipeline only answers once the object is durable, so 0000 means
 * stored; refusals map through {@code FailureKind.dimseStatus()}, warnings of a stored object become B000.
 *
 * <p>The pipeline's one input is a Part 10 stream. A DIMSE data set is a Part 10 file without its header, and
 * PS3.10 7.1 fills that header from what the association knows: Media Storage SOP Class and Instance from the
 * command, the transfer syntax of the presentation context, the calling AE as Source Application Entity Title.
 * So the header is made here and put in front of the data set stream; nothing is copied or held.
 */
final class CStoreScp implements DimseHandler {
    private static final byte[] PREAMBLE_AND_MAGIC = preambleAndMagic();

    /** Error Comment is LO, 64 characters at most (PS3.5 6.2): what the sender must know, in full. */
    static final String QUARANTINED_COMMENT = "Quarantined (burned-in text): not retrievable until released";

    private final Function<IngestRequest, IngestResult> ingest;

    CStoreScp(Function<IngestRequest, IngestResult> ingest) {
        this.ingest = ingest;
    }

    @Override
    public DimseResult handle(DimseRequest request) throws IOException {
        String sopClass = request.command().affectedSopClassUid().orElse(request.context().abstractSyntax());
        String sopInstance = request.command().affectedSopInstanceUid().orElse("");
        Attributes fmi = FileMetaInformation.of(sopClass, sopInstance, request.transferSyntax().uid()).toBuilder()
                .setString(Tag.SourceApplicationEntityTitle, Vr.AE, request.association().callingAeTitle())
                .build();
        InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(header(fmi)), request.dataset());
        Origin origin = Origin.dimse(request.association().callingAeTitle(), request.association().toString());
        IngestResult result = ingest.apply(new IngestRequest(part10, origin, Optional.empty()));
        return switch (result) {
            case IngestResult.Stored s when s.warnings().isEmpty() -> DimseResult.success();
            case IngestResult.Stored s -> new DimseResult.Warning(DimseStatus.WARNING_COERCION,
                    String.join("; ", s.warnings()));
            // An identical re-send, already durable: answered as the first arrival was.
            case IngestResult.Duplicate d when d.deidentified() -> new DimseResult.Warning(
                    DimseStatus.WARNING_COERCION, IngestResult.Duplicate.DEIDENTIFIED_AGAIN);
            case IngestResult.Duplicate d -> DimseResult.success();
            // Durable, so not a failure the SCU should retry; the warning says it is not yet retrievable.
            case IngestResult.Quarantined q -> new DimseResult.Warning(DimseStatus.WARNING_COERCION,
                    QUARANTINED_COMMENT);
            case IngestResult.Rejected r -> new DimseResult.Failure(r.kind().dimseStatus(), r.message());
        };
    }

    /** Preamble, "DICM" and the File Meta Information group with its group length (PS3.10 7.1). */
    static byte[] header(Attributes fmi) throws IOException {
        ByteArrayOutputStream group = new ByteArrayOutputStream(256);
        DicomWriter elements = DicomWriter.forEvents(group, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.DEFAULT);
        for (int i = 0; i < fmi.size(); i++) {
            if (fmi.tagAt(i) != Tag.FileMetaInformationGroupLength && fmi.valueAt(i) instanceof byte[] value) {
                elements.element(fmi.tagAt(i), fmi.vrAt(i), value);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(PREAMBLE_AND_MAGIC.length + 12 + group.size());
        out.write(PREAMBLE_AND_MAGIC);
        int n = group.size();
        DicomWriter.forEvents(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT).element(
                Tag.FileMetaInformationGroupLength, Vr.UL, new byte[]{(byte) n, (byte) (n >>> 8), (byte) (n >>> 16),
                        (byte) (n >>> 24)});
        group.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] preambleAndMagic() {
        byte[] b = new byte[132];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, b, 128, 4);
        return b;
    }
}
