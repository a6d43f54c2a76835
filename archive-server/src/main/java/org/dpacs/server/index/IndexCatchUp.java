package org.dpacs.server.index;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the derived index up to date with the catalog, which is the truth: every record committed after the
 * index's checkpoint is read back from storage and indexed. Run at start (after a crash the index may lag by
 * up to one index commit) and by {@code reindex} from an emptied index.
 */
public final class IndexCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(IndexCatchUp.class);
    private static final int PAGE = 500;
    /** Same threshold as the ingest tail and metadata: large values stay references (BulkDataURIs). */
    private static final ReadOptions HEADER = ReadOptions.DEFAULT.withBulkThreshold(1024);

    private IndexCatchUp() {
    }

    /** Indexes every catalog record newer than the index checkpoint; returns how many were indexed. */
    public static long run(Catalog catalog, ObjectStore store, StudyIndex index) throws IOException {
        long from = index.checkpoint();
        long target = catalog.maxSeq();
        if (target <= from) {
            return 0;
        }
        LOG.info("Index is behind the catalog (index at seq {}, catalog at {}); indexing the difference", from, target);
        long done = 0;
        long skipped = 0;
        long started = System.nanoTime();
        long after = from;
        while (true) {
            List<InstanceRecord> page = catalog.since(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<IndexedInstance> batch = new ArrayList<>(page.size());
            for (InstanceRecord r : page) {
                try {
                    batch.add(new IndexedInstance(r, header(store, r)));
                } catch (DicomParseException | java.nio.file.NoSuchFileException e) {
                    // Not expected (objects are written before the catalog commit); logged, never fatal.
                    skipped++;
                    LOG.error("Cannot index {} (object {}): {}", r.sopInstanceUid(), r.objectKey(), e.getMessage());
                }
            }
            index.add(batch);
            done += batch.size();
            after = page.getLast().seq();
            if (done % 10_000 < PAGE) {
                LOG.info("Indexed {} instances so far", done);
            }
        }
        index.commit();
        LOG.info("Indexed {} instances in {} ms{}", done, (System.nanoTime() - started) / 1_000_000,
                skipped > 0 ? " (" + skipped + " could not be read, see above)" : "");
        return done;
    }

    /** Empties the index and rebuilds it from the catalog and the stored objects. */
    public static long rebuild(Catalog catalog, ObjectStore store, StudyIndex index) throws IOException {
        index.deleteAll();
        index.commit();
        return run(catalog, store, index);
    }

    private static Attributes header(ObjectStore store, InstanceRecord r) throws IOException {
        try (InputStream in = store.open(r.objectKey())) {
            return DicomReader.read(in, r.objectKey(), HEADER).dataset();
        }
    }
}
