package org.dpacs.dicom.net.pdu;

/** A-RELEASE-RQ (PS3.8 9.3.6): asks for an orderly release; four reserved bytes. */
public record AReleaseRq() implements Pdu {
    public static final int TYPE = 0x05;

    @Override
    public int type() {
        return TYPE;
    }
}
