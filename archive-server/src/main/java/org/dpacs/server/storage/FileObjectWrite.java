package org.dpacs.server.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One object being written to a temporary file of {@link FileObjectStore}. Used by one thread at a time, like a
 * stream. Commit order is the one crash safety needs: flush, fsync the file, close, atomic rename over the final
 * name, fsync the directory. A crash before the rename leaves only a temporary file, removed at the next start;
 * a crash after it leaves the whole object.
 */
final class FileObjectWrite implements ObjectWrite {

    private enum State { OPEN, COMMITTED, ABORTED }

    private final FileObjectStore store;
    private final String key;
    private final Path temp;
    private final FileChannel channel;
    private final ChannelOutputStream out;
    private State state = State.OPEN;

    FileObjectWrite(FileObjectStore store, String key, Path temp, FileChannel channel) {
        this.store = store;
        this.key = key;
        this.temp = temp;
        this.channel = channel;
        this.out = new ChannelOutputStream(channel, store::checkFull);
    }

    @Override
    public OutputStream stream() {
        return out;
    }

    @Override
    public long size() {
        return out.count();
    }

    @Override
    public void commit() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("write of '" + key + "' is already "
                    + (state == State.COMMITTED ? "committed" : "closed"));
        }
        try {
            out.seal();
            try {
                channel.force(true);
            } catch (IOException e) {
                throw store.checkFull(e);
            }
            channel.close();
            store.publish(temp, key);
        } catch (IOException | RuntimeException | Error e) {
            try {
                abort();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        state = State.COMMITTED;
    }

    @Override
    public void close() throws IOException {
        if (state == State.OPEN) {
            abort();
        }
    }

    private void abort() throws IOException {
        state = State.ABORTED;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
