package org.dpacs.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.catalog.QuarantineRecord;
import org.dpacs.server.deid.BurnedInPolicy;
import org.dpacs.server.deid.DeidSettings;
import org.dpacs.server.deid.Deidentifier;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.storage.FileObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quarantine through the real pipeline, file store and H2 catalog: held, survives a restart, released, deleted. */
class QuarantineTest {
    private static final String SECRET = "quarantine-test-secret-0123456789";

    @TempDir
    Path dir;
    private FileObjectStore store;
    private H2Catalog catalog;
    private IngestPipeline pipeline;
    private final List<CommitListener.Committed> indexed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws IOException {
        store = new FileObjectStore(dir.resolve("objects"));
        catalog = new H2Catalog(dir.resolve("catalog"));
        pipeline = new IngestPipeline(Config.defaults().withDataDir(dir), store, catalog, indexed::addAll,
                Deidentifier.create(DeidSettings.basic(SECRET).withBurnedIn(BurnedInPolicy.QUARANTINE), dir));
    }

    @AfterEach
    void close() throws IOException {
        pipeline.close();
        catalog.close();
        store.close();
    }

    private static byte[] secondaryCapture(String sop) throws IOException {
        byte[] pixels = new byte[64 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        Attributes ds = new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.7")
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.9.1")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.9.2")
                .setString(Tag.PatientName, Vr.PN, "Quarantina^Quinn")
                .setString(Tag.PatientID, Vr.LO, "Q-PID-777")
                .setInts(Tag.Rows, Vr.US, 64)
                .setInts(Tag.Columns, Vr.US, 64)
                .setInts(Tag.BitsAllocated, Vr.US, 8)
                .setInts(0x00280101, Vr.US, 8)
                .setInts(0x00280102, Vr.US, 7)
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setInts(Tag.PixelRepresentation, Vr.US, 0)
                .setString(0x00280004, Vr.CS, "MONOCHROME2")
                .set(Tag.PixelData, Vr.OB, pixels)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        return out.toByteArray();
    }

    private IngestResult ingest(byte[] bytes) {
        return pipeline.ingest(IngestRequest.of(new ByteArrayInputStream(bytes), "test"));
    }

    @Test
    void aHeldInstanceIsDurableUnpublishedAndReleasedIntoTheArchive() throws IOException {
        byte[] sent = secondaryCapture("1.2.3.9.3");
        IngestResult result = ingest(sent);
        assertThat(result).isInstanceOf(IngestResult.Quarantined.class);
        QuarantineRecord held = ((IngestResult.Quarantined) result).record();
        assertThat(held.sopInstanceUid()).startsWith("2.25.");
        assertThat(held.objectKey()).startsWith(IngestPipeline.QUARANTINE_PREFIX);
        assertThat(held.reason()).contains("1.2.840.10008.5.1.4.1.1.7").contains("burned-in");
        assertThat(catalog.instance(held.sopInstanceUid())).as("not published").isEmpty();
        assertThat(indexed).as("not indexed").isEmpty();

        // Survives a restart.
        close();
        open();
        Quarantine quarantine = new Quarantine(store, catalog, pipeline);
        assertThat(quarantine.list()).extracting(QuarantineRecord::sopInstanceUid)
                .containsExactly(held.sopInstanceUid());
        Attributes stored;
        try (InputStream in = quarantine.open(quarantine.held(held.sopInstanceUid()))) {
            stored = DicomReader.read(in, "held", ReadOptions.EVERYTHING).dataset();
        }
        assertThat(stored.string(Tag.PatientID)).hasValueSatisfying(id -> assertThat(id).startsWith("DPACS-"));
        byte[] sentPixels = DicomReader.read(new ByteArrayInputStream(sent), "sent", ReadOptions.EVERYTHING)
                .dataset().bytes(Tag.PixelData).orElseThrow();
        assertThat(stored.bytes(Tag.PixelData)).hasValueSatisfying(p -> assertThat(Arrays.equals(p, sentPixels))
                .isTrue());

        IngestResult released = quarantine.release(held.sopInstanceUid(), "admin");
        assertThat(released).isInstanceOfSatisfying(IngestResult.Stored.class, s -> {
            // Not de-identified a second time: the UIDs are those it was held under.
            assertThat(s.record().sopInstanceUid()).isEqualTo(held.sopInstanceUid());
            assertThat(s.record().studyInstanceUid()).isEqualTo(held.studyInstanceUid());
            assertThat(s.record().objectKey()).doesNotStartWith(IngestPipeline.QUARANTINE_PREFIX);
        });
        assertThat(catalog.instance(held.sopInstanceUid())).isPresent();
        assertThat(indexed).hasSize(1);
        assertThat(quarantine.list()).isEmpty();
        assertThat(store.head(held.objectKey())).isEmpty();
        assertThatThrownBy(() -> quarantine.release(held.sopInstanceUid(), "admin"))
                .isInstanceOf(DpacsException.class).hasMessageContaining("No instance");
    }

    @Test
    void aReleasedInstanceSentAgainIsADuplicateNotANewHold() throws IOException {
        byte[] sent = secondaryCapture("1.2.3.9.5");
        QuarantineRecord held = ((IngestResult.Quarantined) ingest(sent)).record();
        Quarantine quarantine = new Quarantine(store, catalog, pipeline);
        quarantine.release(held.sopInstanceUid(), "admin");
        // The modality retries: the same instance, de-identified the same way, is already published.
        assertThat(ingest(sent)).isInstanceOfSatisfying(IngestResult.Duplicate.class, d -> {
            assertThat(d.record().sopInstanceUid()).isEqualTo(held.sopInstanceUid());
            // Coerced again on the way in, as the first time: the sender gets the same original values back.
            assertThat(d.deidentified()).isTrue();
            assertThat(d.original().string(Tag.PatientID)).contains("Q-PID-777");
        });
        assertThat(quarantine.list()).isEmpty();
    }

    @Test
    void heldObjectsThatNoHoldListsAreSweptAndAHoldWithoutItsObjectCanBeDeleted() throws IOException {
        QuarantineRecord kept = ((IngestResult.Quarantined) ingest(secondaryCapture("1.2.3.9.6"))).record();
        QuarantineRecord orphan = ((IngestResult.Quarantined) ingest(secondaryCapture("1.2.3.9.7"))).record();
        catalog.unhold(orphan.sopInstanceUid()); // as if the ingest had died before recording its hold
        Quarantine quarantine = new Quarantine(store, catalog, pipeline);
        assertThat(quarantine.sweepOrphans()).isEqualTo(1);
        assertThat(store.head(orphan.objectKey())).isEmpty();
        assertThat(store.head(kept.objectKey())).isPresent();

        store.delete(kept.objectKey()); // as if a delete had died between the object and the hold
        assertThatThrownBy(() -> quarantine.open(kept)).isInstanceOf(DpacsException.class)
                .hasMessageContaining("removes the hold");
        quarantine.delete(kept.sopInstanceUid(), "admin");
        assertThat(quarantine.list()).isEmpty();
    }

    @Test
    void aDeletedHoldLeavesNothingBehind() throws IOException {
        QuarantineRecord held = ((IngestResult.Quarantined) ingest(secondaryCapture("1.2.3.9.4"))).record();
        Quarantine quarantine = new Quarantine(store, catalog, pipeline);
        quarantine.delete(held.sopInstanceUid(), "admin");
        assertThat(quarantine.list()).isEmpty();
        assertThat(store.head(held.objectKey())).isEmpty();
        assertThat(catalog.instance(held.sopInstanceUid())).isEmpty();
    }
}
