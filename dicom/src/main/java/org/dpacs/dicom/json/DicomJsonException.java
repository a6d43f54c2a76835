package org.dpacs.dicom.json;

import java.io.IOException;
import org.dpacs.dicom.data.Tag;

/**
 * DICOM JSON that is not valid JSON or not valid PS3.18 Annex F: carries the position in the JSON text and, when
 * known, the tag of the attribute being read (-1 when none).
 */
public final class DicomJsonException extends IOException {
    private final long offset;
    private final int tag;

    /**
     * @param offset character offset in the JSON text (byte offset when read from bytes), -1 when unknown
     */
    public DicomJsonException(String message, long offset, int tag) {
        this(message, offset, tag, null);
    }

    public DicomJsonException(String message, long offset, int tag, Throwable cause) {
        super(message + (tag != -1 ? " in " + Tag.toString(tag) : "") + (offset >= 0 ? " at offset " + offset : ""),
                cause);
        this.offset = offset;
        this.tag = tag;
    }

    /** Position in the JSON input, -1 when unknown. */
    public long offset() {
        return offset;
    }

    /** The attribute being read, or -1 when the failure was outside an attribute. */
    public int tag() {
        return tag;
    }
}
