package org.dpacs.dicom.frame;

import java.util.Objects;

/**
 * A frame cannot be located. {@link #reason()} tells a caller such as a WADO-RS server what went wrong without
 * parsing the message: the request (no pixel data, no such frame), the file (corrupt) or this toolkit
 * (unsupported).
 */
public final class FrameException extends RuntimeException {

    /** Why no frame location could be given. */
    public enum Reason {
        /** The data set has no (7FE0,0010), (7FE0,0008) or (7FE0,0009). */
        NO_PIXEL_DATA,
        /** The frame number is outside 1 to the number of frames. */
        NO_SUCH_FRAME,
        /** The pixel module, offset tables or fragments contradict each other or the standard. */
        CORRUPT,
        /** Valid data this index cannot address (e.g. pixel data held in memory, video frames). */
        UNSUPPORTED
    }

    private final Reason reason;

    public FrameException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
