package org.dpacs.server.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import java.util.function.Function;

/**
 * A buffered stream onto a channel that counts what it is given. {@link #close()} only flushes: the owner of the
 * channel decides whether the bytes are committed or discarded, so a caller that closes the stream it was handed
 * (try-with-resources, a library that closes its output) cannot end the write early.
 */
final class ChannelOutputStream extends OutputStream {

    private static final int BUFFER = 64 * 1024;

    private final WritableByteChannel channel;
    private final Function<IOException, IOException> onFailure;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long count;
    private boolean sealed;

    /** {@code onFailure} sees every I/O failure first, to turn a full disk into {@code OUT_OF_RESOURCES}. */
    ChannelOutputStream(WritableByteChannel channel, Function<IOException, IOException> onFailure) {
        this.channel = channel;
        this.onFailure = onFailure;
    }

    @Override
    public void write(int b) throws IOException {
        ensureWritable();
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureWritable();
        if (len >= buffer.capacity()) {
            // Large writes skip the copy into the buffer.
            drain();
            writeFully(ByteBuffer.wrap(b, off, len));
        } else {
            if (len > buffer.remaining()) {
                drain();
            }
            buffer.put(b, off, len);
        }
        count += len;
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    @Override
    public void close() throws IOException {
        drain();
    }

    /** Bytes written so far. */
    long count() {
        return count;
    }

    /** Flushes and refuses further writes: called by commit, after which the bytes must not change. */
    void seal() throws IOException {
        drain();
        sealed = true;
    }

    private void drain() throws IOException {
        if (buffer.position() > 0) {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer source) throws IOException {
        try {
            while (source.hasRemaining()) {
                channel.write(source);
            }
        } catch (IOException e) {
            throw onFailure.apply(e);
        }
    }

    private void ensureWritable() throws IOException {
        if (sealed) {
            throw new IOException("object write is already committed or closed; no more bytes can be added");
        }
        if (!channel.isOpen()) {
            throw new IOException("object write is closed");
        }
    }
}
