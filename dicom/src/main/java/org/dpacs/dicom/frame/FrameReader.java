package org.dpacs.dicom.frame;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.frame.FrameLocation.ByteRange;
import org.dpacs.dicom.io.BulkDataResolver;

/**
 * Reads the bytes of one frame, and nothing else, through a {@link BulkDataResolver} (one {@code open} per byte
 * range). Bytes are returned as stored: encapsulated frames are the concatenated fragment values (padding
 * included unless an Extended Offset Table gave the frame's length), native frames keep the source's byte
 * order ({@link FrameLocation#bigEndian()}). Bit-packed frames are the exception: they are shifted to start at
 * bit 0 of byte 0, with the unused high bits of the last byte zero, as a single-frame object would hold them
 * (PS3.5 8.1.1).
 */
public final class FrameReader {
    private static final int BUFFER = 64 * 1024;

    private FrameReader() {
    }

    /**
     * The frame's bytes.
     *
     * @throws IOException when the source is shorter than the frame's ranges
     * @throws IllegalArgumentException when the frame is larger than an array can hold; use {@link #copy}
     */
    public static byte[] read(FrameLocation frame, BulkDataResolver resolver) throws IOException {
        if (frame.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Frame of " + frame.length() + " bytes does not fit an array; use copy");
        }
        byte[] out = new byte[(int) frame.length()];
        int filled = 0;
        for (ByteRange range : frame.ranges()) {
            try (InputStream in = open(resolver, frame, range)) {
                readFully(in, out, filled, (int) range.length(), frame.source(), range);
            }
            filled += (int) range.length();
        }
        return frame.isBitPacked() ? realign(out, frame.bitOffset(), frame.bitLength()) : out;
    }

    /** Streams the frame's bytes to {@code out} (bit-packed frames, being small, are read whole first). */
    public static void copy(FrameLocation frame, BulkDataResolver resolver, OutputStream out) throws IOException {
        if (frame.isBitPacked()) {
            out.write(read(frame, resolver));
            return;
        }
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, frame.length()))];
        for (ByteRange range : frame.ranges()) {
            try (InputStream in = open(resolver, frame, range)) {
                long left = range.length();
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw truncated(frame.source(), range, range.length() - left);
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
    }

    /** Reads {@code length} bytes at {@code offset} of {@code source}; for offset tables and fragment heads. */
    static byte[] readRange(BulkDataResolver resolver, String source, long offset, long length) throws IOException {
        ByteRange range = new ByteRange(offset, length);
        byte[] out = new byte[Math.toIntExact(length)];
        try (InputStream in = resolver.open(new BulkDataRef(source, offset, length, false))) {
            readFully(in, out, 0, out.length, source, range);
        }
        return out;
    }

    private static InputStream open(BulkDataResolver resolver, FrameLocation frame, ByteRange range) throws IOException {
        return resolver.open(new BulkDataRef(frame.source(), range.offset(), range.length(), frame.bigEndian()));
    }

    private static void readFully(InputStream in, byte[] out, int off, int len, String source, ByteRange range)
            throws IOException {
        int done = in.readNBytes(out, off, len);
        if (done < len) {
            throw truncated(source, range, done);
        }
    }

    private static EOFException truncated(String source, ByteRange range, long got) {
        return new EOFException(source + " ends " + got + " bytes into the frame range of " + range.length()
                + " bytes at position " + range.offset());
    }

    /**
     * Moves bits {@code bitOffset .. bitOffset + bitLength} of {@code in} (least significant bit first, PS3.5
     * 8.1.1) to the start of a new array.
     */
    static byte[] realign(byte[] in, int bitOffset, long bitLength) {
        byte[] out = new byte[(int) ((bitLength + 7) / 8)];
        for (int i = 0; i < out.length; i++) {
            int low = (in[i] & 0xFF) >>> bitOffset;
            int high = bitOffset == 0 || i + 1 >= in.length ? 0 : (in[i + 1] & 0xFF) << (8 - bitOffset);
            out[i] = (byte) (low | high);
        }
        int tail = (int) (bitLength % 8);
        if (tail != 0) {
            out[out.length - 1] &= (byte) ((1 << tail) - 1);
        }
        return out;
    }
}
