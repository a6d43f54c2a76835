package org.dpacs.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A buffered byte source that knows its absolute position, and its total length when it comes from a file.
 * The reader checks every length field against {@link #remaining()} before allocating, and reads values of
 * unknown-length streams in growing chunks, so a lying length fails at end of input rather than with
 * OutOfMemoryError.
 */
final class DicomInput {
    private static final int CHUNK = 1 << 20;

    private final InputStream in;
    private final SeekableByteChannel channel;
    private final long length;
    private byte[] buf;
    private int pos;
    private int lim;
    private long bufStart;
    int contextTag = -1;

    DicomInput(InputStream in, long length, long startPosition, int bufferSize) {
        this.in = in;
        this.channel = null;
        this.length = length;
        this.buf = new byte[bufferSize];
        this.bufStart = startPosition;
    }

    DicomInput(SeekableByteChannel channel, int bufferSize) throws IOException {
        this.in = null;
        this.channel = channel;
        this.length = channel.size();
        this.buf = new byte[bufferSize];
        this.bufStart = channel.position();
    }

    long position() {
        return bufStart + pos;
    }

    /** Bytes left, or Long.MAX_VALUE when the stream length is unknown. */
    long remaining() {
        return length < 0 ? Long.MAX_VALUE : length - position();
    }

    boolean knowsLength() {
        return length >= 0;
    }

    /** Makes {@code n} bytes available in the buffer; false if the input ends first. */
    boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, n);
        }
        while (lim < n) {
            int r = fill(buf, lim, buf.length - lim);
            if (r < 0) {
                return false;
            }
            lim += r;
        }
        return true;
    }

    private int fill(byte[] dst, int off, int len) throws IOException {
        if (channel != null) {
            return channel.read(ByteBuffer.wrap(dst, off, len));
        }
        return in.read(dst, off, len);
    }

    /** True when no byte is left (tries to read one). */
    boolean atEnd() throws IOException {
        return !ensure(1);
    }

    private DicomParseException eof(int needed) {
        return new DicomParseException("Unexpected end of input: needed " + needed + " more bytes", position(), contextTag);
    }

    void require(int n) throws IOException {
        if (!ensure(n)) {
            throw eof(n - (lim - pos));
        }
    }

    /** The byte at {@code offset} from the current position, without consuming; call ensure first. */
    int peek(int offset) {
        return buf[pos + offset] & 0xFF;
    }

    int u8() throws IOException {
        require(1);
        return buf[pos++] & 0xFF;
    }

    int u16(boolean bigEndian) throws IOException {
        require(2);
        int b0 = buf[pos] & 0xFF;
        int b1 = buf[pos + 1] & 0xFF;
        pos += 2;
        return bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0;
    }

    int i32(boolean bigEndian) throws IOException {
        require(4);
        int b0 = buf[pos] & 0xFF;
        int b1 = buf[pos + 1] & 0xFF;
        int b2 = buf[pos + 2] & 0xFF;
        int b3 = buf[pos + 3] & 0xFF;
        pos += 4;
        return bigEndian ? (b0 << 24) | (b1 << 16) | (b2 << 8) | b3 : (b3 << 24) | (b2 << 16) | (b1 << 8) | b0;
    }

    /** Reads a tag: two 16-bit numbers, group then element, each in the transfer syntax's byte order. */
    int tag(boolean bigEndian) throws IOException {
        int group = u16(bigEndian);
        return (group << 16) | u16(bigEndian);
    }

    /** Reads exactly {@code len} bytes into a new array, in chunks when the total length is unknown. */
    byte[] readValue(int len) throws IOException {
        if (len > remaining()) {
            throw new DicomParseException("Value length " + len + " exceeds the " + remaining()
                    + " bytes left in the input", position(), contextTag);
        }
        if (knowsLength() || len <= CHUNK) {
            byte[] out = new byte[len];
            readFully(out, 0, len);
            return out;
        }
        byte[] out = new byte[CHUNK];
        int filled = 0;
        while (filled < len) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, (long) out.length * 2));
            }
            int n = Math.min(out.length - filled, len - filled);
            readFully(out, filled, n);
            filled += n;
        }
        return out;
    }

    void readFully(byte[] dst, int off, int len) throws IOException {
        int avail = lim - pos;
        if (avail >= len) {
            System.arraycopy(buf, pos, dst, off, len);
            pos += len;
            return;
        }
        System.arraycopy(buf, pos, dst, off, avail);
        bufStart += lim;
        pos = 0;
        lim = 0;
        int done = avail;
        while (done < len) {
            int r = fill(dst, off + done, len - done);
            if (r < 0) {
                bufStart += done - avail;
                throw eof(len - done);
            }
            done += r;
        }
        bufStart += done - avail;
    }

    /** Skips {@code n} bytes: a seek for files, a read for streams (whose skip() may not see the end). */
    void skip(long n) throws IOException {
        long avail = lim - pos;
        if (avail >= n) {
            pos += (int) n;
            return;
        }
        if (n > remaining()) {
            throw new DicomParseException("Cannot skip " + n + " bytes: only " + remaining() + " left in the input",
                    position(), contextTag);
        }
        long target = position() + n;
        if (channel != null) {
            channel.position(target);
            bufStart = target;
            pos = 0;
            lim = 0;
            return;
        }
        long toGo = n - avail;
        bufStart += lim;
        pos = 0;
        lim = 0;
        while (toGo > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, toGo));
            if (r < 0) {
                throw eof((int) Math.min(Integer.MAX_VALUE, toGo));
            }
            toGo -= r;
            bufStart += r;
        }
    }

    /** The bytes buffered but not consumed, followed by the rest of the underlying source, as a stream. */
    InputStream remainderAsStream() {
        byte[] rest = Arrays.copyOfRange(buf, pos, lim);
        InputStream tail = channel != null ? java.nio.channels.Channels.newInputStream(channel) : in;
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(rest), tail);
    }
}
