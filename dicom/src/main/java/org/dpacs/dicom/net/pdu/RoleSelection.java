package org.dpacs.dicom.net.pdu;

/**
 * SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4): for one SOP class, whether the association requestor acts as
 * SCU and as SCP. In an A-ASSOCIATE-AC the acceptor answers which of the proposed roles it accepts.
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {
    public static final int ITEM_TYPE = 0x54;

    public RoleSelection {
        PduFields.uid(sopClassUid, "SOP class UID");
    }
}
