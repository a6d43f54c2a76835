package org.dpacs.server.catalog;

import java.time.Instant;

/**
 * The durable record of one stored instance. {@code seq} is assigned by the catalog, increases with every
 * store (a re-store of the same UID gets a new one), and lets the derived index catch up from a checkpoint.
 */
public record InstanceRecord(long seq, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                             String sopClassUid, String transferSyntaxUid, String objectKey, long size,
                             String sha256, Instant storedAt) {

    /** A record not yet committed; the catalog assigns {@code seq}. */
    public static InstanceRecord pending(String study, String series, String sop, String sopClass, String ts,
                                         String objectKey, long size, String sha256) {
        return new InstanceRecord(0, study, series, sop, sopClass, ts, objectKey, size, sha256, Instant.now());
    }

    public InstanceRecord withSeq(long newSeq) {
        return new InstanceRecord(newSeq, studyInstanceUid, seriesInstanceUid, sopInstanceUid, sopClassUid,
                transferSyntaxUid, objectKey, size, sha256, storedAt);
    }
}
