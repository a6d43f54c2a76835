package org.dpacs.server.dicomweb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.storage.ObjectInfo;
import org.dpacs.server.storage.ObjectStore;
import org.dpacs.server.storage.ObjectWrite;

/** An ObjectStore in memory that counts the bytes handed out, to check what a retrieval reads. */
final class MemoryStore implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong opens = new AtomicLong();

    void put(String key, byte[] bytes) {
        objects.put(key, bytes);
    }

    @Override
    public ObjectWrite begin(String key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new ObjectWrite() {
            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public long size() {
                return out.size();
            }

            @Override
            public void commit() {
                objects.put(key, out.toByteArray());
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public InputStream open(String key) {
        byte[] b = bytes(key);
        return counting(new ByteArrayInputStream(b));
    }

    @Override
    public InputStream openRange(String key, long offset, long length) {
        byte[] b = bytes(key);
        if (offset < 0 || length < 0 || offset + length > b.length) {
            throw DpacsException.badRequest("range outside object " + key);
        }
        return counting(new ByteArrayInputStream(b, (int) offset, (int) length));
    }

    private byte[] bytes(String key) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw DpacsException.notFound("no object " + key);
        }
        opens.incrementAndGet();
        return b;
    }

    private InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = super.skip(n);
                bytesRead.addAndGet(s); // a store streams skipped bytes too
                return s;
            }
        };
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return Optional.ofNullable(objects.get(key)).map(b -> new ObjectInfo(key, b.length, Instant.EPOCH));
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public Stream<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix));
    }

    @Override
    public void close() {
    }
}
