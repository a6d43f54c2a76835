package org.dpacs.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ObjectStore} promises, written against the interface: an implementation's test extends this
 * class and says how to open a store and how to count its unfinished writes.
 */
abstract class ObjectStoreContract {

    protected ObjectStore store;

    /** A fresh, empty store. */
    protected abstract ObjectStore openStore() throws IOException;

    /** Writes begun and not yet committed or discarded, as the backend holds them (temp files, uploads). */
    protected abstract long unfinishedWrites() throws IOException;

    @BeforeEach
    void open() throws IOException {
        store = openStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 1 << 20})
    void returnsWhatWasCommitted(int size) throws IOException {
        byte[] data = bytes(size, size);
        put("1.2.3/4.5/6." + size, data);
        try (InputStream in = store.open("1.2.3/4.5/6." + size)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void countsBytesWritten() throws IOException {
        try (ObjectWrite w = store.begin("a/b")) {
            w.stream().write(7);
            w.stream().write(new byte[100_000]);
            w.stream().write(new byte[10], 2, 5);
            assertThat(w.size()).isEqualTo(100_006);
            w.commit();
            assertThat(w.size()).isEqualTo(100_006);
        }
        assertThat(store.head("a/b")).get().extracting(ObjectInfo::size).isEqualTo(100_006L);
    }

    @Test
    void rangeReadReturnsExactlyTheRange() throws IOException {
        byte[] data = bytes(300_000, 1);
        put("r/1", data);
        long[][] ranges = {{0, 1}, {0, 300_000}, {1, 299_999}, {123_457, 70_001}, {299_999, 1}, {300_000, 0},
            {17, 0}};
        for (long[] r : ranges) {
            int offset = (int) r[0];
            int length = (int) r[1];
            try (InputStream in = store.openRange("r/1", offset, length)) {
                assertThat(in.readAllBytes()).as("range %d+%d", offset, length)
                        .isEqualTo(Arrays.copyOfRange(data, offset, offset + length));
                assertThat(in.read()).as("nothing after the range").isEqualTo(-1);
                assertThat(in.read(new byte[10])).isEqualTo(-1);
            }
        }
    }

    @Test
    void rangeReadStopsAtItsEndWhateverTheCallerAsksFor() throws IOException {
        byte[] data = bytes(100_000, 2);
        put("r/2", data);
        try (InputStream in = store.openRange("r/2", 1000, 10)) {
            byte[] big = new byte[50_000];
            Arrays.fill(big, (byte) 0x5A);
            int n = in.read(big, 0, big.length);
            assertThat(n).isEqualTo(10);
            assertThat(Arrays.copyOf(big, 10)).isEqualTo(Arrays.copyOfRange(data, 1000, 1010));
            assertThat(big[10]).as("bytes past the range are not touched").isEqualTo((byte) 0x5A);
        }
        try (InputStream in = store.openRange("r/2", 1000, 10)) {
            assertThat(in.skip(1_000_000)).isEqualTo(10);
            assertThat(in.read()).isEqualTo(-1);
        }
        try (InputStream in = store.openRange("r/2", 99_990, 10)) {
            assertThat(in.read()).isEqualTo(data[99_990] & 0xFF);
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 99_991, 100_000));
        }
    }

    @Test
    void rejectsRangesOutsideTheObject() throws IOException {
        put("r/3", bytes(100, 3));
        long[][] bad = {{101, 0}, {0, 101}, {50, 51}, {-1, 10}, {0, -1}, {1, Long.MAX_VALUE}, {Long.MAX_VALUE, 1}};
        for (long[] r : bad) {
            assertThatThrownBy(() -> store.openRange("r/3", r[0], r[1]).close())
                    .as("range %d+%d", r[0], r[1])
                    .isInstanceOfSatisfying(DpacsException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_REQUEST))
                    .hasMessageContaining("r/3");
        }
    }

    @Test
    void uncommittedWriteIsInvisible() throws IOException {
        try (ObjectWrite w = store.begin("u/1")) {
            w.stream().write(bytes(200_000, 4));
            w.stream().flush();
            assertThat(store.head("u/1")).isEmpty();
            assertNotFound(() -> store.open("u/1").close());
            try (Stream<String> keys = store.list("")) {
                assertThat(keys).isEmpty();
            }
            w.commit();
        }
        assertThat(store.head("u/1")).isPresent();
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws IOException {
        try (ObjectWrite w = store.begin("c/1")) {
            w.stream().write(bytes(100_000, 5));
            assertThat(unfinishedWrites()).isEqualTo(1);
        }
        assertThat(store.head("c/1")).isEmpty();
        assertThat(unfinishedWrites()).isZero();
        try (Stream<String> keys = store.list("")) {
            assertThat(keys).isEmpty();
        }
    }

    @Test
    void closingTheStreamDoesNotEndTheWrite() throws IOException {
        byte[] data = bytes(1000, 6);
        try (ObjectWrite w = store.begin("s/1")) {
            try (OutputStream out = w.stream()) {
                out.write(data);
            }
            w.commit();
        }
        assertThat(read("s/1")).isEqualTo(data);
    }

    @Test
    void aWriteCommitsOnce() throws IOException {
        try (ObjectWrite w = store.begin("o/1")) {
            w.stream().write(1);
            w.commit();
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.stream().write(2)).isInstanceOf(IOException.class);
        }
        assertThat(read("o/1")).containsExactly(1);
        ObjectWrite discarded = store.begin("o/2");
        discarded.close();
        assertThatThrownBy(discarded::commit).isInstanceOf(IllegalStateException.class);
        assertThat(store.head("o/2")).isEmpty();
    }

    @Test
    void overwriteByCommitIsAtomic() throws Exception {
        byte[] a = filled(200_000, 'a');
        byte[] b = filled(333_333, 'b');
        put("w/1", a);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    do {
                        byte[] seen = read("w/1");
                        if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                            throw new AssertionError("read a mix of versions, " + seen.length + " bytes");
                        }
                        reads++;
                    } while (!stop.get());
                    return reads;
                }));
            }
            // A stream opened before an overwrite keeps reading the version it opened.
            try (InputStream early = store.open("w/1")) {
                for (int i = 0; i < 40; i++) {
                    put("w/1", i % 2 == 0 ? b : a);
                }
                assertThat(early.readAllBytes()).isEqualTo(a);
            }
            stop.set(true);
            for (Future<Integer> r : readers) {
                assertThat(r.get()).isPositive();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(read("w/1")).isEqualTo(a);
    }

    @Test
    void headReportsSizeAndTime() throws IOException {
        Instant before = Instant.now().minus(Duration.ofSeconds(2));
        put("h/1", bytes(4321, 7));
        ObjectInfo info = store.head("h/1").orElseThrow();
        assertThat(info.key()).isEqualTo("h/1");
        assertThat(info.size()).isEqualTo(4321);
        assertThat(info.lastModified()).isBetween(before, Instant.now().plus(Duration.ofSeconds(2)));
        assertThat(store.head("h/2")).isEmpty();
    }

    @Test
    void deleteRemovesTheObjectAndIgnoresAbsentKeys() throws IOException {
        put("d/1/a", bytes(10, 8));
        put("d/1/b", bytes(10, 9));
        store.delete("d/1/a");
        assertThat(store.head("d/1/a")).isEmpty();
        assertNotFound(() -> store.open("d/1/a").close());
        assertThat(read("d/1/b")).hasSize(10);
        store.delete("d/1/a");
        store.delete("never/stored");
        store.delete("d/1/b");
        try (Stream<String> keys = store.list("")) {
            assertThat(keys).isEmpty();
        }
        put("d/1/a", bytes(3, 10));
        assertThat(read("d/1/a")).hasSize(3);
    }

    @Test
    void listsKeysByPrefix() throws IOException {
        List<String> keys = List.of("1.2.3/4.5/6.7", "1.2.3/4.5/6.8", "1.2.3/4.6/6.9", "1.2.30/4.5/6.7", "top");
        for (String k : keys) {
            put(k, bytes(5, k.hashCode()));
        }
        assertThat(list("")).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(list("1.2.3/")).containsExactlyInAnyOrder("1.2.3/4.5/6.7", "1.2.3/4.5/6.8", "1.2.3/4.6/6.9");
        assertThat(list("1.2.3")).containsExactlyInAnyOrder("1.2.3/4.5/6.7", "1.2.3/4.5/6.8", "1.2.3/4.6/6.9",
                "1.2.30/4.5/6.7");
        assertThat(list("1.2.3/4.5/")).containsExactlyInAnyOrder("1.2.3/4.5/6.7", "1.2.3/4.5/6.8");
        assertThat(list("1.2.3/4.5/6.8")).containsExactly("1.2.3/4.5/6.8");
        assertThat(list("1.2.3/4.")).hasSize(3);
        assertThat(list("9/")).isEmpty();
        assertThat(list("1.2.3/4.5/6.7/")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "a/", "../x", "a/../b", "a/./b", ".", "..", "a b", "a\\b", "a:b",
        "\u00e4", "a\u0000b", ".tmp/x", ".tmp"})
    void rejectsBadKeys(String key) {
        assertBadRequest(() -> store.begin(key).close());
        assertBadRequest(() -> store.open(key).close());
        assertBadRequest(() -> store.openRange(key, 0, 0).close());
        assertBadRequest(() -> store.head(key));
        assertBadRequest(() -> store.delete(key));
    }

    @Test
    void rejectsOverlongKeys() {
        assertBadRequest(() -> store.begin("x".repeat(256)).close());
        assertBadRequest(() -> store.begin(("x".repeat(200) + "/").repeat(6)).close());
    }

    @Test
    void rejectsBadPrefixes() {
        for (String prefix : List.of("/", "../", "a//", "a b", ".tmp/", "a/../")) {
            assertBadRequest(() -> store.list(prefix).close());
        }
    }

    @Test
    void missingKeyIsNotFound() throws IOException {
        assertNotFound(() -> store.open("no/such/key").close());
        assertNotFound(() -> store.openRange("no/such/key", 0, 0).close());
        assertThat(store.head("no/such/key")).isEmpty();
        put("dir/of/object", bytes(1, 1));
        // A key naming a prefix of other keys is not an object.
        assertNotFound(() -> store.open("dir/of").close());
        assertThat(store.head("dir/of")).isEmpty();
    }

    @Test
    void concurrentWritersToDifferentKeys() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // Threads share study and series directories, so directory creation races too.
                        put("9.9/" + (i % 3) + "/" + thread + "." + i, bytes(1000 + i * 97, thread * 1000 + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(list("9.9/")).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(read("9.9/" + (i % 3) + "/" + t + "." + i)).isEqualTo(bytes(1000 + i * 97, t * 1000 + i));
            }
        }
        assertThat(unfinishedWrites()).isZero();
    }

    protected final void put(String key, byte[] data) throws IOException {
        try (ObjectWrite w = store.begin(key)) {
            w.stream().write(data);
            w.commit();
        }
    }

    protected final byte[] read(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    protected final List<String> list(String prefix) throws IOException {
        try (Stream<String> keys = store.list(prefix)) {
            return keys.toList();
        }
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static void assertNotFound(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DpacsException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    private static void assertBadRequest(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DpacsException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_REQUEST));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
