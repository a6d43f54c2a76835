package org.dpacs.server.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The durable record of what is stored: an instance is acknowledged only once its record is committed here.
 * Two implementations are planned: H2 (embedded default) and PostgreSQL (scale-out).
 */
public interface Catalog extends AutoCloseable {

    Optional<InstanceRecord> instance(String sopInstanceUid);

    /**
     * Inserts or replaces (by SOP Instance UID) every record in one durable transaction and returns them with
     * their assigned {@code seq}, in the same order. Group commit: many ingests share one call.
     */
    List<InstanceRecord> commit(List<InstanceRecord> batch);

    /** Instances of a study, ordered by series then seq. */
    List<InstanceRecord> study(String studyInstanceUid);

    /** Instances of a series, ordered by seq. */
    List<InstanceRecord> series(String studyInstanceUid, String seriesInstanceUid);

    /** Records with seq greater than {@code afterSeq}, ascending, at most {@code limit}: for index catch-up. */
    List<InstanceRecord> since(long afterSeq, int limit);

    long maxSeq();

    long count();

    /** Records an instance held in quarantine, durably (replacing an earlier hold of the same SOP Instance UID). */
    void hold(QuarantineRecord record);

    /** The instances held in quarantine, oldest first. */
    List<QuarantineRecord> held();

    Optional<QuarantineRecord> held(String sopInstanceUid);

    /** Forgets a hold (after release or deletion); false when there was none. */
    boolean unhold(String sopInstanceUid);

    @Override
    void close();
}
