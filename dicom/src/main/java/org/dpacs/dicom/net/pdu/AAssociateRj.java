package org.dpacs.dicom.net.pdu;

/**
 * A-ASSOCIATE-RJ (PS3.8 9.3.4, Table 9-21): the association is refused.
 *
 * @param result {@link #REJECTED_PERMANENT} or {@link #REJECTED_TRANSIENT}
 * @param source {@link #SERVICE_USER}, {@link #SERVICE_PROVIDER_ACSE} or {@link #SERVICE_PROVIDER_PRESENTATION}
 * @param reason the Reason/Diag. value; its meaning depends on {@code source}
 */
public record AAssociateRj(int result, int source, int reason) implements Pdu {
    public static final int TYPE = 0x03;

    public static final int REJECTED_PERMANENT = 1;
    public static final int REJECTED_TRANSIENT = 2;

    public static final int SERVICE_USER = 1;
    public static final int SERVICE_PROVIDER_ACSE = 2;
    public static final int SERVICE_PROVIDER_PRESENTATION = 3;

    /** Reasons when the source is the service user. */
    public static final int USER_NO_REASON_GIVEN = 1;
    public static final int APPLICATION_CONTEXT_NAME_NOT_SUPPORTED = 2;
    public static final int CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    public static final int CALLED_AE_TITLE_NOT_RECOGNIZED = 7;
    /** Reasons when the source is the service provider (ACSE related function). */
    public static final int ACSE_NO_REASON_GIVEN = 1;
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Reasons when the source is the service provider (presentation related function). */
    public static final int TEMPORARY_CONGESTION = 1;
    public static final int LOCAL_LIMIT_EXCEEDED = 2;

    public AAssociateRj {
        PduFields.checkByte(result, "result");
        PduFields.checkByte(source, "source");
        PduFields.checkByte(reason, "reason");
    }

    public static AAssociateRj calledAeTitleNotRecognized() {
        return new AAssociateRj(REJECTED_PERMANENT, SERVICE_USER, CALLED_AE_TITLE_NOT_RECOGNIZED);
    }

    public static AAssociateRj callingAeTitleNotRecognized() {
        return new AAssociateRj(REJECTED_PERMANENT, SERVICE_USER, CALLING_AE_TITLE_NOT_RECOGNIZED);
    }

    public static AAssociateRj applicationContextNameNotSupported() {
        return new AAssociateRj(REJECTED_PERMANENT, SERVICE_USER, APPLICATION_CONTEXT_NAME_NOT_SUPPORTED);
    }

    public static AAssociateRj protocolVersionNotSupported() {
        return new AAssociateRj(REJECTED_PERMANENT, SERVICE_PROVIDER_ACSE, PROTOCOL_VERSION_NOT_SUPPORTED);
    }

    /** Too many associations at once: the requestor may try again later. */
    public static AAssociateRj localLimitExceeded() {
        return new AAssociateRj(REJECTED_TRANSIENT, SERVICE_PROVIDER_PRESENTATION, LOCAL_LIMIT_EXCEEDED);
    }

    /** The rejection in words, e.g. "rejected-permanent by the service-user: called-AE-title-not-recognized". */
    public String describe() {
        String r = result == REJECTED_PERMANENT ? "rejected-permanent" : result == REJECTED_TRANSIENT
                ? "rejected-transient" : "result " + result;
        String reasonText = switch (source) {
            case SERVICE_USER -> switch (reason) {
                case USER_NO_REASON_GIVEN -> "no-reason-given";
                case APPLICATION_CONTEXT_NAME_NOT_SUPPORTED -> "application-context-name-not-supported";
                case CALLING_AE_TITLE_NOT_RECOGNIZED -> "calling-AE-title-not-recognized";
                case CALLED_AE_TITLE_NOT_RECOGNIZED -> "called-AE-title-not-recognized";
                default -> "reason " + reason;
            };
            case SERVICE_PROVIDER_ACSE -> reason == PROTOCOL_VERSION_NOT_SUPPORTED
                    ? "protocol-version-not-supported" : reason == ACSE_NO_REASON_GIVEN ? "no-reason-given"
                    : "reason " + reason;
            case SERVICE_PROVIDER_PRESENTATION -> reason == LOCAL_LIMIT_EXCEEDED ? "local-limit-exceeded"
                    : reason == TEMPORARY_CONGESTION ? "temporary-congestion" : "reason " + reason;
            default -> "reason " + reason;
        };
        String by = switch (source) {
            case SERVICE_USER -> "the service-user";
            case SERVICE_PROVIDER_ACSE -> "the service-provider (ACSE)";
            case SERVICE_PROVIDER_PRESENTATION -> "the service-provider (presentation)";
            default -> "source " + source;
        };
        return r + " by " + by + ": " + reasonText;
    }

    @Override
    public int type() {
        return TYPE;
    }
}
