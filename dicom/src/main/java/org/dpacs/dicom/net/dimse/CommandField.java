package org.dpacs.dicom.net.dimse;

import java.util.Optional;

/** The Command Field (0000,0100) values of PS3.7 Annex E, requests and their responses. */
public enum CommandField {
    C_STORE_RQ(0x0001), C_STORE_RSP(0x8001),
    C_GET_RQ(0x0010), C_GET_RSP(0x8010),
    C_FIND_RQ(0x0020), C_FIND_RSP(0x8020),
    C_MOVE_RQ(0x0021), C_MOVE_RSP(0x8021),
    C_ECHO_RQ(0x0030), C_ECHO_RSP(0x8030),
    N_EVENT_REPORT_RQ(0x0100), N_EVENT_REPORT_RSP(0x8100),
    N_GET_RQ(0x0110), N_GET_RSP(0x8110),
    N_SET_RQ(0x0120), N_SET_RSP(0x8120),
    N_ACTION_RQ(0x0130), N_ACTION_RSP(0x8130),
    N_CREATE_RQ(0x0140), N_CREATE_RSP(0x8140),
    N_DELETE_RQ(0x0150), N_DELETE_RSP(0x8150),
    C_CANCEL_RQ(0x0FFF);

    private static final int RESPONSE_BIT = 0x8000;
    private final int code;

    CommandField(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isRequest() {
        return (code & RESPONSE_BIT) == 0;
    }

    /** The response to this request (C-CANCEL has none). */
    public Optional<CommandField> response() {
        return isRequest() && this != C_CANCEL_RQ ? of(code | RESPONSE_BIT) : Optional.empty();
    }

    public static Optional<CommandField> of(int code) {
        for (CommandField f : values()) {
            if (f.code == code) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The standard's spelling, e.g. {@code C-STORE-RQ}. */
    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
