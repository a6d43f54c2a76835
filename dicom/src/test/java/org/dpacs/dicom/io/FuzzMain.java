package org.dpacs.dicom.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;

/**
 * The fuzz driver {@link DicomReaderFuzzTest} forks with {@code -Xmx64m}, so that a reader allocating what a
 * lying length field asks for fails here with OutOfMemoryError instead of passing on a big test heap.
 *
 * <pre>
 * run      &lt;seed&gt; &lt;count&gt; &lt;failure dir&gt; &lt;sample root&gt;...   mutate, parse, round-trip; exit 1 on any failure
 * replay   &lt;seed&gt; &lt;index&gt; &lt;out file&gt; &lt;sample root&gt;...     write mutation #index of a run and check it again
 * minimize &lt;seed&gt; &lt;index&gt; &lt;out file&gt; &lt;sample root&gt;...     shrink that mutation while it fails the same way
 * check    &lt;file&gt;                                        run every check on one file (a regression input)
 * </pre>
 *
 * Each mutation is generated from its own random stream, {@code SplittableRandom(mix(seed, index))}, so any
 * single one is reproducible from the seed and index printed with it. Every input is parsed four ways: from an
 * InputStream (unknown length) and from a file channel (known length), each with {@link ReadOptions#EVERYTHING}
 * and {@link ReadOptions#DEFAULT}. A parse must return or throw {@link DicomParseException}; the stream and the
 * channel parse must agree; a parse that succeeded with EVERYTHING is written back (explicit VR little endian,
 * undefined lengths) and must read back equal. Output lines: {@code FAIL <kind> ...} with a reproduction command
 * (the first two occurrences of each distinct failure), then {@code SUMMARY ...} and one {@code SIGNATURE <count>
 * <signature>} per distinct failure, which the test matches against the known bugs. Kinds: crash (a throwable
 * other than DicomParseException), slow, hang, stopped (a parse without stopAt that stopped), disagree (stream
 * and channel parse differ), roundtrip-write, roundtrip-reread, roundtrip-mismatch, roundtrip-group0002 (the
 * same, caused by group 0002 elements in the data set), driver (a bug of this class).
 */
public final class FuzzMain {
    /** A single parse slower than this is a failure. */
    static final long SLOW_NANOS = 2_000_000_000L;
    /** A parse still running after this is a hang: the run reports it and exits. */
    private static final long HANG_NANOS = 10_000_000_000L;
    private static final int MAX_REPORTS_PER_SIGNATURE = 2;
    /** (0008,1115) Referenced Series Sequence: a dictionary SQ, so implicit VR nests it too. */
    private static final int NESTED_SEQUENCE = 0x00081115;

    /** A corpus entry: the bytes, where the data set starts and how it is encoded. */
    record Seed(String name, byte[] bytes, int datasetOffset, TransferSyntax ts) {
    }

    record Mutant(byte[] bytes, String description) {
    }

    /** How one input fared: null failure means it passed every check. */
    record Verdict(String kind, String detail, Throwable cause) {
        String signature() {
            String where = "";
            if (cause != null) {
                for (StackTraceElement e : cause.getStackTrace()) {
                    if (e.getClassName().startsWith("org.dpacs.dicom") && !e.getClassName().endsWith("FuzzMain")) {
                        where = e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber();
                        break;
                    }
                }
            }
            // Without an exception, the first difference tells one bug from another: its numbers are masked
            // but a tag keeps its group, written (Ggggg,#). A parse exception is told by its message without
            // the tag and position it names.
            String detailKey = "";
            if (cause == null) {
                detailKey = detail.split(", ")[0].replaceAll("\\(([0-9A-F]{4}),[0-9A-F]{4}\\)", "(G$1,#)")
                        .replaceAll("\\b[0-9]+\\b", "#");
            } else if (cause instanceof DicomParseException) {
                detailKey = String.valueOf(cause.getMessage()).replaceAll("( in \\([0-9A-F,]{9}\\))? at position [0-9]+$", "")
                        .replaceAll("\\b[0-9]+\\b", "#");
            }
            return kind + " " + (cause == null ? "" : cause.getClass().getName()) + " " + where + " " + detailKey;
        }
    }

    private final List<Seed> corpus;
    private final Path scratch;
    private final PrintStream out;
    private volatile long parseStart;
    private volatile String current = "";
    long parses;
    long parseErrors;
    long successes;
    long roundTrips;
    long slowestNanos;

