package org.dpacs.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where stored objects live. Keys are '/'-separated paths; a study's objects share the prefix of its Study
 * Instance UID so a study can be listed, copied or deleted by prefix. Two implementations: the filesystem
 * (default) and S3.
 */
public interface ObjectStore extends AutoCloseable {

    /** Starts writing {@code key}; nothing is visible under the key until {@link ObjectWrite#commit()}. */
    ObjectWrite begin(String key) throws IOException;

    /** The whole object; {@code DpacsException(NOT_FOUND)} when absent. */
    InputStream open(String key) throws IOException;

    /** {@code length} bytes from {@code offset}, read without transferring the rest of the object. */
    InputStream openRange(String key, long offset, long length) throws IOException;

    Optional<ObjectInfo> head(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Keys under a prefix, in no particular order; the caller closes the stream. */
    Stream<String> list(String prefix) throws IOException;

    @Override
    void close() throws IOException;
}
