package org.dpacs.dicom.io;

import java.io.IOException;
import org.dpacs.dicom.data.Tag;

/**
 * The one exception the parser throws for input that is not valid DICOM, carrying the byte offset in the
 * source stream and, when known, the tag being read (-1 when none).
 */
public final class DicomParseException extends IOException {
    private final long offset;
    private final int tag;

    public DicomParseException(String message, long offset, int tag) {
        this(message, offset, tag, null);
    }

    public DicomParseException(String message, long offset, int tag, Throwable cause) {
        super(message + (tag != -1 ? " in " + Tag.toString(tag) : "") + " at position " + offset, cause);
        this.offset = offset;
        this.tag = tag;
    }

    public long offset() {
        return offset;
    }

    /** The tag being read, or -1 when the failure was not inside an element. */
    public int tag() {
        return tag;
    }
}
