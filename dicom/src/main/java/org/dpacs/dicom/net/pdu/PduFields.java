package org.dpacs.dicom.net.pdu;

/** Argument checks shared by the PDU records, so a PDU that exists can always be encoded. */
final class PduFields {
    /** PS3.8 9.3.2: AE titles occupy 16 bytes. */
    static final int AE_TITLE_LENGTH = 16;
    /** PS3.5 9.1: a UID has at most 64 characters. */
    static final int MAX_UID_LENGTH = 64;

    private PduFields() {
    }

    static void checkByte(int value, String name) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + " must fit one byte (0-255), got " + value);
        }
    }

    static String aeTitle(String title, String name) {
        if (title == null || title.isBlank() || title.strip().length() > AE_TITLE_LENGTH) {
            throw new IllegalArgumentException(name + " must be 1 to 16 characters, got '" + title + "'");
        }
        return title.strip();
    }

    static String reservedAeTitle(String title, String name) {
        if (title == null || title.strip().length() > AE_TITLE_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most 16 characters, got '" + title + "'");
        }
        return title.strip();
    }

    static String uid(String uid, String name) {
        if (uid == null || uid.length() > MAX_UID_LENGTH) {
            throw new IllegalArgumentException(name + " must be a UID of at most 64 characters, got '" + uid + "'");
        }
        return uid;
    }
}
