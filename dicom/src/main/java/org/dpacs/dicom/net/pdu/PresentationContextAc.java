package org.dpacs.dicom.net.pdu;

/**
 * The answer to one proposed presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2, Table 9-18).
 *
 * @param id             the ID of the proposed context
 * @param result         {@link #ACCEPTANCE} or one of the rejection reasons
 * @param transferSyntax the transfer syntax chosen; not significant unless accepted
 */
public record PresentationContextAc(int id, int result, String transferSyntax) {
    public static final int ITEM_TYPE = 0x21;

    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    /** No reason (provider rejection). */
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public PresentationContextAc {
        PduFields.checkByte(id, "presentation context ID");
        PduFields.checkByte(result, "result");
        PduFields.uid(transferSyntax, "transfer syntax");
    }

    public boolean isAccepted() {
        return result == ACCEPTANCE;
    }

    /** The result in the standard's words, for logs. */
    public String describeResult() {
        return switch (result) {
            case ACCEPTANCE -> "acceptance";
            case USER_REJECTION -> "user-rejection";
            case NO_REASON -> "no-reason (provider rejection)";
            case ABSTRACT_SYNTAX_NOT_SUPPORTED -> "abstract-syntax-not-supported";
            case TRANSFER_SYNTAXES_NOT_SUPPORTED -> "transfer-syntaxes-not-supported";
            default -> "result " + result;
        };
    }
}
