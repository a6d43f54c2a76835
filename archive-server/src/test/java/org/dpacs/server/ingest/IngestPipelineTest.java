package org.dpacs.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.storage.FileObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPipelineTest {
    private static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @TempDir
    Path dir;
    private FileObjectStore store;
    private H2Catalog catalog;
    private IngestPipeline pipeline;
    private final List<CommitListener.Committed> indexed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        store = new FileObjectStore(dir.resolve("objects"));
        catalog = new H2Catalog(dir.resolve("catalog"));
        pipeline = new IngestPipeline(Config.defaults().withDataDir(dir), store, catalog, indexed::addAll);
    }

    @AfterEach
    void stop() throws IOException {
        pipeline.close();
        catalog.close();
        store.close();
    }

    private static byte[] sample(String name) throws IOException {
        Path p = SAMPLES.resolve(name);
        Assumptions.assumeTrue(Files.exists(p), "pydicom sample files not installed");
        return Files.readAllBytes(p);
    }

    private IngestResult ingest(byte[] bytes) {
        return pipeline.ingest(IngestRequest.of(new ByteArrayInputStream(bytes), "test"));
    }

    @Test
    void storesAnInstanceDurablyWithItsPixelDataUnchanged() throws IOException {
        byte[] original = sample("CT_small.dcm");
        IngestResult result = ingest(original);

        assertThat(result).isInstanceOf(IngestResult.Stored.class);
        var record = ((IngestResult.Stored) result).record();
        assertThat(record.seq()).isPositive();
        assertThat(catalog.instance(record.sopInstanceUid())).contains(record);
        assertThat(indexed).extracting(c -> c.record().sopInstanceUid()).containsExactly(record.sopInstanceUid());

        DicomFile in = DicomReader.read(new ByteArrayInputStream(original), "original", ReadOptions.EVERYTHING);
        DicomFile out;
        try (InputStream s = store.open(record.objectKey())) {
            out = DicomReader.read(s, "stored", ReadOptions.EVERYTHING);
        }
        assertThat(out.dataset()).isEqualTo(in.dataset());
        assertThat(out.parse().transferSyntax().uid()).isEqualTo(in.parse().transferSyntax().uid());
    }

    /** An image with identifying private attributes after its pixel data, where some writers put them. */
    private static byte[] withTrailingIdentity(byte[] pixels) throws IOException {
        Attributes ds = new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.4.5.6.7.1")
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.4.5")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.4.5.6")
                .setString(Tag.PatientName, Vr.PN, "Doe^Trailing")
                .setString(Tag.PatientID, Vr.LO, "PID-TRAILING")
                .setInts(Tag.Rows, Vr.US, 4)
                .setInts(Tag.Columns, Vr.US, pixels.length / 8)
                .setInts(Tag.BitsAllocated, Vr.US, 16)
                .set(Tag.PixelData, Vr.OW, pixels)
                .setString(0x7FE10010, Vr.LO, "ACME PRIVATE")
                .setString(0x7FE11001, Vr.LO, "Doe^Trailing PID-TRAILING")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.DEFAULT);
        return out.toByteArray();
    }

    @Test
    void attributesAfterPixelDataAreStoredAndPixelDataIsCopiedExactly() throws IOException {
        // Larger than the copy's look-ahead lag, so the boundary logic is exercised, not just the buffer.
        byte[] pixels = new byte[4 * 1024 * 1024];
        new java.util.Random(5).nextBytes(pixels);
        IngestResult result = ingest(withTrailingIdentity(pixels));
        var record = ((IngestResult.Stored) result).record();
        DicomFile out;
        try (InputStream s = store.open(record.objectKey())) {
            out = DicomReader.read(s, "stored", ReadOptions.EVERYTHING);
        }
        assertThat(out.dataset().bytes(Tag.PixelData)).hasValue(pixels);
        assertThat(out.dataset().string(0x7FE11001)).hasValue("Doe^Trailing PID-TRAILING");
    }

    @Test
    void deidentificationReachesAttributesAfterPixelData() throws IOException {
        pipeline.close();
        pipeline = new IngestPipeline(Config.defaults().withDataDir(dir), store, catalog, indexed::addAll,
                org.dpacs.server.deid.Deidentifier.create(
                        org.dpacs.server.deid.DeidSettings.basic("a-secret-for-the-tests-only"), dir));
        byte[] pixels = new byte[PixelDataTail.LAG + 12_344];
        new java.util.Random(6).nextBytes(pixels);
        IngestResult result = ingest(withTrailingIdentity(pixels));
        assertThat(result).as(result.toString()).isInstanceOf(IngestResult.Stored.class);
        var record = ((IngestResult.Stored) result).record();
        byte[] stored;
        try (InputStream s = store.open(record.objectKey())) {
            stored = s.readAllBytes();
        }
        String text = new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("Trailing").doesNotContain("PID-TRAILING");
        DicomFile out = DicomReader.read(new ByteArrayInputStream(stored), "stored", ReadOptions.EVERYTHING);
        byte[] got = out.dataset().bytes(Tag.PixelData).orElseThrow();
        assertThat(got.length).isEqualTo(pixels.length);
        assertThat(java.util.Arrays.mismatch(got, pixels)).as("first differing byte").isEqualTo(-1);
        assertThat(out.dataset().contains(0x7FE11001)).isFalse();
    }

    @Test
    void resendingTheSameObjectIsAnIdempotentDuplicate() throws IOException {
        byte[] original = sample("MR_small.dcm");
        IngestResult first = ingest(original);
        IngestResult again = ingest(original);

        assertThat(again).isInstanceOfSatisfying(IngestResult.Duplicate.class,
                d -> assertThat(d.record()).isEqualTo(((IngestResult.Stored) first).record()));
        assertThat(catalog.count()).isEqualTo(1);
    }

    @Test
    void aDifferentObjectUnderTheSameUidIsAConflictAndKeepsTheFirst() throws IOException {
        byte[] original = sample("MR_small.dcm");
        var stored = (IngestResult.Stored) ingest(original);
        Attributes changed = read(original).toBuilder().setString(Tag.PatientName, Vr.PN, "Other^Patient").build();

        IngestResult result = ingest(write(changed, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

        assertThat(result).isInstanceOfSatisfying(IngestResult.Rejected.class, r -> {
            assertThat(r.kind()).isEqualTo(FailureKind.DUPLICATE_CONFLICT);
            assertThat(r.failureReason()).isEqualTo(FailureReason.DUPLICATE_SOP_INSTANCE);
        });
        try (InputStream s = store.open(stored.record().objectKey())) {
            assertThat(DicomReader.read(s, "kept", ReadOptions.DEFAULT).dataset().string(Tag.PatientName))
                    .isEqualTo(read(original).string(Tag.PatientName));
        }
    }

    @Test
    void aStudyScopedStoreRejectsAnotherStudy() throws IOException {
        IngestResult result = pipeline.ingest(new IngestRequest(new ByteArrayInputStream(sample("CT_small.dcm")),
                org.dpacs.server.access.Origin.of("test"), Optional.of("1.2.3.4")));
        assertThat(result).isInstanceOfSatisfying(IngestResult.Rejected.class, r -> {
            assertThat(r.kind()).isEqualTo(FailureKind.STUDY_MISMATCH);
            assertThat(r.failureReason()).isEqualTo(FailureReason.STUDY_INSTANCE_UID_MISMATCH);
            assertThat(r.message()).contains("1.2.3.4");
            assertThat(r.sopInstanceUid()).isPresent();
        });
        assertThat(catalog.count()).isZero();
    }

    @Test
    void garbageIsRejectedAsCannotUnderstand() {
        IngestResult result = ingest("this is not DICOM at all, just text".getBytes());
        assertThat(result).isInstanceOfSatisfying(IngestResult.Rejected.class, r -> {
            assertThat(r.kind()).isEqualTo(FailureKind.CANNOT_UNDERSTAND);
            assertThat(r.failureReason()).isEqualTo(FailureReason.CANNOT_UNDERSTAND);
        });
    }

    @Test
    void missingUidsAreRejectedNamingTheAttribute() throws IOException {
        Attributes noSeries = read(sample("CT_small.dcm")).toBuilder().remove(Tag.SeriesInstanceUID).build();
        IngestResult result = ingest(write(noSeries, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertThat(result).isInstanceOfSatisfying(IngestResult.Rejected.class, r -> {
            assertThat(r.kind()).isEqualTo(FailureKind.INVALID_DATASET);
            assertThat(r.failureReason()).isEqualTo(FailureReason.DATASET_DOES_NOT_MATCH);
            assertThat(r.message()).contains("SeriesInstanceUID");
        });
    }

    @Test
    void truncatedPixelDataIsRejectedAndNothingIsStored() throws IOException {
        byte[] original = sample("CT_small.dcm");
        byte[] truncated = java.util.Arrays.copyOf(original, original.length - 1000);
        IngestResult result = ingest(truncated);
        assertThat(result).isInstanceOf(IngestResult.Rejected.class);
        assertThat(catalog.count()).isZero();
        try (var keys = store.list("")) {
            assertThat(keys.toList()).isEmpty();
        }
    }

    @Test
    void deflatedInputIsStoredInflatedWithTheSameAttributes() throws IOException {
        byte[] deflated = sample("image_dfl.dcm");
        IngestResult result = ingest(deflated);
        assertThat(result).isInstanceOfSatisfying(IngestResult.Stored.class, s -> {
            assertThat(s.record().transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
            // Inflating changes no value, so it is no coercion warning (the STOW-RS answer stays 200).
            assertThat(s.warnings()).isEmpty();
        });
        var record = ((IngestResult.Stored) result).record();
        try (InputStream s = store.open(record.objectKey())) {
            assertThat(DicomReader.read(s, "stored", ReadOptions.EVERYTHING).dataset())
                    .isEqualTo(DicomReader.read(new ByteArrayInputStream(deflated), "in", ReadOptions.EVERYTHING)
                            .dataset());
        }
    }

    @Test
    void concurrentIngestsAreAllCommittedThroughGroupCommit() throws Exception {
        Attributes base = read(sample("CT_small.dcm"));
        int threads = 8;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<IngestResult>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                String sop = "1.2.826.0.1.3680043.10.9999." + t + "." + i;
                byte[] bytes = write(base.toBuilder().setString(Tag.SOPInstanceUID, Vr.UI, sop).build(),
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                futures.add(pool.submit(() -> ingest(bytes)));
            }
        }
        for (Future<IngestResult> f : futures) {
            assertThat(f.get()).isInstanceOf(IngestResult.Stored.class);
        }
        pool.shutdown();
        assertThat(catalog.count()).isEqualTo(threads * perThread);
        assertThat(indexed).hasSize(threads * perThread);
    }

    private static Attributes read(byte[] bytes) throws IOException {
        return DicomReader.read(new ByteArrayInputStream(bytes), "sample", ReadOptions.EVERYTHING).dataset();
    }

    private static byte[] write(Attributes ds, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, ts, WriteOptions.DEFAULT);
        return out.toByteArray();
    }
}
