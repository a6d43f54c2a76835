package org.dpacs.bench.web;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints results as plain-text or Markdown tables: one server alone, or two side by side with their ratio.
 * Every ratio is stated so that above 1 means the first server (dPACS) is better: throughput ratio =
 * first / second, latency ratio = second's p50 / first's p50.
 */
final class Report {
    private Report() {
    }

    /** Issue 3's targets, as ratios of the kind {@link #ratio} computes. */
    static Optional<Double> target(String operation) {
        if (operation.startsWith("STOW-RS CT,") && !operation.endsWith(" 1 client")) {
            return Optional.of(3.0);
        }
        if (operation.startsWith("QIDO ")) {
            return Optional.of(10.0);
        }
        if (operation.startsWith("WADO series metadata (")) {
            return Optional.of(5.0);
        }
        return Optional.empty();
    }

    /** Ingest and whole-series retrieval are judged by throughput, everything a viewer waits for by latency. */
    static boolean byThroughput(String operation) {
        return operation.startsWith("STOW-RS") || operation.startsWith("fill:")
                || operation.startsWith("WADO series (");
    }

    static double ratio(Row first, Row second) {
        return byThroughput(first.operation()) ? first.instancesPerSecond() / second.instancesPerSecond()
                : second.p50Millis() / first.p50Millis();
    }

    static void single(Results r, PrintStream out) {
        out.println("== " + r.server() + " ==");
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"operation", "n", "p50 ms", "p95 ms", "inst/s", "MB/s", "items", "note"});
        for (Row row : r.rows()) {
            table.add(new String[] {row.operation(), Integer.toString(row.count()), ms(row.p50Millis()),
                    ms(row.p95Millis()), rate(row.instancesPerSecond()), rate(row.megabytesPerSecond()),
                    Long.toString(row.items()), row.note()});
        }
        printAligned(table, out);
        memory(r, out);
    }

    static void memory(Results r, PrintStream out) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"phase", "max heap used MB", "max old gen MB", "max RSS MB", "max anon RSS MB",
            "GC s"});
        for (ServerMonitor.PhaseMemory m : r.memory()) {
            if (m.maxRssKb() < 0 && m.maxHeapUsedKb() < 0) {
                continue;
            }
            table.add(new String[] {m.phase(), mb(m.maxHeapUsedKb()), mb(m.maxOldUsedKb()), mb(m.maxRssKb()),
                    mb(m.maxAnonRssKb()), String.format(Locale.ROOT, "%.2f", m.gcSeconds())});
        }
        out.println();
        out.println("memory of " + r.server() + " (peak RSS over the process life: " + mb(r.peakRssKb()) + " MB)");
        printAligned(table, out);
    }

    static void compare(Results a, Results b, PrintStream out, boolean markdown) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"operation", a.server() + " p50/p95 ms", a.server() + " inst/s, MB/s",
                b.server() + " p50/p95 ms", b.server() + " inst/s, MB/s", "ratio (>1: " + a.server() + " better)",
                "target", "items"});
        List<String> warnings = new ArrayList<>();
        for (Row x : a.rows()) {
            Optional<Row> y = b.row(x.operation());
            String ratio = "";
            String items = Long.toString(x.items());
            if (y.isPresent() && !x.isFailed() && !y.get().isFailed()) {
                double q = ratio(x, y.get());
                ratio = String.format(Locale.ROOT, "%.2f (%s)", q, byThroughput(x.operation()) ? "throughput"
                        : "p50 latency");
                if (x.items() != y.get().items()) {
                    items = x.items() + " vs " + y.get().items();
                    warnings.add(x.operation() + ": " + a.server() + " returned " + x.items() + ", " + b.server()
                            + " " + y.get().items());
                }
            }
            String goal = target(x.operation()).map(t -> {
                boolean met = y.isPresent() && !x.isFailed() && !y.get().isFailed() && ratio(x, y.get()) >= t;
                return String.format(Locale.ROOT, ">= %.0f: %s", t, met ? "met" : "MISSED");
            }).orElse("");
            table.add(new String[] {x.operation(), latency(x), throughput(x), y.map(Report::latency).orElse("-"),
                    y.map(Report::throughput).orElse("-"), ratio, goal, items});
        }
        table.add(new String[] {"max heap used / peak RSS / max anon RSS (MB)", mb(a.maxHeapKb()) + " / "
                + mb(a.peakRssKb()) + " / " + mb(a.maxAnonRssKb()), "GC " + String.format(Locale.ROOT, "%.1f s",
                a.gcSeconds()), mb(b.maxHeapKb()) + " / " + mb(b.peakRssKb()) + " / " + mb(b.maxAnonRssKb()), "", "",
                "", ""});
        if (markdown) {
            printMarkdown(table, out);
        } else {
            printAligned(table, out);
        }
        a.rows().stream().filter(Row::isFailed).forEach(r -> out.println(a.server() + " " + r.operation() + ": "
                + r.note()));
        b.rows().stream().filter(Row::isFailed).forEach(r -> out.println(b.server() + " " + r.operation() + ": "
                + r.note()));
        warnings.forEach(w -> out.println("WARNING different answers: " + w));
    }

    private static String latency(Row r) {
        if (r.isFailed()) {
            return "FAILED";
        }
        return Double.isNaN(r.p50Millis()) ? "" : ms(r.p50Millis()) + " / " + ms(r.p95Millis());
    }

    private static String throughput(Row r) {
        if (r.isFailed() || Double.isNaN(r.instancesPerSecond())) {
            return "";
        }
        return rate(r.instancesPerSecond()) + (Double.isNaN(r.megabytesPerSecond()) ? ""
                : ", " + rate(r.megabytesPerSecond()));
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : Long.toString(Math.round(kb / 1024.0));
    }

    private static void printAligned(List<String[]> table, PrintStream out) {
        int[] width = new int[table.get(0).length];
        for (String[] r : table) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + width[i] + "s", r[i]));
                line.append(i + 1 < r.length ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void printMarkdown(List<String[]> table, PrintStream out) {
        for (int k = 0; k < table.size(); k++) {
            out.println("| " + String.join(" | ", table.get(k)) + " |");
            if (k == 0) {
                out.println("|" + " --- |".repeat(table.get(0).length));
            }
        }
    }
}
