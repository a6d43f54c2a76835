package org.dpacs.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md "Acknowledged means durable": a child JVM ({@link CrashChild}) stores objects and commits catalog
 * records, reporting each one only after its commit returned, and is killed with SIGKILL at a random moment.
 * Reopened, the store and catalog must hold everything reported, and nothing partial may be visible. Two rounds
 * run on the same data, so the second child also starts from a crashed state. This proves survival of a process
 * kill (the OS keeps what was written); a power loss cannot be simulated here.
 */
class FileObjectStoreCrashTest {

    @TempDir
    Path data;

    @Test
    void everythingReportedCommittedSurvivesKill9() throws Exception {
        Random random = new Random();
        List<String> objects = new ArrayList<>();
        Map<String, Long> seqs = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            long runMillis = 700 + random.nextInt(1300);
            List<String> lines = runAndKill(round * 10_000_000L, runMillis);
            for (String line : lines) {
                if (line.startsWith("OBJ ")) {
                    objects.add(line.substring(4, line.length() - 1));
                } else if (line.startsWith("SEQ ")) {
                    String[] parts = line.substring(4, line.length() - 1).split(" ");
                    seqs.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        assertThat(objects).as("the child committed objects before it was killed").hasSizeGreaterThan(10);
        assertThat(seqs).as("the child committed catalog batches before it was killed").hasSizeGreaterThan(5);

        try (FileObjectStore store = new FileObjectStore(data.resolve("objects"))) {
            try (Stream<Path> temps = Files.list(store.root().resolve(".tmp"))) {
                assertThat(temps).as("unfinished writes are removed on start").isEmpty();
            }
            for (String key : objects) {
                assertThat(store.head(key)).as("reported object %s", key).isPresent();
            }
            List<String> visible;
            try (Stream<String> keys = store.list("")) {
                visible = keys.toList();
            }
            // Every visible object is whole, reported or not (a commit may finish just before the kill).
            for (String key : visible) {
                try (InputStream in = store.open(key)) {
                    assertThat(in.readAllBytes()).as("content of %s", key)
                            .isEqualTo(CrashChild.content(CrashChild.number(key)));
                }
            }
            try (H2Catalog catalog = new H2Catalog(data.resolve("catalog"))) {
                for (Map.Entry<String, Long> e : seqs.entrySet()) {
                    assertThat(catalog.instance(e.getKey())).as("reported record %s", e.getKey())
                            .get().extracting(InstanceRecord::seq).isEqualTo(e.getValue());
                }
                // The child records an object only after storing it: no record may point at a missing object.
                for (InstanceRecord r : catalog.since(0, Integer.MAX_VALUE)) {
                    assertThat(store.head(r.objectKey())).as("object of record %s", r.sopInstanceUid())
                            .get().extracting(ObjectInfo::size).isEqualTo(r.size());
                }
                assertThat(catalog.count()).isGreaterThanOrEqualTo(seqs.size());
            }
        }
    }

    /** Runs a child from object number {@code first}, kills it {@code runMillis} after it is ready. */
    private List<String> runAndKill(long first, long runMillis) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = data.resolve("child-" + first + ".log");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                data.toString(), Long.toString(first))
                .redirectError(log.toFile())
                .start();
        List<String> lines = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    // A line cut by the kill lacks its ';' and proves nothing; it is ignored.
                    if (line.equals("READY;")) {
                        ready.countDown();
                    } else if (line.endsWith(";")) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                }
            } catch (IOException e) {
                // The pipe breaks when the child dies: the lines read so far are the result.
            }
        }, "crash-child-stdout");
        reader.start();
        try {
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("child started; its log: %s", log).isTrue();
            Thread.sleep(runMillis);
            assertThat(child.isAlive()).as("child still running; its log: %s", log).isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        // 128 + 9: killed by SIGKILL, not an exit of its own.
        assertThat(child.exitValue()).as("exit status; child log: %s", Files.readString(log)).isEqualTo(137);
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
