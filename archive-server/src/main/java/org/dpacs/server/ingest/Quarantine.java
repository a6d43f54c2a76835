package org.dpacs.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dpacs.server.access.Origin;
import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.catalog.QuarantineRecord;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances held back by {@code dpacs.deid.burned.in=quarantine}, for an administrator: list them, read one
 * to look at its pixels, release one (it then goes through the ingest pipeline like any arrival, without being
 * de-identified a second time, and becomes queryable and retrievable) or delete one. Release and delete hold
 * the pipeline's lock for the instance, so a re-send of it waits and then finds it published or gone.
 */
public final class Quarantine {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final ObjectStore store;
    private final Catalog catalog;
    private final IngestPipeline pipeline;

    public Quarantine(ObjectStore store, Catalog catalog, IngestPipeline pipeline) {
        this.store = store;
        this.catalog = catalog;
        this.pipeline = pipeline;
    }

    public List<QuarantineRecord> list() {
        return catalog.held();
    }

    /** The hold of {@code sopInstanceUid}; a NOT_FOUND failure naming the way to list them when there is none. */
    public QuarantineRecord held(String sopInstanceUid) {
        return catalog.held(sopInstanceUid).orElseThrow(() -> new DpacsException(FailureKind.NOT_FOUND,
                "No instance " + sopInstanceUid + " is held in quarantine; GET /api/admin/quarantine lists them"));
    }

    /** The held Part 10 object. */
    public InputStream open(QuarantineRecord record) throws IOException {
        if (store.head(record.objectKey()).isEmpty()) {
            throw missingObject(record);
        }
        return store.open(record.objectKey());
    }

    /**
     * Publishes a held instance on {@code admin}'s word. On success (stored, or already stored identically)
     * the hold and its object are gone; on failure both stay and the result says why.
     */
    public IngestResult release(String sopInstanceUid, String admin) throws IOException {
        return pipeline.withInstanceLock(sopInstanceUid, () -> {
            QuarantineRecord held = held(sopInstanceUid);
            IngestResult result;
            try (InputStream in = open(held)) {
                result = pipeline.ingest(new IngestRequest(in, Origin.releasedBy(admin), Optional.empty()));
            }
            if (result instanceof IngestResult.Stored || result instanceof IngestResult.Duplicate) {
                store.delete(held.objectKey());
                catalog.unhold(sopInstanceUid);
                LOG.info("{} released {} from quarantine (held because: {})", admin, sopInstanceUid,
                        held.reason());
            }
            return result;
        });
    }

    /** Deletes a held instance for good on {@code admin}'s word. */
    public void delete(String sopInstanceUid, String admin) throws IOException {
        pipeline.withInstanceLock(sopInstanceUid, () -> {
            QuarantineRecord held = held(sopInstanceUid);
            // The object first: a crash in between leaves a hold without its object, which the list still shows
            // and a second delete removes, never burned-in pixels that no list shows.
            store.delete(held.objectKey());
            catalog.unhold(sopInstanceUid);
            LOG.info("{} deleted {} from quarantine (held because: {})", admin, sopInstanceUid, held.reason());
            return null;
        });
    }

    /**
     * Deletes held objects that no hold lists: written by an ingest that crashed or failed before recording the
     * hold, so never acknowledged to their sender. Call before the server accepts arrivals.
     */
    public int sweepOrphans() throws IOException {
        Set<String> listed = catalog.held().stream().map(QuarantineRecord::objectKey).collect(Collectors.toSet());
        List<String> orphans;
        try (Stream<String> keys = store.list(IngestPipeline.QUARANTINE_PREFIX)) {
            orphans = keys.filter(k -> !listed.contains(k)).toList();
        }
        for (String key : orphans) {
            store.delete(key);
        }
        if (!orphans.isEmpty()) {
            LOG.warn("Deleted {} quarantined object(s) that no hold listed (an ingest ended before recording them; "
                    + "their senders were not told they were stored)", orphans.size());
        }
        return orphans.size();
    }

    private static DpacsException missingObject(QuarantineRecord record) {
        return new DpacsException(FailureKind.NOT_FOUND, "The object of held instance " + record.sopInstanceUid()
                + " is gone (a delete was interrupted); DELETE /api/admin/quarantine/" + record.sopInstanceUid()
                + " removes the hold");
    }
}
