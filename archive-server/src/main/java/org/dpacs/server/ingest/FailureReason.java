package org.dpacs.server.ingest;

/**
 * FailureReason (0008,1197) and DIMSE status values for rejected objects: PS3.18 Table I.2-2 and PS3.4
 * Table B.2-1. Codes inside a standard range but with an implementation meaning are listed in
 * docs/conformance.md.
 */
public final class FailureReason {
    private FailureReason() {
    }

    /** A7xx: refused, out of resources (disk full, storage unavailable). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** A9xx: the data set does not conform (a required UID is missing or invalid). */
    public static final int DATASET_DOES_NOT_MATCH = 0xA900;
    /** A9xx, ours: a study-scoped STOW-RS request carried an instance of another study (PS3.18 10.5.3: 409). */
    public static final int STUDY_INSTANCE_UID_MISMATCH = 0xA910;
    /** Cxxx: the object cannot be parsed. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** 0110: processing failure (our fault or an I/O failure). */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** 0111: another object is already stored under this SOP Instance UID (PS3.7 C.4: Duplicate SOP Instance). */
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
}
