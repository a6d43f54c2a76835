package org.dpacs.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Bytes {@code [start, end)} of a file, read with positioned reads ({@link FileChannel#read(ByteBuffer, long)}),
 * so no read ever touches a byte outside the range and the channel's own position is never shared state. Small
 * reads go through a buffer that is itself never filled past {@code end}; reads of a buffer's size or more go
 * straight to the caller's array. Not thread-safe, like any stream.
 */
final class RangeInputStream extends InputStream {

    private static final int BUFFER = 16 * 1024;

    private final FileChannel channel;
    private final long end;
    private long position;
    private final ByteBuffer buffer;
    private boolean closed;

    RangeInputStream(FileChannel channel, long start, long length) {
        this.channel = channel;
        this.position = start;
        this.end = start + length;
        this.buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(BUFFER, length)));
        this.buffer.limit(0);
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining() && fill() <= 0) {
            return -1;
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (buffer.hasRemaining()) {
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }
        long left = end - position;
        if (left <= 0) {
            return -1;
        }
        if (len >= buffer.capacity()) {
            return readAt(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
        }
        if (fill() <= 0) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) {
            return 0;
        }
        long fromBuffer = Math.min(n, buffer.remaining());
        buffer.position(buffer.position() + (int) fromBuffer);
        long fromFile = Math.min(n - fromBuffer, end - position);
        position += fromFile;
        return fromBuffer + fromFile;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, buffer.remaining() + (end - position));
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    private int fill() throws IOException {
        ensureOpen();
        long left = end - position;
        if (left <= 0) {
            return -1;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), left));
        int n = readAt(buffer);
        buffer.flip();
        return n;
    }

    /** One positioned read into {@code target}, whose remaining space never exceeds the bytes left in range. */
    private int readAt(ByteBuffer target) throws IOException {
        int n;
        do {
            n = channel.read(target, position);
        } while (n == 0);
        if (n < 0) {
            // The file shrank under us: an object is immutable once committed, so this is damage, not EOF.
            throw new IOException("object file ended at byte " + position + ", before the " + end
                    + " bytes it had when opened");
        }
        position += n;
        return n;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream is closed");
        }
    }
}
