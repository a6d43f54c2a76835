package org.dpacs.dicom.net.pdu;

import java.io.IOException;

/**
 * The one exception for bytes that are not a valid PDU or a PDU the protocol does not allow here: a lying
 * length, an unknown type, a truncated stream, a value out of range. It carries the byte offset in the stream
 * and the A-ABORT reason (PS3.8 Table 9-26) to send the peer.
 */
public final class PduException extends IOException {
    private final long offset;
    private final int abortReason;

    public PduException(String message, long offset, int abortReason) {
        super(message + " at position " + offset);
        this.offset = offset;
        this.abortReason = abortReason;
    }

    /** Where in the stream the problem was found, counted from the first byte of the connection. */
    public long offset() {
        return offset;
    }

    /** The A-ABORT reason for the peer, e.g. {@link AAbort#INVALID_PDU_PARAMETER_VALUE}. */
    public int abortReason() {
        return abortReason;
    }
}
