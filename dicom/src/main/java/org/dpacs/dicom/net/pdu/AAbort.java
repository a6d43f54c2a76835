package org.dpacs.dicom.net.pdu;

/**
 * A-ABORT (PS3.8 9.3.8): ends the association at once.
 *
 * @param source {@link #SERVICE_USER} or {@link #SERVICE_PROVIDER}
 * @param reason one of the {@code REASON_*} values when the source is the provider, else 0
 */
public record AAbort(int source, int reason) implements Pdu {
    public static final int TYPE = 0x07;

    /** PS3.8 Table 9-26, Source. */
    public static final int SERVICE_USER = 0;
    public static final int SERVICE_PROVIDER = 2;

    /** PS3.8 Table 9-26, Reason/Diag. (significant only when the source is the service provider). */
    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int UNRECOGNIZED_PDU = 1;
    public static final int UNEXPECTED_PDU = 2;
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    public AAbort {
        PduFields.checkByte(source, "source");
        PduFields.checkByte(reason, "reason");
    }

    /** An abort by the service provider (the upper layer itself) for a protocol error. */
    public static AAbort provider(int reason) {
        return new AAbort(SERVICE_PROVIDER, reason);
    }

    @Override
    public int type() {
        return TYPE;
    }
}
