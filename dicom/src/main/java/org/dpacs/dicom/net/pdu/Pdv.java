package org.dpacs.dicom.net.pdu;

/**
 * One presentation data value of a P-DATA-TF (PS3.8 9.3.5.1, Annex E.2): a fragment of a DIMSE command or data
 * set on one presentation context.
 *
 * @param presentationContextId the context the fragment belongs to
 * @param messageControlHeader  bit 0: command (1) or data set (0); bit 1: last fragment
 * @param data                  the fragment bytes (not copied: the record owns the array)
 */
public record Pdv(int presentationContextId, int messageControlHeader, byte[] data) {
    public static final int COMMAND = 0x01;
    public static final int LAST = 0x02;

    public Pdv {
        PduFields.checkByte(presentationContextId, "presentation context ID");
        if ((messageControlHeader & ~0x03) != 0) {
            throw new IllegalArgumentException("message control header uses bits 0 and 1 only (PS3.8 E.2)");
        }
    }

    public boolean isCommand() {
        return (messageControlHeader & COMMAND) != 0;
    }

    public boolean isLast() {
        return (messageControlHeader & LAST) != 0;
    }

    @Override
    public String toString() {
        return "Pdv[context=" + presentationContextId + ", " + (isCommand() ? "command" : "data")
                + (isLast() ? ", last" : "") + ", " + data.length + " bytes]";
    }
}
