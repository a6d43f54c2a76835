package org.dpacs.server.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.dpacs.server.storage.ObjectStore;

/**
 * A read-only seekable view of a stored object made of range reads, so {@link org.dpacs.dicom.io.DicomReader}
 * can parse a header and seek past pixel data without transferring it: a seek is a new
 * {@link ObjectStore#openRange} when the next read comes, except short forward seeks, which read through
 * (one request less matters more than a few KB on S3). Nothing is requested before the first read.
 */
final class ObjectChannel implements SeekableByteChannel {
    /** Forward seeks up to this many bytes read through the open stream instead of opening a new range. */
    static final long READ_THROUGH = 256 * 1024;

    private final ObjectStore store;
    private final String key;
    private final long size;
    private InputStream stream;
    private long streamPosition;
    private long position;
    private boolean open = true;
    private byte[] scratch;

    ObjectChannel(ObjectStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        seekStream();
        int want = (int) Math.min(dst.remaining(), size - position);
        int n;
        if (dst.hasArray()) {
            n = stream.read(dst.array(), dst.arrayOffset() + dst.position(), want);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            if (scratch == null) {
                scratch = new byte[16 * 1024];
            }
            n = stream.read(scratch, 0, Math.min(want, scratch.length));
            if (n > 0) {
                dst.put(scratch, 0, n);
            }
        }
        if (n < 0) {
            throw new IOException("Object '" + key + "' ended at " + position + " of its recorded " + size + " bytes");
        }
        position += n;
        streamPosition += n;
        return n;
    }

    /** Makes {@link #stream} deliver bytes from {@link #position}. */
    private void seekStream() throws IOException {
        if (stream != null && position > streamPosition && position - streamPosition <= READ_THROUGH) {
            stream.skipNBytes(position - streamPosition);
            streamPosition = position;
        }
        if (stream == null || streamPosition != position) {
            closeStream();
            stream = store.openRange(key, position, size - position);
            streamPosition = position;
        }
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("Negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            InputStream s = stream;
            stream = null;
            s.close();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
