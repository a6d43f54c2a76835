package org.dpacs.bench.web;

import java.util.Locale;

/**
 * One measured operation of one server: request latency percentiles and throughput. NaN means "does not
 * apply" (a query has no MB/s). {@code count} is the number of timed requests; {@code items} what they
 * returned or stored in total, which the comparison checks is the same for both servers.
 */
record Row(String operation, int count, double p50Millis, double p95Millis, double instancesPerSecond,
           double megabytesPerSecond, long items, String note) {

    static Row latency(String operation, Samples s, long items, String note) {
        return new Row(operation, s.count(), s.percentileMillis(50), s.percentileMillis(95), Double.NaN,
                Double.NaN, items, note);
    }

    /** Throughput over the summed request time (one client at a time, so the sum is the elapsed time). */
    static Row transfer(String operation, Samples s, long instances, long bytes, String note) {
        double seconds = s.totalNanos() / 1e9;
        return new Row(operation, s.count(), s.percentileMillis(50), s.percentileMillis(95), instances / seconds,
                bytes / 1e6 / seconds, instances, note);
    }

    /** A row that says why the operation could not be measured; some exceptions have no message of their own. */
    static Row failed(String operation, Exception e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        return new Row(operation, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                "FAILED: " + why.replaceAll("\\s+", " "));
    }

    boolean isFailed() {
        return note.startsWith("FAILED");
    }

    String toTsv() {
        return String.join("\t", operation, Integer.toString(count), num(p50Millis), num(p95Millis),
                num(instancesPerSecond), num(megabytesPerSecond), Long.toString(items), note);
    }

    static Row fromTsv(String line) {
        String[] f = line.split("\t", -1);
        return new Row(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]), f[7]);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3f", v);
    }
}
