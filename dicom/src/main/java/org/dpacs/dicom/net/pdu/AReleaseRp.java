package org.dpacs.dicom.net.pdu;

/** A-RELEASE-RP (PS3.8 9.3.7): confirms a release; four reserved bytes. */
public record AReleaseRp() implements Pdu {
    public static final int TYPE = 0x06;

    @Override
    public int type() {
        return TYPE;
    }
}