    FuzzMain(List<Seed> corpus, Path scratch, PrintStream out) {
        this.corpus = corpus;
        this.scratch = scratch;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("check")) {
            Path scratch = Files.createTempFile("dpacs-fuzz-", ".dcm");
            try {
                FuzzMain fuzz = new FuzzMain(List.of(), scratch, System.out);
                fuzz.startWatchdog(Thread.currentThread());
                Verdict v = fuzz.check(new Mutant(Files.readAllBytes(Path.of(args[1])), args[1]), args[1]);
                System.out.println(v == null ? "PASS" : "FAIL " + v.kind() + " :: " + v.detail());
                if (v != null && v.cause() != null) {
                    v.cause().printStackTrace(System.out);
                }
                System.out.flush();
                System.exit(v == null ? 0 : 1);
            } finally {
                Files.deleteIfExists(scratch);
            }
        }
        if (args.length < 5) {
            System.err.println("usage: FuzzMain run|replay|minimize <seed> <count|index> <dir|file> <sample root>...");
            System.exit(2);
        }
        long seed = Long.decode(args[1]);
        long n = Long.parseLong(args[2]);
        Path target = Path.of(args[3]);
        List<Path> roots = Arrays.stream(args, 4, args.length).map(Path::of).toList();
        Path scratch = Files.createTempFile("dpacs-fuzz-", ".dcm");
        try {
            FuzzMain fuzz = new FuzzMain(loadCorpus(roots), scratch, System.out);
            int status = switch (args[0]) {
                case "run" -> fuzz.run(seed, n, target);
                case "replay" -> fuzz.replay(seed, n, target, false);
                case "minimize" -> fuzz.replay(seed, n, target, true);
                default -> 2;
            };
            System.out.flush();
            System.exit(status);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    // ------------------------------------------------------------------------------------------------ corpus

    /** Every sample our reader reads, plus a few synthetic files for the structures the samples lack. */
    static List<Seed> loadCorpus(List<Path> roots) throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path p : files) {
                try {
                    DicomFile f = DicomReader.readFile(p, ReadOptions.EVERYTHING);
                    seeds.add(new Seed(root.relativize(p).toString(), Files.readAllBytes(p),
                            (int) f.parse().datasetOffset(), f.parse().transferSyntax()));
                } catch (DicomParseException e) {
                    // not a seed: mutating what we reject anyway explores little
                }
            }
        }
        seeds.addAll(syntheticSeeds());
        return seeds;
    }

    /** Nested sequences, private creators and UN sequences in each native syntax, written by our writer. */
    static List<Seed> syntheticSeeds() throws IOException {
        Attributes inner = new Attributes.Builder()
                .setString(0x00091010, Vr.LO, "CREATOR")
                .setString(0x00091011, Vr.LO, "private value")
                .setString(Tag.PatientName, Vr.PN, "Inner^Name")
                .build();
        Attributes middle = new Attributes.Builder()
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.4.5")
                .set(0x00081115, Vr.SQ, new Sequence(List.of(inner, inner)))
                .build();
        Attributes.Builder b = new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 100")
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.7")
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.4")
                .setString(Tag.PatientName, Vr.PN, "Fuzz^Seed")
                .set(0x00081115, Vr.SQ, new Sequence(List.of(middle, Attributes.EMPTY)))
                .setString(0x00290010, Vr.LO, "FUZZ CREATOR")
                .set(0x00291010, Vr.SQ, new Sequence(List.of(inner)))
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setInts(Tag.Rows, Vr.US, 4)
                .setInts(Tag.Columns, Vr.US, 4)
                .setInts(Tag.BitsAllocated, Vr.US, 16)
                .setInts(Tag.PixelRepresentation, Vr.US, 1)
                .set(Tag.PixelData, Vr.OW, new byte[32]);
        Attributes ds = b.build();
        List<Seed> seeds = new ArrayList<>();
        for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
            for (boolean undefined : new boolean[]{true, false}) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DicomWriter.writeFile(bytes, ds, ts, WriteOptions.DEFAULT.withUndefinedLengthSequences(undefined));
                byte[] data = bytes.toByteArray();
                DicomFile f = DicomReader.read(new ByteArrayInputStream(data), "synthetic", ReadOptions.EVERYTHING);
                seeds.add(new Seed("synthetic-" + ts.uid() + (undefined ? "-undefined" : "-defined"), data,
                        (int) f.parse().datasetOffset(), ts));
            }
        }
        return seeds;
    }

    // --------------------------------------------------------------------------------------------- run

    int run(long seed, long count, Path failureDir) throws IOException {
        Files.createDirectories(failureDir);
        startWatchdog(Thread.currentThread());
        Map<String, Integer> signatures = new LinkedHashMap<>();
        long failures = 0;
        long started = System.nanoTime();
        for (long i = 0; i < count; i++) {
            Mutant m;
            Verdict v;
            try {
                m = mutate(seed, i);
                v = check(m, "seed=" + seed + " index=" + i);
            } catch (RuntimeException | IOException e) {
                // A bug of this driver, not of the reader: reported like a failure so the test sees it.
                m = new Mutant(new byte[0], "driver failure");
                v = new Verdict("driver", "FuzzMain itself threw " + e, e);
            }
            if (v != null) {
                failures++;
                int seen = signatures.merge(v.signature(), 1, Integer::sum);
                if (seen <= MAX_REPORTS_PER_SIGNATURE) {
                    Path saved = failureDir.resolve(v.kind() + "-" + seed + "-" + i + ".bin");
                    Files.write(saved, m.bytes());
                    report(v, seed, i, m, saved);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("SUMMARY seed=%d iterations=%d parses=%d ok=%d parseExceptions=%d roundTrips=%d failures=%d "
                        + "distinctFailures=%d slowestParseMs=%d seconds=%.1f corpus=%d%n", seed, count, parses,
                successes, parseErrors, roundTrips, failures, signatures.size(), slowestNanos / 1_000_000, seconds,
                corpus.size());
        signatures.forEach((sig, n) -> out.println("SIGNATURE " + n + " " + sig));
        return failures == 0 ? 0 : 1;
    }

    private void report(Verdict v, long seed, long index, Mutant m, Path saved) {
        out.println("FAIL " + v.kind() + " seed=" + seed + " index=" + index + " size=" + m.bytes().length
                + " mutation=[" + m.description() + "] :: " + v.detail());
        out.println("  reproduce: java -Xmx64m -cp <test classpath> " + FuzzMain.class.getName() + " replay " + seed
                + " " + index + " <out file> <sample roots>   (input saved as " + saved + ")");
        if (v.cause() != null) {
            StackTraceElement[] trace = v.cause().getStackTrace();
            for (int k = 0; k < Math.min(trace.length, 12); k++) {
                out.println("    at " + trace[k]);
            }
        }
    }

    int replay(long seed, long index, Path file, boolean minimize) throws IOException {
        startWatchdog(Thread.currentThread());
        Mutant m = mutate(seed, index);
        Verdict v = check(m, "replay");
        out.println("mutation=[" + m.description() + "] size=" + m.bytes().length);
        byte[] bytes = m.bytes();
        if (v != null && minimize) {
            bytes = minimize(bytes, v.signature());
            v = check(new Mutant(bytes, "minimized"), "minimized");
        }
        Files.write(file, bytes);
        out.println(v == null ? "PASS" : "FAIL " + v.kind() + " :: " + v.detail());
        if (v != null && v.cause() != null) {
            v.cause().printStackTrace(out);
        }
        if (bytes.length <= 512) {
            out.println("HEX " + HexFormat.of().formatHex(bytes));
        }
        return v == null ? 0 : 1;
    }

    /** Delta debugging: drops chunks, halving their size, while the failure keeps its signature. */
    byte[] minimize(byte[] input, String signature) throws IOException {
        byte[] best = input;
        for (int chunk = Math.max(1, best.length / 2); chunk >= 1; chunk = chunk == 1 ? 0 : chunk / 2) {
            boolean shrunk = true;
            while (shrunk) {
                shrunk = false;
                for (int at = 0; at + chunk <= best.length; at += chunk) {
                    byte[] candidate = new byte[best.length - chunk];
                    System.arraycopy(best, 0, candidate, 0, at);
                    System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
                    Verdict v = check(new Mutant(candidate, "minimizing"), "minimizing");
                    if (v != null && v.signature().equals(signature)) {
                        best = candidate;
                        shrunk = true;
                        at -= chunk;
                    }
                }
            }
        }
        return best;
    }

    /** Reports a parse that runs past {@link #HANG_NANOS} with the main thread's stack, then ends the JVM. */
    private void startWatchdog(Thread main) {
        Thread dog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                long start = parseStart;
                if (start != 0 && System.nanoTime() - start > HANG_NANOS) {
                    out.println("FAIL hang " + current + " :: parse still running after " + HANG_NANOS / 1_000_000_000
                            + " s");
                    for (StackTraceElement e : main.getStackTrace()) {
                        out.println("    at " + e);
                    }
                    out.flush();
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "fuzz-watchdog");
        dog.setDaemon(true);
        dog.start();
    }

    // ----------------------------------------------------------------------------------------- checking

    private record Outcome(DicomFile file, Throwable error, long nanos) {
        boolean ok() {
            return error == null;
        }
    }

    /** Runs every check on one input; null when it passed them all. */
    Verdict check(Mutant m, String label) throws IOException {
        Files.write(scratch, m.bytes());
        ReadOptions[] options = {ReadOptions.EVERYTHING, ReadOptions.DEFAULT};
        String[] optionNames = {"EVERYTHING", "DEFAULT"};
        Outcome everythingFromChannel = null;
        for (int k = 0; k < options.length; k++) {
            Outcome stream = parse(m.bytes(), null, options[k], label + " stream/" + optionNames[k]);
            Outcome channel = parse(null, scratch, options[k], label + " channel/" + optionNames[k]);
            for (Outcome o : new Outcome[]{stream, channel}) {
                String mode = (o == stream ? "stream/" : "channel/") + optionNames[k];
                if (o.error() != null && !(o.error() instanceof DicomParseException)) {
                    return new Verdict("crash", mode + " threw " + o.error(), o.error());
                }
                if (o.nanos() > SLOW_NANOS) {
                    return new Verdict("slow", mode + " took " + o.nanos() / 1_000_000 + " ms", null);
                }
                if (o.ok() && o.file().parse().stopped()) {
                    // ReadOptions.NO_STOP must read to the end; a "stopped" parse silently dropped the rest.
                    return new Verdict("stopped", mode + " reported stopped=true without stopAt at offset "
                            + o.file().parse().endOffset(), null);
                }
            }
            if (stream.ok() != channel.ok()) {
                return new Verdict("disagree", optionNames[k] + ": stream " + describe(stream) + " but channel "
                        + describe(channel), stream.ok() ? channel.error() : stream.error());
            }
            if (k == 0 && stream.ok()) {
                List<String> diffs = new ArrayList<>();
                compare(channel.file().dataset(), stream.file().dataset(), false, "", diffs);
                if (!diffs.isEmpty()) {
                    return new Verdict("disagree", "EVERYTHING: stream and channel data sets differ: " + diffs, null);
                }
                everythingFromChannel = channel;
            }
        }
        return everythingFromChannel == null ? null : roundTrip(everythingFromChannel.file());
    }

    private static String describe(Outcome o) {
        return o.ok() ? "parsed" : "failed with " + o.error().getMessage();
    }

    private Outcome parse(byte[] bytes, Path file, ReadOptions options, String label) {
        current = label;
        long start = System.nanoTime();
        parseStart = start;
        DicomFile result = null;
        Throwable error = null;
        try {
            result = bytes != null ? DicomReader.read(new ByteArrayInputStream(bytes), "fuzz", options)
                    : DicomReader.readFile(file, options);
        } catch (Throwable t) { // OutOfMemoryError and StackOverflowError included: those are findings
            error = t;
        } finally {
            parseStart = 0;
        }
        long nanos = System.nanoTime() - start;
        parses++;
        slowestNanos = Math.max(slowestNanos, nanos);
        if (error == null) {
            successes++;
        } else if (error instanceof DicomParseException) {
            parseErrors++;
        }
        return new Outcome(result, error, nanos);
    }

    /**
     * Writes what was read as explicit VR little endian with undefined lengths (an encapsulated variant of it
     * when the data set holds fragments, which the writer rightly refuses to put in a native syntax) and reads
     * it back: the writer must accept what the reader produced, and the reader must read the result equal.
     */
    private Verdict roundTrip(DicomFile first) {
        roundTrips++;
        Attributes ds = first.dataset();
        // The writer drops group 0002 found inside the data set (it belongs in the File Meta Information only),
        // so the data set that must come back is the one without them.
        Attributes.Builder withoutGroup2 = ds.toBuilder();
        for (int i = 0; i < ds.size(); i++) {
            if (Tag.group(ds.tagAt(i)) == 0x0002) {
                withoutGroup2.remove(ds.tagAt(i));
            }
        }
        return roundTrip(withoutGroup2.build());
    }

    private Verdict roundTrip(Attributes ds) {
        TransferSyntax ts = containsFragments(ds) ? TransferSyntax.ENCAPSULATED_UNCOMPRESSED
                : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        byte[] written;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DicomWriter.writeFile(bytes, ds, ts, WriteOptions.DEFAULT.withUndefinedLengthSequences(true));
            written = bytes.toByteArray();
        } catch (Throwable t) {
            return new Verdict("roundtrip-write", "writing the parsed data set threw " + t, t);
        }
        DicomFile second;
        try {
            second = DicomReader.read(new ByteArrayInputStream(written), "round trip", ReadOptions.EVERYTHING);
        } catch (Throwable t) {
            return new Verdict("roundtrip-reread", "reading the written data set threw " + t, t);
        }
        List<String> diffs = new ArrayList<>();
        compare(ds, second.dataset(), true, "", diffs);
        return diffs.isEmpty() ? null : new Verdict("roundtrip-mismatch", "read-write-read differs: " + diffs, null);
    }

    static boolean containsFragments(Attributes ds) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.valueAt(i) instanceof Fragments
                    || ds.valueAt(i) instanceof Sequence s && s.items().stream().anyMatch(FuzzMain::containsFragments)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Element-by-element equality. With {@code afterWrite}, the changes writing legitimately makes are allowed:
     * odd values and fragments padded to even length, encapsulated data written as OB, a value too long for its
     * 16-bit length field written (and read back) as UN's dictionary VR, a UN read back as its dictionary VR.
     */
    static void compare(Attributes a, Attributes b, boolean afterWrite, String at, List<String> diffs) {
        int i = 0;
        int j = 0;
        while ((i < a.size() || j < b.size()) && diffs.size() < 5) {
            int ta = i < a.size() ? a.tagAt(i) : -1;
            int tb = j < b.size() ? b.tagAt(j) : -1;
            if (i >= a.size() || j < b.size() && Integer.compareUnsigned(tb, ta) < 0) {
                diffs.add(at + Tag.toString(tb) + " appeared");
                j++;
            } else if (j >= b.size() || Integer.compareUnsigned(ta, tb) < 0) {
                // The writer drops group lengths (retired, PS3.5 7.2; wrong once re-encoded).
                if (!(afterWrite && Tag.isGroupLength(ta))) {
                    diffs.add(at + Tag.toString(ta) + " " + a.vrAt(i) + " is missing");
                }
                i++;
            } else {
                compareValue(a.vrAt(i), a.valueAt(i), b.vrAt(j), b.valueAt(j), afterWrite, at + Tag.toString(ta), diffs);
                i++;
                j++;
            }
        }
    }

    private static void compareValue(Vr va, Object a, Vr vb, Object b, boolean afterWrite, String at,
                                     List<String> diffs) {
        boolean vrMayChange = afterWrite && (va == Vr.UN
                || a instanceof byte[] x && !va.isLongHeader() && x.length + (x.length & 1) > 0xFFFF
                || a instanceof Fragments && vb == Vr.OB);
        if (va != vb && !vrMayChange) {
            diffs.add(at + " VR " + va + " became " + vb);
        }
        switch (a) {
            case byte[] x -> {
                byte[] expected = afterWrite ? pad(x, va.padding()) : x;
                if (!(b instanceof byte[] y) || !Arrays.equals(expected, y)) {
                    diffs.add(at + " value " + summary(a) + " became " + summary(b));
                }
            }
            case Sequence s -> {
                if (!(b instanceof Sequence t) || s.size() != t.size()) {
                    diffs.add(at + " " + summary(a) + " became " + summary(b));
                    return;
                }
                for (int k = 0; k < s.size(); k++) {
                    compare(s.item(k), t.item(k), afterWrite, at + "[" + k + "]", diffs);
                }
            }
            case Fragments f -> {
                if (!(b instanceof Fragments g) || f.items().size() != g.items().size()) {
                    diffs.add(at + " " + summary(a) + " became " + summary(b));
                    return;
                }
                for (int k = 0; k < f.items().size(); k++) {
                    byte[] x = f.items().get(k).bytesOrNull();
                    byte[] y = g.items().get(k).bytesOrNull();
                    if (x == null || y == null || !Arrays.equals(afterWrite ? pad(x, (byte) 0) : x, y)) {
                        diffs.add(at + " fragment " + k + " differs");
                    }
                }
            }
            case BulkDataRef r -> {
                if (afterWrite || !r.equals(b)) {
                    diffs.add(at + " bulk data " + r + " vs " + summary(b));
                }
            }
            default -> diffs.add(at + " unexpected value " + a);
        }
    }

    private static byte[] pad(byte[] x, byte padding) {
        if ((x.length & 1) == 0) {
            return x;
        }
        byte[] p = Arrays.copyOf(x, x.length + 1);
        p[x.length] = padding;
        return p;
    }

    private static String summary(Object v) {
        return switch (v) {
            case byte[] x -> x.length <= 16 ? "[" + HexFormat.of().formatHex(x) + "]" : "bytes[" + x.length + "]";
            case Sequence s -> "sequence of " + s.size();
            case Fragments f -> f.items().size() + " fragments";
            case null -> "null";
            default -> v.getClass().getSimpleName();
        };
    }

    // ------------------------------------------------------------------------------------------ mutation

    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Mutation #index of the run with {@code seed}: one to three operators applied to one corpus entry. */
    Mutant mutate(long seed, long index) {
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        Seed s = corpus.get(rng.nextInt(corpus.size()));
        StringBuilder what = new StringBuilder(s.name());
        // Deflated seeds are mostly mutated inside the deflate stream and re-deflated, so the mutations reach
        // the data set parser and not only the inflater.
        boolean inflate = s.ts().deflated() && rng.nextInt(4) != 0;
        byte[] prefix = Arrays.copyOf(s.bytes(), s.datasetOffset());
        byte[] data = inflate ? inflated(s) : s.bytes();
        int datasetOffset = inflate ? 0 : s.datasetOffset();
        if (inflate) {
            what.append(" (inflated)");
        }
        int operators = 1 + (rng.nextInt(3) == 0 ? 1 + rng.nextInt(2) : 0);
        for (int k = 0; k < operators && data.length > 0; k++) {
            Op op = Op.values()[rng.nextInt(Op.values().length)];
            what.append("; ");
            data = op.apply(data, datasetOffset, s.ts(), rng, what);
        }
        if (inflate) {
            data = concat(prefix, deflated(data));
        }
        return new Mutant(data, what.toString());
    }

    private static byte[] inflated(Seed s) {
        try {
            return new InflaterInputStream(new ByteArrayInputStream(s.bytes(), s.datasetOffset(),
                    s.bytes().length - s.datasetOffset()), new Inflater(true)).readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("corpus entry " + s.name() + " does not inflate", e);
        }
    }

    private static byte[] deflated(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
            d.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The mutation operators; each appends what it did to {@code what} so a failure names its input. */
    enum Op {
        BIT_FLIPS {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                byte[] out = d.clone();
                int n = 1 + rng.nextInt(8);
                what.append("flip");
                for (int k = 0; k < n; k++) {
                    int p = position(rng, out.length);
                    int bit = rng.nextInt(8);
                    out[p] ^= (byte) (1 << bit);
                    what.append(' ').append(p).append('.').append(bit);
                }
                return out;
            }
        },
        RANDOM_RUN {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                byte[] out = d.clone();
                int p = position(rng, out.length);
                int n = Math.min(out.length - p, 1 + rng.nextInt(32));
                int fill = rng.nextInt(3);
                for (int k = 0; k < n; k++) {
                    out[p + k] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xFF : rng.nextInt(256));
                }
                what.append("overwrite ").append(n).append(" bytes at ").append(p)
                        .append(fill == 0 ? " with 00" : fill == 1 ? " with FF" : " randomly");
                return out;
            }
        },
        TRUNCATE {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                int p = rng.nextBoolean() ? position(rng, d.length) : rng.nextInt(d.length);
                what.append("truncate at ").append(p);
                return Arrays.copyOf(d, p);
            }
        },
        HUGE_LENGTH {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                byte[] out = d.clone();
                int[] field = lengthField(out, ds, rng);
                boolean be = ts.bigEndian() && field[0] >= ds;
                long[] longValues = {0xFFFFFFF0L, 0x7FFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFEL, 0x80000000L, 0x00FFFFFFL,
                        0x7FFFFFF8L, 1, 3, rng.nextInt() & 0xFFFFFFFFL};
                int[] shortValues = {0xFFFF, 0xFFFE, 0x8000, 1, rng.nextInt(0x10000)};
                if (field[1] == 4) {
                    long v = longValues[rng.nextInt(longValues.length)];
                    put(out, field[0], v, 4, be);
                    what.append(String.format("length at %d := 0x%08X", field[0], v));
                } else {
                    int v = shortValues[rng.nextInt(shortValues.length)];
                    put(out, field[0], v, 2, be);
                    what.append(String.format("length16 at %d := 0x%04X", field[0], v));
                }
                return out;
            }
        },
        INSERT {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                int p = position(rng, d.length + 1);
                byte[] ins = new byte[1 + rng.nextInt(rng.nextBoolean() ? 4 : 64)];
                for (int k = 0; k < ins.length; k++) {
                    ins[k] = (byte) rng.nextInt(256);
                }
                what.append("insert ").append(ins.length).append(" bytes at ").append(p);
                return concat(Arrays.copyOf(d, p), ins, Arrays.copyOfRange(d, p, d.length));
            }
        },
        DELETE {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                int p = position(rng, d.length);
                int n = Math.min(d.length - p, 1 + rng.nextInt(rng.nextBoolean() ? 4 : 64));
                what.append("delete ").append(n).append(" bytes at ").append(p);
                return concat(Arrays.copyOf(d, p), Arrays.copyOfRange(d, p + n, d.length));
            }
        },
        DUPLICATE {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                int from = position(rng, d.length);
                int n = Math.min(d.length - from, 1 + rng.nextInt(rng.nextBoolean() ? 64 : 4096));
                int to = position(rng, d.length + 1);
                what.append("copy ").append(n).append(" bytes from ").append(from).append(" to ").append(to);
                return concat(Arrays.copyOf(d, to), Arrays.copyOfRange(d, from, from + n),
                        Arrays.copyOfRange(d, to, d.length));
            }
        },
        DEEP_NESTING {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                int[] depths = {8, 63, 64, 65, 200, 3000, 100_000};
                int depth = depths[rng.nextInt(depths.length)];
                int style = rng.nextInt(3); // 0: SQ, 1: UN undefined length (CP-246), 2: SQ with huge lengths
                boolean close = rng.nextBoolean();
                boolean atStart = rng.nextBoolean() && ds <= d.length;
                byte[] nest = nesting(depth, style, close, ts);
                int p = atStart ? ds : d.length;
                what.append("nest ").append(depth).append(style == 0 ? " SQ" : style == 1 ? " UN" : " SQ-huge")
                        .append(close ? " closed" : " open").append(" at ").append(p);
                return concat(Arrays.copyOf(d, p), nest, Arrays.copyOfRange(d, p, d.length));
            }
        },
        ITEM_TAG {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                byte[] out = d.clone();
                int[] field = lengthField(out, ds, rng);
                int tagAt = Math.max(0, field[0] - (field[1] == 4 ? (isItemLength(out, field[0]) ? 4 : 8) : 6));
                int[] tags = {Tag.Item, Tag.ItemDelimitationItem, Tag.SequenceDelimitationItem};
                int tag = tags[rng.nextInt(tags.length)];
                boolean be = ts.bigEndian() && tagAt >= ds;
                if (tagAt + 4 <= out.length) {
                    put(out, tagAt, Tag.group(tag), 2, be);
                    put(out, tagAt + 2, Tag.element(tag), 2, be);
                }
                what.append("tag at ").append(tagAt).append(" := ").append(Tag.toString(tag));
                return out;
            }
        },
        VR_CHANGE {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                byte[] out = d.clone();
                List<Integer> headers = explicitHeaders(out, ds);
                if (headers.isEmpty()) {
                    what.append("no VR to change");
                    return out;
                }
                int h = headers.get(rng.nextInt(headers.size()));
                Vr[] all = Vr.values();
                Vr vr = rng.nextBoolean() ? new Vr[]{Vr.SQ, Vr.UN, Vr.OB, Vr.OW}[rng.nextInt(4)] : all[rng.nextInt(all.length)];
                out[h + 4] = (byte) vr.name().charAt(0);
                out[h + 5] = (byte) vr.name().charAt(1);
                what.append("VR at ").append(h + 4).append(" := ").append(vr);
                return out;
            }
        },
        TRANSFER_SYNTAX {
            @Override
            byte[] apply(byte[] d, int ds, TransferSyntax ts, SplittableRandom rng, StringBuilder what) {
                String[] uids = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2",
                        "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.5", "9.9.9", ""};
                String uid = uids[rng.nextInt(uids.length)];
                int at = indexOf(d, new byte[]{0x02, 0x00, 0x10, 0x00, 'U', 'I'}, Math.min(d.length, 4096));
                if (at < 0 || at + 8 > d.length) {
                    what.append("no transfer syntax to change");
                    return d;
                }
                int oldLength = (d[at + 6] & 0xFF) | (d[at + 7] & 0xFF) << 8;
                byte[] value = (uid.length() % 2 == 0 ? uid : uid + "\0").getBytes(StandardCharsets.US_ASCII);
                byte[] header = {0x02, 0x00, 0x10, 0x00, 'U', 'I', (byte) value.length, 0};
                int end = Math.min(d.length, at + 8 + oldLength);
                what.append("transfer syntax := '").append(uid).append('\'');
                return concat(Arrays.copyOf(d, at), header, value, Arrays.copyOfRange(d, end, d.length));
            }
        };

        abstract byte[] apply(byte[] data, int datasetOffset, TransferSyntax ts, SplittableRandom rng,
                              StringBuilder what);

        /** Mostly within the first 8 KiB, where the headers are; pixel data tails are dull. */
        static int position(SplittableRandom rng, int length) {
            if (length <= 1) {
                return 0;
            }
            return rng.nextInt(4) != 0 ? rng.nextInt(Math.min(length, 8192)) : rng.nextInt(length);
        }

        /**
         * A length field: {position, size}. Prefers real ones, those of explicit VR headers and of items, found by
         * scanning for VR codes and item tags; falls back to any even position.
         */
        static int[] lengthField(byte[] d, int ds, SplittableRandom rng) {
            List<Integer> headers = explicitHeaders(d, ds);
            List<Integer> items = new ArrayList<>();
            int limit = Math.min(d.length - 8, 16384);
            for (int p = 0; p < limit; p++) {
                if (isItemTag(d, p)) {
                    items.add(p + 4);
                }
            }
            int pick = rng.nextInt(3);
            if (pick == 0 && !headers.isEmpty() || pick == 1 && items.isEmpty() && !headers.isEmpty()) {
                int h = headers.get(rng.nextInt(headers.size()));
                Vr vr = Vr.ofCodeOrNull((d[h + 4] & 0xFF) << 8 | d[h + 5] & 0xFF);
                return vr != null && vr.isLongHeader() ? new int[]{h + 8, 4} : new int[]{h + 6, 2};
            }
            if (pick == 1 && !items.isEmpty()) {
                return new int[]{items.get(rng.nextInt(items.size())), 4};
            }
            int p = Math.max(0, Math.min(d.length - 4, position(rng, d.length) & ~1));
            return new int[]{p, Math.min(4, d.length - p)};
        }

        static boolean isItemLength(byte[] d, int lengthAt) {
            return lengthAt >= 4 && isItemTag(d, lengthAt - 4);
        }

        static boolean isItemTag(byte[] d, int p) {
            boolean le = (d[p] & 0xFF) == 0xFE && (d[p + 1] & 0xFF) == 0xFF && (d[p + 3] & 0xFF) == 0xE0;
            boolean be = (d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xFF) == 0xFE && (d[p + 2] & 0xFF) == 0xE0;
            return le || be;
        }

        /** Offsets of what look like explicit VR element headers (a valid VR code after a tag). */
        static List<Integer> explicitHeaders(byte[] d, int ds) {
            List<Integer> out = new ArrayList<>();
            int limit = Math.min(d.length - 12, 16384);
            for (int p = 0; p < limit; p++) {
                int c0 = d[p + 4] & 0xFF;
                int c1 = d[p + 5] & 0xFF;
                if (c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z' && Vr.ofCodeOrNull(c0 << 8 | c1) != null) {
                    out.add(p);
                }
            }
            return out;
        }

        /**
         * {@code depth} nested sequences, each holding one undefined-length item that holds the next level, closed
         * by delimiters or left open. Style 0: SQ of undefined length; style 1: UN of undefined length, whose
         * content is implicit VR little endian (PS3.5 6.2.2), so the deeper levels are implicit SQs; style 2: SQ
         * claiming 0xFFFFFFF0 bytes, which must be checked against the input at every level.
         */
        static byte[] nesting(int depth, int style, boolean close, TransferSyntax ts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean itemBe = ts.bigEndian() && style != 1;
            for (int level = 0; level < depth; level++) {
                boolean elementExplicit = ts.explicitVr() && (style != 1 || level == 0);
                boolean elementBe = ts.bigEndian() && (style != 1 || level == 0);
                out.writeBytes(tagBytes(NESTED_SEQUENCE, elementBe));
                if (elementExplicit) {
                    out.writeBytes(style == 1 ? new byte[]{'U', 'N', 0, 0} : new byte[]{'S', 'Q', 0, 0});
                }
                byte[] length = {-1, -1, -1, -1};
                if (style == 2) {
                    put(length, 0, 0xFFFFFFF0L, 4, elementBe);
                }
                out.writeBytes(length);
                out.writeBytes(tagBytes(Tag.Item, itemBe));
                out.writeBytes(new byte[]{-1, -1, -1, -1});
            }
            if (close) {
                for (int level = 0; level < depth; level++) {
                    out.writeBytes(tagBytes(Tag.ItemDelimitationItem, itemBe));
                    out.writeBytes(new byte[4]);
                    out.writeBytes(tagBytes(Tag.SequenceDelimitationItem, itemBe));
                    out.writeBytes(new byte[4]);
                }
            }
            return out.toByteArray();
        }

        static byte[] tagBytes(int tag, boolean be) {
            byte[] b = new byte[4];
            put(b, 0, Tag.group(tag), 2, be);
            put(b, 2, Tag.element(tag), 2, be);
            return b;
        }

        static void put(byte[] d, int at, long v, int size, boolean be) {
            for (int k = 0; k < size && at + k < d.length; k++) {
                int shift = be ? 8 * (size - 1 - k) : 8 * k;
                d[at + k] = (byte) (v >>> shift);
            }
        }

        static int indexOf(byte[] d, byte[] needle, int limit) {
            outer:
            for (int p = 0; p + needle.length <= limit; p++) {
                for (int k = 0; k < needle.length; k++) {
                    if (d[p + k] != needle[k]) {
                        continue outer;
                    }
                }
                return p;
            }
            return -1;
        }
    }
}
