package org.dpacs.dicom.net.pdu;

import java.util.Arrays;
import java.util.List;

/**
 * The User Information item of A-ASSOCIATE-RQ and -AC (PS3.8 D.1, PS3.7 D.3.3).
 *
 * @param maxPduLength              the largest P-DATA-TF PDU the sender will receive (its variable part);
 *                                  0 means no limit (PS3.8 D.1)
 * @param implementationClassUid    PS3.7 D.3.3.2; empty when the peer sent none
 * @param implementationVersionName PS3.7 D.3.3.2; empty when absent
 * @param roleSelections            SCP/SCU Role Selection sub-items
 * @param otherItems                sub-items kept as bytes (asynchronous operations window, extended
 *                                  negotiation, user identity), so nothing a peer sends is lost
 */
public record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
                              List<RoleSelection> roleSelections, List<SubItem> otherItems) {
    public static final int ITEM_TYPE = 0x50;
    public static final int MAX_LENGTH_TYPE = 0x51;
    public static final int IMPLEMENTATION_CLASS_UID_TYPE = 0x52;
    public static final int IMPLEMENTATION_VERSION_NAME_TYPE = 0x55;

    public UserInformation {
        if (maxPduLength < 0 || maxPduLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("max PDU length must fit 32 unsigned bits, got " + maxPduLength);
        }
        PduFields.uid(implementationClassUid, "implementation class UID");
        if (implementationVersionName == null || implementationVersionName.length() > 16) {
            throw new IllegalArgumentException("implementation version name must be at most 16 characters");
        }
        roleSelections = List.copyOf(roleSelections);
        otherItems = List.copyOf(otherItems);
    }

    /** Ours: a maximum length, the implementation class UID and version name, nothing else. */
    public static UserInformation of(long maxPduLength, String implementationClassUid, String versionName) {
        return new UserInformation(maxPduLength, implementationClassUid, versionName, List.of(), List.of());
    }

    public UserInformation withRoleSelections(List<RoleSelection> selections) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName, selections,
                otherItems);
    }

    /** A sub-item this codec does not interpret: its type and value bytes. */
    public record SubItem(int type, byte[] value) {
        public SubItem {
            PduFields.checkByte(type, "sub-item type");
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("a sub-item value has at most 65535 bytes");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SubItem s && s.type == type && Arrays.equals(s.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "SubItem[type=0x" + Integer.toHexString(type) + ", " + value.length + " bytes]";
        }
    }
}
