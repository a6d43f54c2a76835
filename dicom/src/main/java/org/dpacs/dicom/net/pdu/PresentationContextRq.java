package org.dpacs.dicom.net.pdu;

import java.util.List;

/**
 * A presentation context proposed in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2): an odd ID, one abstract syntax and the
 * transfer syntaxes the requestor can use for it, in its order of preference.
 */
public record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {
    public static final int ITEM_TYPE = 0x20;

    public PresentationContextRq {
        PduFields.checkByte(id, "presentation context ID");
        PduFields.uid(abstractSyntax, "abstract syntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        transferSyntaxes.forEach(ts -> PduFields.uid(ts, "transfer syntax"));
    }
}
