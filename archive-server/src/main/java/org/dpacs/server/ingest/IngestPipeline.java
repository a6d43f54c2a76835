package org.dpacs.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.FileMetaInformation;
import org.dpacs.dicom.io.ParseResult;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.catalog.QuarantineRecord;
import org.dpacs.server.deid.DeidResult;
import org.dpacs.server.deid.Deidentifier;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.storage.ObjectStore;
import org.dpacs.server.storage.ObjectWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way in: STOW-RS, C-STORE, upload and import all call {@link #ingest}. Parse the header from the
 * stream (pixel data is copied to storage as it arrives, never held), validate, de-identify, write the object
 * durably, record it in the catalog and the index, and only then answer {@link IngestResult.Stored}.
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    private static final int LOCK_STRIPES = 256;
    /** Object key prefix of instances held in quarantine. */
    public static final String QUARANTINE_PREFIX = "quarantine/";

    private final Config config;
    private final ObjectStore store;
    private final Catalog catalog;
    private final GroupCommitter committer;
    private final Deidentifier deidentifier;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    public IngestPipeline(Config config, ObjectStore store, Catalog catalog, CommitListener listener) {
        this(config, store, catalog, listener, Deidentifier.none());
    }

    /** {@code deidentifier} is the de-identification step ({@link Deidentifier#none()} stores headers unchanged). */
    public IngestPipeline(Config config, ObjectStore store, Catalog catalog, CommitListener listener,
                          Deidentifier deidentifier) {
        this.config = config;
        this.store = store;
        this.catalog = catalog;
        this.deidentifier = deidentifier;
        this.committer = new GroupCommitter(catalog, listener);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Stores one object; blocks until it is durable. Never throws for bad input: that is a {@code Rejected}. */
    public IngestResult ingest(IngestRequest request) {
        try {
            return doIngest(request);
        } catch (DicomParseException e) {
            return rejected(FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND,
                    "Not a readable DICOM object: " + e.getMessage(), Attributes.EMPTY);
        } catch (DpacsException e) {
            return rejected(e.kind(), reasonFor(e.kind()), e.getMessage(), Attributes.EMPTY);
        } catch (IOException e) {
            if (e.getCause() instanceof DpacsException d && d.kind() == FailureKind.OUT_OF_RESOURCES) {
                return rejected(FailureKind.OUT_OF_RESOURCES, FailureReason.OUT_OF_RESOURCES, e.getMessage(),
                        Attributes.EMPTY);
            }
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                return rejected(FailureKind.OUT_OF_RESOURCES, FailureReason.OUT_OF_RESOURCES,
                        "Storage is full; free space or add storage, then retry", Attributes.EMPTY);
            }
            LOG.error("Ingest from {} failed with an I/O error", request.source(), e);
            return rejected(FailureKind.PROCESSING_FAILURE, FailureReason.PROCESSING_FAILURE,
                    "Storing failed with an I/O error (" + e.getMessage() + "); retry later", Attributes.EMPTY);
        } catch (RuntimeException e) {
            LOG.error("Ingest from {} failed", request.source(), e);
            return rejected(FailureKind.PROCESSING_FAILURE, FailureReason.PROCESSING_FAILURE,
                    "Storing failed unexpectedly; the server log has details", Attributes.EMPTY);
        }
    }

    private IngestResult doIngest(IngestRequest request) throws IOException {
        try (DicomReader reader = new DicomReader(request.input(), request.source().toString(),
                ReadOptions.DEFAULT.withStopAt(Tag.PixelData).withMaxBytes(config.maxHeaderBytes()))) {
            return ingestWith(reader, request);
        }
    }

    private IngestResult ingestWith(DicomReader reader, IngestRequest request) throws IOException {
        AttributesCollector collected = new AttributesCollector();
        ParseResult parsed;
        try {
            parsed = reader.parse(collected);
        } catch (DicomParseException e) {
            // What was read before the damage usually names the instance, so the answer can say which one failed.
            return rejected(FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND,
                    "Not a readable DICOM object: " + e.getMessage(), partial(collected));
        }
        Attributes header = collected.dataset();
        Validator.Result validation = Validator.validate(parsed.fileMetaInformation(), header,
                request.expectedStudyInstanceUid());
        if (!validation.isValid()) {
            return validation.studyMismatch()
                    ? rejected(FailureKind.STUDY_MISMATCH, FailureReason.STUDY_INSTANCE_UID_MISMATCH,
                            String.join("; ", validation.errors()), header)
                    : rejected(FailureKind.INVALID_DATASET, FailureReason.DATASET_DOES_NOT_MATCH,
                            String.join("; ", validation.errors()), header);
        }
        // Warnings answer 202 with Warning Reason B000 (coercion of data elements, PS3.18 Table I.2-1), so only
        // changes to stored values belong there. Repairs of the encoding (File Meta rewritten, deflate inflated,
        // odd lengths padded) change no value: they are notes for the log.
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>(validation.warnings());
        notes.addAll(parsed.warnings());
        TransferSyntax ts = parsed.transferSyntax();
        if (ts.deflated()) {
            // The inflated rest of the stream is explicit VR LE (PS3.5 A.5), so storing inflated keeps streaming.
            ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
            notes.add("Deflated Explicit VR Little Endian was stored as Explicit VR Little Endian");
        }
        // De-identification sees the header only; pixel data is streamed to storage unchanged.
        DeidResult deid = deidentifier.deidentify(header, request.source());
        if (deid instanceof DeidResult.Refused refused) {
            return rejected(FailureKind.INVALID_DATASET, FailureReason.DATASET_DOES_NOT_MATCH, refused.reason(),
                    header);
        }
        DeidResult.Deidentified deidentified = (DeidResult.Deidentified) deid;
        warnings.addAll(deidentified.warnings());
        Attributes stored = deidentified.attributes();
        String study = stored.string(Tag.StudyInstanceUID).orElseThrow();
        String series = stored.string(Tag.SeriesInstanceUID).orElseThrow();
        String sop = stored.string(Tag.SOPInstanceUID).orElseThrow();
        boolean held = deidentified.hold().isPresent();
        // Held instances live under their own prefix, so no listing of the published tree ever meets them.
        String key = (held ? QUARANTINE_PREFIX : "") + study + "/" + series + "/" + sop + ".dcm";

        ReentrantLock lock = locks[Math.floorMod(sop.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            InstanceRecord record;
            Attributes tail = Attributes.EMPTY;
            try (ObjectWrite write = store.begin(key)) {
                MessageDigest sha = sha256();
                DigestOutputStream out = new DigestOutputStream(write.stream(), sha);
                DicomWriter.writeFile(out, FileMetaInformation.of(stored, ts.uid()), stored, ts,
                        WriteOptions.DEFAULT);
                if (parsed.stopped()) {
                    try {
                        tail = PixelDataTail.copy(reader.remainingInput(), out, ts, request.source().toString(),
                                trailing -> deidentifier.deidentifyTrailing(header, trailing, request.source()),
                                config.maxHeaderBytes());
                    } catch (DicomParseException e) {
                        // The header was fine, so the answer can name the instance whose pixel data is broken.
                        return rejected(FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND,
                                "Not a readable DICOM object: " + e.getMessage(), stored);
                    }
                }
                out.flush();
                String digest = HexFormat.of().formatHex(sha.digest());
                // A held instance that is already published (released earlier, or sent again) is a duplicate too.
                Optional<InstanceRecord> existing = catalog.instance(sop);
                if (existing.isPresent()) {
                    if (existing.get().sha256().equals(digest)) {
                        return new IngestResult.Duplicate(existing.get(), deidentified.original());
                    }
                    if (!config.overwrite()) {
                        return rejected(FailureKind.DUPLICATE_CONFLICT, FailureReason.DUPLICATE_SOP_INSTANCE,
                                "A different object is already stored as SOP Instance " + sop
                                        + "; give the new object its own SOP Instance UID "
                                        + "(or set dpacs.store.overwrite=true to replace)", stored);
                    }
                    if (!held) {
                        warnings.add("Replaced the object previously stored under this SOP Instance UID");
                    }
                }
                if (held) {
                    write.commit();
                    QuarantineRecord hold = new QuarantineRecord(sop, study, series,
                            stored.string(Tag.SOPClassUID).orElseThrow(), ts.uid(), key, write.size(), digest,
                            deidentified.hold().get(), request.source().toString(), Instant.now());
                    catalog.hold(hold);
                    LOG.warn("Held {} from {} in quarantine: {}", sop, request.source(), hold.reason());
                    return new IngestResult.Quarantined(hold, List.copyOf(warnings), deidentified.original());
                }
                write.commit();
                record = InstanceRecord.pending(study, series, sop, stored.string(Tag.SOPClassUID).orElseThrow(),
                        ts.uid(), key, write.size(), digest);
            }
            // The index needs pixel data (as a reference) and what follows it, for BulkDataURIs in metadata.
            InstanceRecord committed = awaitCommit(record, merge(stored, tail));
            if (!notes.isEmpty()) {
                LOG.info("Stored {} from {} with repairs: {}", sop, request.source(), String.join("; ", notes));
            }
            return new IngestResult.Stored(committed, stored, List.copyOf(warnings), deidentified.original());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} holding the lock the pipeline takes for {@code sopInstanceUid}, so nothing stores that
     * instance meanwhile (the lock is reentrant: {@code action} may ingest it).
     */
    public <T> T withInstanceLock(String sopInstanceUid, LockedAction<T> action) throws IOException {
        ReentrantLock lock = locks[Math.floorMod(sopInstanceUid.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #withInstanceLock} runs. */
    public interface LockedAction<T> {
        T run() throws IOException;
    }

    private static Attributes partial(AttributesCollector collected) {
        try {
            return collected.dataset();
        } catch (RuntimeException e) {
            return Attributes.EMPTY; // the UIDs are a courtesy; the rejection stands without them
        }
    }

    private static Attributes merge(Attributes header, Attributes tail) {
        if (tail.isEmpty()) {
            return header;
        }
        Attributes.Builder b = header.toBuilder();
        for (int i = 0; i < tail.size(); i++) {
            b.set(tail.tagAt(i), tail.vrAt(i), tail.valueAt(i));
        }
        return b.build();
    }

    private InstanceRecord awaitCommit(InstanceRecord record, Attributes header) {
        try {
            return committer.submit(record, header).join();
        } catch (CompletionException e) {
            throw new DpacsException(FailureKind.PROCESSING_FAILURE,
                    "The object was written but recording it in the catalog failed; retry the store", e.getCause());
        }
    }

    private static IngestResult rejected(FailureKind kind, int reason, String message, Attributes header) {
        return new IngestResult.Rejected(kind, reason, message, header.string(Tag.SOPClassUID),
                header.string(Tag.SOPInstanceUID));
    }

    private static int reasonFor(FailureKind kind) {
        return switch (kind) {
            case OUT_OF_RESOURCES -> FailureReason.OUT_OF_RESOURCES;
            case INVALID_DATASET -> FailureReason.DATASET_DOES_NOT_MATCH;
            case STUDY_MISMATCH -> FailureReason.STUDY_INSTANCE_UID_MISMATCH;
            case DUPLICATE_CONFLICT -> FailureReason.DUPLICATE_SOP_INSTANCE;
            case CANNOT_UNDERSTAND, BAD_REQUEST -> FailureReason.CANNOT_UNDERSTAND;
            default -> FailureReason.PROCESSING_FAILURE;
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        committer.close();
    }
}
