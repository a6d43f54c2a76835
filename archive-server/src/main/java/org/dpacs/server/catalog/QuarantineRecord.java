package org.dpacs.server.catalog;

import java.time.Instant;

/**
 * One instance held in quarantine: stored durably (de-identified as far as attributes go) under
 * {@code objectKey}, but not published: not in the instance table, not indexed, not retrievable by DICOMweb or
 * DIMSE until an administrator releases it. {@code reason} says why it is held, {@code origin} where it came from.
 */
public record QuarantineRecord(String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
                               String sopClassUid, String transferSyntaxUid, String objectKey, long size,
                               String sha256, String reason, String origin, Instant heldAt) {
}
