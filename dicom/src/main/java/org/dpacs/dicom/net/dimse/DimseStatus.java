package org.dpacs.dicom.net.dimse;

/**
 * Status (0000,0900) values (PS3.7 Annex C; PS3.4 B.2.3 for C-STORE). Each is named here once; nothing writes a
 * status number inline.
 */
public final class DimseStatus {
    public static final int SUCCESS = 0x0000;
    /** PS3.4 B.2.3: coercion of data elements. */
    public static final int WARNING_COERCION = 0xB000;
    /** PS3.4 B.2.3: data set does not match SOP class (stored anyway). */
    public static final int WARNING_DATASET_DOES_NOT_MATCH = 0xB007;
    /** PS3.4 B.2.3: elements discarded. */
    public static final int WARNING_ELEMENTS_DISCARDED = 0xB006;
    /** PS3.4 B.2.3: refused, out of resources (A7xx). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** PS3.4 B.2.3: data set does not match SOP class (A9xx). */
    public static final int DATASET_DOES_NOT_MATCH = 0xA900;
    /** PS3.4 B.2.3: cannot understand (Cxxx). */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** PS3.7 C.4: processing failure. */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** PS3.7 C.4: duplicate SOP instance. */
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    /** PS3.7 C.5: refused, SOP class not supported. */
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    /** PS3.7 C.5: unrecognized operation. */
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    /** PS3.4 C.4.2.1.5, C.4.3.1.4: refused, out of resources, unable to perform sub-operations. */
    public static final int OUT_OF_RESOURCES_SUBOPERATIONS = 0xA702;
    /** PS3.4 C.4.2.1.5: refused, move destination unknown. */
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    /** PS3.4 C.4.1.1.4: identifier does not match SOP class (the same code as {@link #DATASET_DOES_NOT_MATCH}). */
    public static final int IDENTIFIER_DOES_NOT_MATCH = 0xA900;
    /** PS3.4 C.4.1.1.4: unable to process (Cxxx). */
    public static final int UNABLE_TO_PROCESS = 0xC000;
    /** PS3.4 C.4.2.1.5, C.4.3.1.4: sub-operations complete, one or more failures or warnings. */
    public static final int SUBOPERATIONS_COMPLETE_WITH_FAILURES = 0xB000;
    public static final int PENDING = 0xFF00;
    public static final int PENDING_WARNING = 0xFF01;
    public static final int CANCEL = 0xFE00;

    private DimseStatus() {
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    /** PS3.7 C.3: 0001, Bxxx and 0107, 0116 are warnings. */
    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000 || status == 0x0107 || status == 0x0116;
    }

    public static boolean isFailure(int status) {
        return status != SUCCESS && status != CANCEL && !isPending(status) && !isWarning(status);
    }

    /** E.g. {@code 0xA900}. */
    public static String toHex(int status) {
        return String.format("0x%04X", status);
    }
}
