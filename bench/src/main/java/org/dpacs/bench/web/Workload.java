package org.dpacs.bench.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sizes of one benchmark run. Both servers get the same workload, and every UID comes from
 * {@link org.dpacs.bench.SyntheticCt#uid} with a name derived from these numbers, so two runs with the same
 * workload send byte-identical instances.
 *
 * @param studies       CT studies per STOW phase (one series each)
 * @param slices        slices (instances) per CT series
 * @param stowBatch     CT instances per STOW-RS request
 * @param clients       concurrent clients of the multi-client STOW phase and of the fill
 * @param indexTotal    instances in the archive after the fill (CT sets included)
 * @param fillBatch     small instances per STOW-RS request during the fill (one fill study per request)
 * @param fillSize      rows and columns of a fill instance
 * @param queryRepeats  timed repetitions of each QIDO-RS query (after {@link #warmups})
 * @param retrieveRepeats timed repetitions of series metadata and of the 13-frame set
 * @param seriesRepeats timed retrievals of a whole series
 * @param warmups       untimed requests before each timed query or retrieval
 */
public record Workload(int studies, int slices, int stowBatch, int clients, int indexTotal, int fillBatch,
                       int fillSize, int queryRepeats, int retrieveRepeats, int seriesRepeats, int warmups) {

    /** Frames OHIF fetches to show the first screen of a CT series: one frame of each of 13 instances. */
    public static final int FRAME_SET = 13;
    /** Series per fill study; a fill study is one STOW-RS request of {@link #fillBatch} instances. */
    public static final int FILL_SERIES = 2;

    /** Issue 3's workload: 4 studies of 300 512x512 slices per STOW phase, an index of 20,000 instances. */
    public static final Workload FULL = new Workload(4, 300, 10, 4, 20_000, 100, 64, 50, 10, 3, 3);
    /** A smoke run that finishes in a minute or two. */
    public static final Workload QUICK = new Workload(2, 20, 10, 4, 1_000, 100, 64, 10, 3, 2, 1);

    /** The option names {@link #withOptions} knows, as given on the command line without the dashes. */
    public static final List<String> OPTIONS = List.of("studies", "slices", "stow-batch", "clients", "index-total",
            "fill-batch", "fill-size", "query-repeats", "retrieve-repeats", "series-repeats", "warmups");

    public Workload {
        if (studies < 1 || slices < FRAME_SET || stowBatch < 1 || clients < 1 || fillBatch < FILL_SERIES
                || fillSize < 8 || queryRepeats < 1 || retrieveRepeats < 1 || seriesRepeats < 1 || warmups < 0) {
            throw new IllegalArgumentException("workload out of range (slices must be at least " + FRAME_SET
                    + ", fill batch at least " + FILL_SERIES + "): " + this);
        }
    }

    /** CT instances of one STOW phase. */
    public int ctInstances() {
        return studies * slices;
    }

    /** Small instances the fill stores: what is missing to {@link #indexTotal} after both CT phases. */
    public int fillInstances() {
        return Math.max(0, indexTotal - 2 * ctInstances());
    }

    public int fillStudies() {
        return (fillInstances() + fillBatch - 1) / fillBatch;
    }

    /** {@code base} with the sizes given on the command line (keys of {@link #OPTIONS}) in place of its own. */
    public static Workload withOptions(Workload base, Map<String, Integer> o) {
        return new Workload(o.getOrDefault("studies", base.studies), o.getOrDefault("slices", base.slices),
                o.getOrDefault("stow-batch", base.stowBatch), o.getOrDefault("clients", base.clients),
                o.getOrDefault("index-total", base.indexTotal), o.getOrDefault("fill-batch", base.fillBatch),
                o.getOrDefault("fill-size", base.fillSize), o.getOrDefault("query-repeats", base.queryRepeats),
                o.getOrDefault("retrieve-repeats", base.retrieveRepeats),
                o.getOrDefault("series-repeats", base.seriesRepeats), o.getOrDefault("warmups", base.warmups));
    }

    /** One line for the report. */
    public String describe() {
        return String.format(Locale.ROOT,
                "CT: %d studies x %d slices 512x512x16 per STOW phase (%d per request), 1 client then %d clients;"
                        + " fill to %,d instances with %dx%d images (%d per request, %d clients);"
                        + " %d timed QIDO repeats, %d metadata/frame repeats, %d series retrievals, %d warm-ups",
                studies, slices, stowBatch, clients, indexTotal, fillSize, fillSize, fillBatch, clients,
                queryRepeats, retrieveRepeats, seriesRepeats, warmups);
    }
}
