package org.dpacs.dicom.frame;

import java.util.List;
import java.util.Objects;

/**
 * Where the bytes of one frame lie in the source the data set was read from: one range for native pixel data,
 * one range per fragment for encapsulated pixel data (PS3.5 A.4: a frame may span several fragments; item
 * headers are never included).
 *
 * <p>Bit-packed native frames (BitsAllocated 1, PS3.5 8.1.1) need not start or end on a byte boundary: then
 * {@code ranges} holds the one range of bytes covering the frame, {@code bitOffset} is the bit (0 = least
 * significant) of its first byte where the frame's first pixel lies, and {@code bitLength} is the frame's size
 * in bits. For every other frame {@code bitOffset} is 0 and {@code bitLength} is 8 × {@link #length()}.
 * {@link FrameReader} realigns bit-packed frames to start at bit 0.
 *
 * @param source    the source name the reader was given (a file path for files), as in bulk data references
 * @param ranges    the frame's byte ranges, in frame order
 * @param bitOffset where the frame starts within the first byte of a bit-packed frame; otherwise 0
 * @param bitLength the frame's size in bits
 * @param bigEndian true when the bytes are 16-bit or wider words stored big endian (Explicit VR Big Endian
 *                  OW, OF, OD pixel data); frame bytes are handed out as stored
 */
public record FrameLocation(String source, List<ByteRange> ranges, int bitOffset, long bitLength, boolean bigEndian) {

    /** A byte range of the source: {@code length} bytes starting at absolute position {@code offset}. */
    public record ByteRange(long offset, long length) {
        public ByteRange {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("Byte range offset and length must be >= 0, got " + offset + ", " + length);
            }
        }

        public long end() {
            return offset + length;
        }
    }

    public FrameLocation {
        Objects.requireNonNull(source, "source");
        ranges = List.copyOf(ranges);
        long bytes = ranges.stream().mapToLong(ByteRange::length).sum();
        if (bitOffset < 0 || bitOffset > 7 || bitLength < 0 || bitOffset + bitLength > bytes * 8) {
            throw new IllegalArgumentException("Bits " + bitOffset + "+" + bitLength + " do not fit the "
                    + bytes + " bytes of " + ranges);
        }
        if ((bitOffset != 0 || bitLength % 8 != 0) && ranges.size() != 1) {
            throw new IllegalArgumentException("A bit-packed frame is one byte range, got " + ranges.size());
        }
    }

    /** A byte-aligned frame stored little endian (or as single bytes). */
    public static FrameLocation of(String source, List<ByteRange> ranges) {
        return new FrameLocation(source, ranges, 0, 8 * ranges.stream().mapToLong(ByteRange::length).sum(), false);
    }

    /** The number of source bytes the frame's ranges cover. */
    public long length() {
        return ranges.stream().mapToLong(ByteRange::length).sum();
    }

    /**
     * True when the frame does not start at bit 0 of its first byte or does not fill its last byte, so its
     * bytes must be shifted (or masked) before they form a frame on their own.
     */
    public boolean isBitPacked() {
        return bitOffset != 0 || bitLength != 8 * length();
    }

    /** The size of the frame {@link FrameReader} returns: {@code ceil(bitLength / 8)} bytes. */
    public long frameLength() {
        return (bitLength + 7) / 8;
    }
}
