package org.dpacs.bench.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one run measured on one server, as a small TSV file: the run script keeps one per server and the
 * compare command reads them back. Lines start with their kind: {@code name}, {@code workload}, {@code op}
 * (a {@link Row}), {@code memory} (a {@link ServerMonitor.PhaseMemory}) and {@code peak-rss}.
 */
record Results(String server, String workload, List<Row> rows, List<ServerMonitor.PhaseMemory> memory,
               long peakRssKb) {

    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("name\t" + server);
        lines.add("workload\t" + workload);
        rows.forEach(r -> lines.add("op\t" + r.toTsv()));
        memory.forEach(m -> lines.add(m.toTsv()));
        lines.add("peak-rss\t" + peakRssKb);
        Files.write(file, lines);
    }

    static Results read(Path file) throws IOException {
        String server = "?";
        String workload = "";
        List<Row> rows = new ArrayList<>();
        List<ServerMonitor.PhaseMemory> memory = new ArrayList<>();
        long peak = -1;
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t", 2);
            switch (f[0]) {
                case "name" -> server = f[1];
                case "workload" -> workload = f[1];
                case "op" -> rows.add(Row.fromTsv(f[1]));
                case "memory" -> {
                    String[] m = f[1].split("\t");
                    memory.add(new ServerMonitor.PhaseMemory(m[0], Long.parseLong(m[1]), Long.parseLong(m[2]),
                            Long.parseLong(m[3]), Long.parseLong(m[4]), Double.parseDouble(m[5])));
                }
                case "peak-rss" -> peak = Long.parseLong(f[1]);
                default -> throw new IOException(file + ": unknown line kind '" + f[0] + "'");
            }
        }
        return new Results(server, workload, rows, memory, peak);
    }

    Optional<Row> row(String operation) {
        return rows.stream().filter(r -> r.operation().equals(operation)).findFirst();
    }

    /** The largest used heap over all phases, -1 when the server is not a JVM. */
    long maxHeapKb() {
        return memory.stream().mapToLong(ServerMonitor.PhaseMemory::maxHeapUsedKb).max().orElse(-1);
    }

    long maxAnonRssKb() {
        return memory.stream().mapToLong(ServerMonitor.PhaseMemory::maxAnonRssKb).max().orElse(-1);
    }

    double gcSeconds() {
        return memory.stream().mapToDouble(ServerMonitor.PhaseMemory::gcSeconds).sum();
    }
}
