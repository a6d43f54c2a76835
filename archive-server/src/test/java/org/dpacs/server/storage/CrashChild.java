package org.dpacs.server.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.catalog.InstanceRecord;

/**
 * The program {@link FileObjectStoreCrashTest} kills: it stores objects from several threads and commits their
 * catalog records in groups, the way ingest does, and prints each object and each record only once its commit
 * has returned. Run as {@code CrashChild <dataDir> <firstNumber>}; it never stops by itself.
 */
final class CrashChild {

    static final int WRITERS = 3;
    static final int MAX_BATCH = 32;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
        FileObjectStore store = new FileObjectStore(data.resolve("objects"));
        H2Catalog catalog = new H2Catalog(data.resolve("catalog"));
        BlockingQueue<InstanceRecord> pending = new LinkedBlockingQueue<>();
        List<ObjectWrite> abandoned = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        long n = next.getAndIncrement();
                        byte[] content = content(n);
                        ObjectWrite w = store.begin(key(n));
                        w.stream().write(content, 0, n % 5 == 0 ? content.length / 2 : content.length);
                        if (n % 5 == 0) {
                            // Left open on purpose: writes in flight at the kill, whose temp files must vanish.
                            // Past a few dozen, discard instead, so file handles stay bounded.
                            synchronized (abandoned) {
                                if (abandoned.size() < 40) {
                                    abandoned.add(w);
                                } else {
                                    w.close();
                                }
                            }
                            continue;
                        }
                        w.commit();
                        w.close();
                        System.out.println("OBJ " + key(n) + ";");
                        pending.put(InstanceRecord.pending(study(n), series(n), sop(n), "1.2.840.10008.5.1.4.1.1.7",
                                "1.2.840.10008.1.2.1", key(n), content.length, "0".repeat(64)));
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }, "writer-" + t);
            writer.start();
        }
        System.out.println("READY;");
        // The group-commit loop: whatever has arrived, up to MAX_BATCH, in one durable transaction.
        while (true) {
            List<InstanceRecord> batch = new ArrayList<>();
            InstanceRecord first = pending.poll(1, TimeUnit.SECONDS);
            if (first == null) {
                continue;
            }
            batch.add(first);
            pending.drainTo(batch, MAX_BATCH - 1);
            StringBuilder out = new StringBuilder();
            for (InstanceRecord r : catalog.commit(batch)) {
                out.append("SEQ ").append(r.sopInstanceUid()).append(' ').append(r.seq()).append(";\n");
            }
            System.out.print(out);
            System.out.flush();
        }
    }

    static String study(long n) {
        return "1.2.826.0.1." + (n % 5);
    }

    static String series(long n) {
        return study(n) + "." + (n % 11);
    }

    static String sop(long n) {
        return "1.2.826.0.3." + n;
    }

    static String key(long n) {
        return study(n) + "/" + series(n) + "/" + sop(n);
    }

    /** The number an object key was made from. */
    static long number(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('.') + 1));
    }

    /** The one content object {@code n} may have: any other bytes under its key mean a torn or mixed write. */
    static byte[] content(long n) {
        Random random = new Random(n);
        byte[] b = new byte[1 + random.nextInt(150_000)];
        random.nextBytes(b);
        return b;
    }
}
