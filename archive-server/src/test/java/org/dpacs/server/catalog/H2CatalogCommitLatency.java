package org.dpacs.server.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dpacs.server.storage.FileObjectStore;
import org.dpacs.server.storage.ObjectWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what a durable commit costs, for choosing {@link H2Catalog.Durability} (a measurement, not a test:
 * STYLE.md keeps timings out of unit tests). Run from the test classpath:
 * {@code java -cp ... org.dpacs.server.catalog.H2CatalogCommitLatency [dir]}; the directory should be on the
 * disk the data directory will use, since fsync cost is the disk's.
 */
final class H2CatalogCommitLatency {

    private static final Logger LOG = LoggerFactory.getLogger(H2CatalogCommitLatency.class);
    private static final int WARMUP = 200;
    private static final int MEASURED = 1000;

    private H2CatalogCommitLatency() {
    }

    public static void main(String[] args) throws IOException {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("catalog-latency");
        long n = 0;
        for (H2Catalog.Durability durability : H2Catalog.Durability.values()) {
            for (int batchSize : new int[] {1, 32}) {
                Path file = base.resolve("catalog-" + durability + "-" + batchSize);
                try (H2Catalog catalog = new H2Catalog(file, durability)) {
                    long[] nanos = new long[MEASURED];
                    for (int i = -WARMUP; i < MEASURED; i++) {
                        List<InstanceRecord> batch = new ArrayList<>(batchSize);
                        for (int j = 0; j < batchSize; j++, n++) {
                            batch.add(InstanceRecord.pending("1.2.3." + (n / 1000), "1.2.3." + (n / 1000) + "." + (n / 100),
                                    "1.2.3.4." + n, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1",
                                    "k/" + n, 500_000, "0".repeat(64)));
                        }
                        long start = System.nanoTime();
                        catalog.commit(batch);
                        if (i >= 0) {
                            nanos[i] = System.nanoTime() - start;
                        }
                    }
                    report("catalog commit, " + durability + ", batch of " + batchSize, nanos, batchSize);
                }
            }
        }
        try (FileObjectStore store = new FileObjectStore(base.resolve("objects"))) {
            byte[] object = new byte[512 * 1024];
            long[] nanos = new long[MEASURED];
            for (int i = -WARMUP; i < MEASURED; i++) {
                long start = System.nanoTime();
                try (ObjectWrite w = store.begin("1.2.3/1.2.3." + (i & 7) + "/" + (i + WARMUP))) {
                    w.stream().write(object);
                    w.commit();
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            report("object commit, 512 KiB, fsync file + directory", nanos, 1);
        }
    }

    private static void report(String what, long[] nanos, int perCommit) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        LOG.info(String.format("%-52s median %.3f ms, p90 %.3f ms, p99 %.3f ms, mean %.3f ms -> %.0f records/s",
                what, sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                sorted[sorted.length * 99 / 100] / 1e6, mean, perCommit * 1000 / mean));
    }
}
