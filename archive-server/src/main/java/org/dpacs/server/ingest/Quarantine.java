package org.dpacs.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
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
 * de-identified a second time, and becomes queryable and retrievable) or delete one.
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

    public Optional<QuarantineRecord> find(String sopInstanceUid) {
        return catalog.held(sopInstanceUid);
    }

    /** The held Part 10 object. */
    public InputStream open(QuarantineRecord record) throws IOException {
        return store.open(record.objectKey());
    }

    /**
     * Publishes a held instance on {@code admin}'s word. On success (stored, or already stored identically)
     * the hold and its object are gone; on failure both stay and the result says why.
     */
    public IngestResult release(String sopInstanceUid, String admin) throws IOException {
        QuarantineRecord held = required(sopInstanceUid);
        IngestResult result;
        try (InputStream in = store.open(held.objectKey())) {
            result = pipeline.ingest(new IngestRequest(in, Origin.releasedBy(admin), Optional.empty()));
        }
        if (result instanceof IngestResult.Stored || result instanceof IngestResult.Duplicate) {
            catalog.unhold(sopInstanceUid);
            store.delete(held.objectKey());
            LOG.info("{} released {} from quarantine (held because: {})", admin, sopInstanceUid, held.reason());
        }
        return result;
    }

    /** Deletes a held instance for good on {@code admin}'s word. */
    public void delete(String sopInstanceUid, String admin) throws IOException {
        QuarantineRecord held = required(sopInstanceUid);
        // The hold goes first: a crash in between leaves an orphan object, never a hold without its object.
        catalog.unhold(sopInstanceUid);
        store.delete(held.objectKey());
        LOG.info("{} deleted {} from quarantine (held because: {})", admin, sopInstanceUid, held.reason());
    }

    private QuarantineRecord required(String sopInstanceUid) {
        return catalog.held(sopInstanceUid).orElseThrow(() -> new DpacsException(FailureKind.NOT_FOUND,
                "No instance " + sopInstanceUid + " is held in quarantine; GET /api/admin/quarantine lists them"));
    }
}
