package org.dpacs.bench.web;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end DICOMweb benchmark driver that {@code scripts/bench} runs; see docs/benchmarks.md.
 *
 * <pre>
 * generate --data DIR [sizes]                              writes the CT studies both servers receive
 * run --name N --url ROOT --pid PID [--jvm] --data DIR --out FILE [sizes]
 *                                                          the workload against one running server
 * compare A.tsv B.tsv [--markdown FILE]                    the two side by side, with ratios
 * sizes: --quick, or any of --studies --slices --stow-batch --clients --index-total --fill-batch
 *        --fill-size --query-repeats --retrieve-repeats --series-repeats --warmups (whole numbers)
 * </pre>
 */
public final class DicomWebBench {
    private DicomWebBench() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("DicomWebBench: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: generate|run|compare ... (see the class comment)");
        }
        Options o = Options.parse(List.of(args).subList(1, args.length));
        return switch (args[0]) {
            case "generate" -> generate(o);
            case "run" -> runOne(o);
            case "compare" -> compare(o);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
        };
    }

    private static int generate(Options o) throws IOException {
        Workload w = o.workload();
        Path data = Path.of(o.required("data"));
        long start = System.nanoTime();
        for (CtSet set : List.of(BenchRun.single(data, w), BenchRun.multi(data, w))) {
            set.generate();
        }
        CtSet single = BenchRun.single(data, w);
        System.err.printf(Locale.ROOT, "generated 2 x %d CT instances (%.0f MB per set) in %.1f s%n",
                w.ctInstances(), single.bytes() / 1e6, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static int runOne(Options o) throws IOException {
        Workload w = o.workload();
        String name = o.required("name");
        Path data = Path.of(o.required("data"));
        Http http = new Http(o.required("url"));
        long pid = Long.parseLong(o.required("pid"));
        Results results;
        try (ServerMonitor monitor = new ServerMonitor(pid, o.flag("jvm"))) {
            List<Row> rows = new BenchRun(name, http, w, data, monitor).run();
            results = new Results(name, w.describe(), rows, monitor.phases(), monitor.peakRssKb());
        }
        results.write(Path.of(o.required("out")));
        Report.single(results, System.out);
        return results.rows().stream().anyMatch(Row::isFailed) ? 1 : 0;
    }

    private static int compare(Options o) throws IOException {
        if (o.positional().size() != 2) {
            throw new IllegalArgumentException("compare needs two result files");
        }
        Results a = Results.read(Path.of(o.positional().get(0)));
        Results b = Results.read(Path.of(o.positional().get(1)));
        System.out.println("workload: " + a.workload());
        Report.compare(a, b, System.out, false);
        String md = o.values().get("markdown");
        if (md != null) {
            try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(md)), true, "UTF-8")) {
                out.println("Workload: " + a.workload() + ".");
                out.println();
                Report.compare(a, b, out, true);
            }
        }
        return 0;
    }

    /** {@code --key value} pairs, {@code --flag}s and positional arguments. */
    record Options(Map<String, String> values, List<String> flags, List<String> positional) {
        private static final List<String> FLAGS = List.of("jvm", "quick");

        static Options parse(List<String> args) {
            Map<String, String> values = new HashMap<>();
            List<String> flags = new ArrayList<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (!a.startsWith("--")) {
                    positional.add(a);
                } else if (FLAGS.contains(a.substring(2))) {
                    flags.add(a.substring(2));
                } else if (i + 1 < args.size()) {
                    values.put(a.substring(2), args.get(++i));
                } else {
                    throw new IllegalArgumentException(a + " needs a value");
                }
            }
            return new Options(values, flags, positional);
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        String required(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("--" + key + " is required");
            }
            return v;
        }

        Workload workload() {
            Map<String, Integer> sizes = new HashMap<>();
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (Workload.OPTIONS.contains(e.getKey())) {
                    try {
                        sizes.put(e.getKey(), Integer.parseInt(e.getValue()));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("--" + e.getKey() + " must be a whole number, got '"
                                + e.getValue() + "'");
                    }
                }
            }
            for (String key : values.keySet()) {
                if (!Workload.OPTIONS.contains(key) && !List.of("data", "name", "url", "pid", "out", "markdown")
                        .contains(key)) {
                    throw new IllegalArgumentException("unknown option --" + key);
                }
            }
            return Workload.withOptions(flag("quick") ? Workload.QUICK : Workload.FULL, sizes);
        }
    }
}
