package org.dpacs.server.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written. {@link #commit()} makes it durable and visible atomically (filesystem: fsync, then
 * atomic rename, then fsync of the directory); {@link #close()} without commit discards it, so no partial
 * object is ever visible.
 */
public interface ObjectWrite extends AutoCloseable {

    OutputStream stream();

    /** Bytes written so far. */
    long size();

    void commit() throws IOException;

    /** Aborts unless committed. */
    @Override
    void close() throws IOException;
}
