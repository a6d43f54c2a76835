package org.dpacs.bench.web;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The whole workload against one server, in the order a new archive meets it: CT studies stored by one
 * client, then other CT studies by {@link Workload#clients} clients, then the fill to {@link Workload#indexTotal}
 * instances, then searches and retrievals against the full index. A failed phase is reported as a FAILED row
 * and the run goes on, so one server bug does not hide the other figures; a failed STOW phase skips nothing
 * either, but its figures are gone.
 */
final class BenchRun {
    private final String name;
    private final Http http;
    private final Workload w;
    private final Path data;
    private final ServerMonitor monitor;

    BenchRun(String name, Http http, Workload workload, Path data, ServerMonitor monitor) {
        this.name = name;
        this.http = http;
        this.w = workload;
        this.data = data;
        this.monitor = monitor;
    }

    static CtSet single(Path data, Workload w) {
        return new CtSet(data, "single", w.studies(), w.slices());
    }

    static CtSet multi(Path data, Workload w) {
        return new CtSet(data, "multi", w.studies(), w.slices());
    }

    List<Row> run() {
        List<Row> rows = new ArrayList<>();
        StoredUids uids = new StoredUids();
        StowRunner stow = new StowRunner(http, uids);
        CtSet single = single(data, w);
        CtSet multi = multi(data, w);

        rows.add(stowCt(stow, "STOW-RS CT, 1 client", "stow-1", single, 1));
        rows.add(stowCt(stow, "STOW-RS CT, " + w.clients() + " clients", "stow-" + w.clients(), multi, w.clients()));
        rows.addAll(fill(stow));

        if (uids.remapped()) {
            progress("the server stored the instances under new UIDs (de-identification?); searches and"
                    + " retrievals use those");
        }
        rows.addAll(new QueryPhase(http, w).run(single, uids, monitor::phase));
        rows.addAll(new RetrievePhase(http, w, uids).run(single, monitor::phase));
        monitor.phase("end");
        return rows;
    }

    private Row stowCt(StowRunner stow, String operation, String phase, CtSet set, int clients) {
        progress(operation + ": " + set.studies() * set.slices() + " instances");
        monitor.phase(phase);
        try {
            StowRunner.Outcome o = stow.run(set.batches(w.stowBatch()), clients);
            return throughput(operation, o, w.stowBatch() + " per request");
        } catch (IOException | InterruptedException e) {
            return Row.failed(operation, e);
        }
    }

    /** The fill, and its first and last fifth apart: ingest should not slow down as the index grows. */
    private List<Row> fill(StowRunner stow) {
        String operation = String.format(Locale.ROOT, "STOW-RS fill %dx%d, %d clients", w.fillSize(), w.fillSize(),
                w.clients());
        if (w.fillInstances() == 0) {
            return List.of();
        }
        progress(operation + ": " + w.fillInstances() + " instances to reach " + w.indexTotal());
        monitor.phase("fill");
        try {
            StowRunner.Outcome o = stow.run(new FillSet(w).batches(), w.clients());
            double first = o.rateBetween(0, 0.2);
            double last = o.rateBetween(0.8, 1.0);
            return List.of(throughput(operation, o, w.fillBatch() + " per request"),
                    rate("fill: first 20% of the fill", first, ""),
                    rate("fill: last 20% of the fill", last,
                            String.format(Locale.ROOT, "%.2f x the first 20%%", last / first)));
        } catch (IOException | InterruptedException e) {
            return List.of(Row.failed(operation, e));
        }
    }

    private static Row throughput(String operation, StowRunner.Outcome o, String note) {
        Samples s = o.latencies();
        return new Row(operation, s.count(), s.percentileMillis(50), s.percentileMillis(95),
                o.instances() / o.seconds(), o.bytes() / 1e6 / o.seconds(), o.instances(),
                note + String.format(Locale.ROOT, ", %.1f s", o.seconds()));
    }

    private static Row rate(String operation, double perSecond, String note) {
        return new Row(operation, 0, Double.NaN, Double.NaN, perSecond, Double.NaN, 0, note);
    }

    private void progress(String what) {
        System.err.printf(Locale.ROOT, "[%s] %s%n", name, what);
    }
}
