package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.net.assoc.AcceptorOptions;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationAcceptor;
import org.dpacs.dicom.net.assoc.AssociationRequestor;
import org.dpacs.dicom.net.dimse.Command;
import org.dpacs.dicom.net.dimse.CommandField;
import org.dpacs.dicom.net.dimse.DimseDispatcher;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.dicom.net.dimse.StoreScu;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.catalog.QuarantineRecord;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** C-STORE into a stand-in pipeline: what the pipeline is handed, and how each outcome is answered. */
class CStoreScpTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final List<TransferSyntax> SYNTAXES = List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);

    private final Map<String, DicomFile> received = new ConcurrentHashMap<>();
    private AssociationAcceptor acceptor;

    /** Parses what the SCP hands over as the pipeline would, then answers by the SOP Instance UID's last part. */
    private final Function<IngestRequest, IngestResult> ingest = rq -> {
        DicomFile f;
        try {
            f = DicomReader.read(rq.input(), rq.source().toString(), ReadOptions.EVERYTHING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sop = f.dataset().string(Tag.SOPInstanceUID).orElseThrow();
        received.put(sop, f);
        InstanceRecord record = InstanceRecord.pending("1", "2", sop, CT, "1.2.840.10008.1.2.1", "k", 1, "x");
        return switch (sop.substring(sop.lastIndexOf('.') + 1)) {
            case "2" -> new IngestResult.Stored(record, f.dataset(), List.of("Patient's Name coerced"));
            case "3" -> new IngestResult.Duplicate(record);
            case "4" -> new IngestResult.Rejected(FailureKind.INVALID_DATASET, 0xA900, "Series UID missing",
                    Optional.of(CT), Optional.of(sop));
            case "5" -> new IngestResult.Rejected(FailureKind.OUT_OF_RESOURCES, 0xA700, "Storage is full",
                    Optional.of(CT), Optional.of(sop));
            case "6" -> new IngestResult.Rejected(FailureKind.CANNOT_UNDERSTAND, 0xC000, "Not DICOM",
                    Optional.empty(), Optional.empty());
            case "7" -> new IngestResult.Rejected(FailureKind.PROCESSING_FAILURE, 0x0110, "I/O error",
                    Optional.empty(), Optional.empty());
            case "9" -> new IngestResult.Duplicate(record, f.dataset());
            case "8" -> new IngestResult.Quarantined(new QuarantineRecord(sop, "1", "2", CT, "1.2.840.10008.1.2.1",
                    "quarantine/k", 1, "x", "burned-in", "test", Instant.now()), List.of("a long warning"),
                    Attributes.EMPTY);
            default -> new IngestResult.Stored(record, f.dataset(), List.of());
        };
    };

    @BeforeEach
    void start() throws IOException {
        DimseSettings settings = new DimseSettings("127.0.0.1", List.of(), 4, false, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        acceptor = AssociationAcceptor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                AcceptorOptions.of("DPACS", DimseServer.capabilities(settings)),
                DimseDispatcher.builder().on(CommandField.C_STORE_RQ, new CStoreScp(ingest)).build());
    }

    @AfterEach
    void stop() {
        acceptor.close(Duration.ofSeconds(2));
    }

    private static Attributes instance(String sop) {
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, CT)
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.PatientName, Vr.PN, "Doe^Jane")
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.4")
                .setInts(Tag.Rows, Vr.US, 2)
                .setInts(Tag.Columns, Vr.US, 2)
                .set(Tag.PixelData, Vr.OW, new byte[]{1, 2, 3, 4, 5, 6, 7, 8})
                .build();
    }

    private Command store(TransferSyntax ts, Attributes ds) throws IOException {
        try (Association a = AssociationRequestor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                acceptor.port()), "MODALITY", "DPACS", List.of(new PresentationContextRq(1, CT, List.of(ts.uid()))),
                AssociationRequestor.Options.DEFAULT)) {
            Command rsp = new StoreScu(a).store(CT, ds.string(Tag.SOPInstanceUID).orElseThrow(), ts.uid(),
                    out -> DicomWriter.writeDataset(out, ds, ts, WriteOptions.DEFAULT));
            a.release();
            return rsp;
        }
    }

    @Test
    void handsThePipelineAPart10StreamWithTheAssociationsFileMetaInformation() throws IOException {
        for (TransferSyntax ts : SYNTAXES) {
            String sop = "1.2.3.4.5." + (SYNTAXES.indexOf(ts) + 10);
            Attributes ds = instance(sop);
            assertThat(store(ts, ds).status()).isEqualTo(DimseStatus.SUCCESS);
            DicomFile f = received.get(sop);
            assertThat(f.dataset()).as(ts.name()).isEqualTo(ds);
            assertThat(f.fileMetaInformation().string(Tag.TransferSyntaxUID)).contains(ts.uid());
            assertThat(f.fileMetaInformation().string(Tag.MediaStorageSOPClassUID)).contains(CT);
            assertThat(f.fileMetaInformation().string(Tag.MediaStorageSOPInstanceUID)).contains(sop);
            assertThat(f.fileMetaInformation().string(Tag.SourceApplicationEntityTitle)).contains("MODALITY");
            assertThat(f.parse().warnings()).isEmpty();
        }
    }

    @Test
    void answersEachPipelineOutcomeWithItsStatus() throws IOException {
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        assertThat(store(ts, instance("1.2.9.1")).status()).isEqualTo(DimseStatus.SUCCESS);
        Command warned = store(ts, instance("1.2.9.2"));
        assertThat(warned.status()).isEqualTo(DimseStatus.WARNING_COERCION);
        assertThat(warned.errorComment()).contains("Patient's Name coerced");
        assertThat(store(ts, instance("1.2.9.3")).status()).isEqualTo(DimseStatus.SUCCESS);
        Command invalid = store(ts, instance("1.2.9.4"));
        assertThat(invalid.status()).isEqualTo(DimseStatus.DATASET_DOES_NOT_MATCH);
        assertThat(invalid.errorComment()).contains("Series UID missing");
        assertThat(invalid.affectedSopInstanceUid()).contains("1.2.9.4");
        assertThat(store(ts, instance("1.2.9.5")).status()).isEqualTo(DimseStatus.OUT_OF_RESOURCES);
        assertThat(store(ts, instance("1.2.9.6")).status()).isEqualTo(DimseStatus.CANNOT_UNDERSTAND);
        assertThat(store(ts, instance("1.2.9.7")).status()).isEqualTo(DimseStatus.PROCESSING_FAILURE);
        // Held, durable: a warning whose comment fits LO's 64 characters whole.
        Command held = store(ts, instance("1.2.9.8"));
        assertThat(held.status()).isEqualTo(DimseStatus.WARNING_COERCION);
        assertThat(held.errorComment()).contains(CStoreScp.QUARANTINED_COMMENT);
        assertThat(CStoreScp.QUARANTINED_COMMENT.length()).isLessThanOrEqualTo(64);
        // A re-send that de-identification coerced again: answered as the first arrival was.
        Command again = store(ts, instance("1.2.9.9"));
        assertThat(again.status()).isEqualTo(DimseStatus.WARNING_COERCION);
        assertThat(again.errorComment()).contains(IngestResult.Duplicate.DEIDENTIFIED_AGAIN);
    }
}
