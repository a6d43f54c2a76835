package org.dpacs.bench.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Watches the server process while the driver works: its resident set from {@code /proc/PID/status} every
 * 250 ms and, for a JVM, its heap from one {@code jstat -gc PID 500} child that runs for the whole run (one
 * jstat, not one per sample, so sampling costs the 2-core machine almost nothing). Samples are charged to the
 * phase the driver has set, giving the peak heap and RSS of each phase and its GC time.
 *
 * <p>Used heap is S0U+S1U+EU+OU as jstat reports it: live data plus garbage not yet collected, so its peak
 * shows how close the heap came to -Xmx; OU alone (old generation) tracks what survives.
 */
final class ServerMonitor implements AutoCloseable {

    /**
     * Peaks of one phase; heap figures are -1 when the server is not a JVM. RSS counts mapped files too (Lucene
     * maps its index, Orthanc's SQLite may), so the anonymous part (RssAnon: heap, stacks, native allocations)
     * is kept apart: it is the memory the process itself asked for.
     */
    record PhaseMemory(String phase, long maxHeapUsedKb, long maxOldUsedKb, long maxRssKb, long maxAnonRssKb,
                       double gcSeconds) {
        String toTsv() {
            return String.join("\t", "memory", phase, Long.toString(maxHeapUsedKb), Long.toString(maxOldUsedKb),
                    Long.toString(maxRssKb), Long.toString(maxAnonRssKb),
                    String.format(Locale.ROOT, "%.3f", gcSeconds));
        }
    }

    private final long pid;
    private final Map<String, long[]> peaks = new LinkedHashMap<>(); // per phase: heap, old gen, RSS, anon RSS (KB)
    private final Map<String, Double> gcTime = new LinkedHashMap<>();
    private final Thread rssSampler;
    private final Optional<Process> jstat;
    private volatile String phase = "start";
    private volatile boolean closed;
    private double lastGct = Double.NaN;

    ServerMonitor(long pid, boolean jvm) throws IOException {
        this.pid = pid;
        if (!Files.isReadable(statusFile())) {
            throw new IOException("no process " + pid + " to watch (" + statusFile() + " is not readable)");
        }
        this.rssSampler = Thread.ofPlatform().daemon().name("rss-sampler").start(this::sampleRss);
        this.jstat = jvm ? Optional.of(startJstat()) : Optional.empty();
    }

    /** Charges the samples from now on to {@code name}. */
    synchronized void phase(String name) {
        phase = name;
        peaks.computeIfAbsent(name, k -> new long[] {-1, -1, -1, -1});
        gcTime.putIfAbsent(name, 0.0);
        // A phase shorter than the sampling period still gets one RSS figure.
        sampleRssOnce();
    }

    synchronized List<PhaseMemory> phases() {
        List<PhaseMemory> out = new ArrayList<>();
        peaks.forEach((name, p) -> out.add(new PhaseMemory(name, p[0], p[1], p[2], p[3],
                gcTime.getOrDefault(name, 0.0))));
        return out;
    }

    /** VmHWM: the peak resident set of the process over its whole life, as the kernel counted it. */
    long peakRssKb() {
        return statusField("VmHWM:");
    }

    private Path statusFile() {
        return Path.of("/proc", Long.toString(pid), "status");
    }

    private long statusField(String name) {
        try {
            for (String line : Files.readAllLines(statusFile())) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process has gone; the caller sees -1.
        }
        return -1;
    }

    private void sampleRss() {
        while (!closed) {
            sampleRssOnce();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sampleRssOnce() {
        long rss = statusField("VmRSS:");
        if (rss > 0) {
            record(2, rss);
            record(3, statusField("RssAnon:"));
        }
    }

    private synchronized void record(int slot, long kb) {
        long[] p = peaks.computeIfAbsent(phase, k -> new long[] {-1, -1, -1, -1});
        p[slot] = Math.max(p[slot], kb);
    }

    private synchronized void recordGc(double gct) {
        if (!Double.isNaN(lastGct)) {
            gcTime.merge(phase, gct - lastGct, Double::sum);
        }
        lastGct = gct;
    }

    private Process startJstat() throws IOException {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "jstat");
        Process p = new ProcessBuilder(bin.toString(), "-gc", Long.toString(pid), "500")
                .redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name("jstat-reader").start(() -> readJstat(p));
        return p;
    }

    /** Columns by header name: the set differs between collectors and JDK versions. */
    private void readJstat(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 0 && f[0].equals("S0C")) {
                    header = List.of(f);
                    continue;
                }
                if (header == null || f.length != header.size()) {
                    if (!line.isBlank() && header == null) {
                        System.err.println("jstat: " + line);
                    }
                    continue;
                }
                double used = 0;
                for (String col : List.of("S0U", "S1U", "EU", "OU")) {
                    used += value(f, header, col);
                }
                record(0, (long) used);
                record(1, (long) value(f, header, "OU"));
                recordGc(value(f, header, "GCT"));
            }
        } catch (IOException e) {
            // jstat ended with the server.
        }
    }

    private static double value(String[] fields, List<String> header, String column) {
        int i = header.indexOf(column);
        if (i < 0 || fields[i].equals("-")) {
            return 0;
        }
        return Double.parseDouble(fields[i]);
    }

    @Override
    public void close() {
        closed = true;
        rssSampler.interrupt();
        jstat.ifPresent(Process::destroy);
    }
}
