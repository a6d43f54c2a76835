package org.dpacs.dicom.data;

/**
 * A value left where it is: {@code length} bytes at {@code offset} of {@code source} (a file path or a storage
 * key, whatever the reader was given as source name). {@code bigEndian} tells the byte order of the bytes
 * at the source, since in-memory values are always little endian but bulk bytes are not rewritten.
 */
public record BulkDataRef(String source, long offset, long length, boolean bigEndian) {
    public BulkDataRef {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Bulk data offset and length must be >= 0, got " + offset + ", " + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
