package org.dpacs.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of {@link DicomReader}: thousands of mutations of the pydicom sample files (bit flips, random
 * runs, truncations, huge length fields, insertions, deletions, duplicated regions, deep nesting, item tags in
 * place of elements, changed VRs and transfer syntaxes), each parsed from a stream and from a file channel with
 * {@link ReadOptions#EVERYTHING} and {@link ReadOptions#DEFAULT}. The contract: a parse returns or throws
 * {@link DicomParseException}, within {@value #SLOW_SECONDS} s, in a 64 MB heap; and what parses survives being
 * written and read back.
 *
 * <p>The mutations run in a forked {@code java -Xmx64m} ({@link FuzzMain}) so that an allocation a lying length
 * asks for shows up as OutOfMemoryError instead of passing on the test JVM's larger heap. The seed is fixed so
 * the build is reproducible; {@code -Ddpacs.fuzz.seed=} and {@code -Ddpacs.fuzz.count=} run other or more
 * mutations. Every failure prints its seed, index and mutation, and {@code FuzzMain replay|minimize} rebuilds it.
 *
 * <p>Failures found so far are pinned below as minimal regression inputs, named by what they exercise. Those
 * that are open bugs in the reader or writer abort with a {@code BUG:} message (and are matched by signature in
 * the fuzz run) until fixed; {@code -Ddpacs.strict=true} makes them fail instead.
 */
class DicomReaderFuzzTest {
    private static final long SLOW_SECONDS = FuzzMain.SLOW_NANOS / 1_000_000_000L;
    private static final long DEFAULT_SEED = 20261125L;
    private static final long DEFAULT_COUNT = 20_000;
    private static final List<Path> SAMPLE_ROOTS = List.of(
            Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files"),
            Path.of("/usr/lib/python3/dist-packages/pydicom/data/charset_files"));
    private static final boolean STRICT = Boolean.getBoolean("dpacs.strict");

    /**
     * Failure signatures (as FuzzMain prints them) of reported, still open bugs, with the regression test that
     * pins each. A fuzz failure matching none of these fails the build.
     */
    private static final Map<Pattern, String> KNOWN_BUGS = new LinkedHashMap<>();

    static {
    }

    private static FuzzRun run;

    @TempDir
    static Path work;

    // --------------------------------------------------------------------------------------------- fuzz run

    private record FuzzRun(long seed, long count, int exitCode, List<String> output, long millis) {
        List<String> lines(String prefix) {
            return output.stream().filter(l -> l.startsWith(prefix)).toList();
        }

        /** SIGNATURE lines: "SIGNATURE <count> <signature>". */
        Map<String, Long> signatures() {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String l : lines("SIGNATURE ")) {
                String[] parts = l.split(" ", 3);
                out.put(parts[2], Long.parseLong(parts[1]));
            }
            return out;
        }
    }

    /** One forked run serves both contract tests; it needs the samples, so it is skipped without them. */
    private static synchronized FuzzRun fuzzRun() throws Exception {
        if (run == null) {
            Assumptions.assumeTrue(SAMPLE_ROOTS.stream().anyMatch(Files::isDirectory),
                    "no pydicom sample files under " + SAMPLE_ROOTS);
            long seed = Long.decode(System.getProperty("dpacs.fuzz.seed", String.valueOf(DEFAULT_SEED)));
            long count = Long.parseLong(System.getProperty("dpacs.fuzz.count", String.valueOf(DEFAULT_COUNT)));
            List<String> command = new ArrayList<>(List.of("run", String.valueOf(seed), String.valueOf(count),
                    work.resolve("failures").toString()));
            SAMPLE_ROOTS.forEach(p -> command.add(p.toString()));
            long started = System.nanoTime();
            ProcessResult r = fork(command, Math.max(300, count / 50));
            run = new FuzzRun(seed, count, r.exitCode(), r.output(), (System.nanoTime() - started) / 1_000_000);
            System.out.println("[fuzz] seed=" + seed + " count=" + count + " exit=" + r.exitCode() + " in "
                    + run.millis() + " ms; " + String.join("; ", run.lines("SUMMARY")));
        }
        return run;
    }

    private record ProcessResult(int exitCode, List<String> output) {
    }

    /** Runs FuzzMain in {@code java -Xmx64m} with the test class path. */
    private static ProcessResult fork(List<String> args, long timeoutSeconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may hand the test JVM a manifest-only booter jar; its own property has the real path.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC",
                "-cp", classPath, FuzzMain.class.getName()));
        command.addAll(args);
        Path output = Files.createTempFile(work, "fuzz-", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("FuzzMain did not finish in " + timeoutSeconds + " s: " + command + "\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new ProcessResult(p.exitValue(), Files.readAllLines(output, StandardCharsets.UTF_8));
    }

    @Test
    void everyMutationEndsInParseExceptionOrSuccess() throws Exception {
        FuzzRun r = fuzzRun();
        assertRunCompleted(r);
        assertNoUnknownFailures(r, k -> !k.startsWith("roundtrip-"));
    }

    @Test
    void everyMutationThatParsesReadsBackEqualAfterWriting() throws Exception {
        FuzzRun r = fuzzRun();
        assertRunCompleted(r);
        assertThat(r.lines("SUMMARY").get(0)).as("some mutations must parse, or the round trip tests nothing")
                .doesNotContain(" roundTrips=0 ");
        assertNoUnknownFailures(r, k -> k.startsWith("roundtrip-"));
    }

    private static void assertRunCompleted(FuzzRun r) {
        assertThat(r.lines("SUMMARY")).as("FuzzMain output:\n%s", String.join("\n", r.output())).hasSize(1);
        assertThat(r.lines("SUMMARY").get(0)).contains(" iterations=" + r.count() + " ");
        assertThat(r.exitCode()).as("FuzzMain exit code (0 clean, 1 failures found)").isIn(0, 1);
    }

    /**
     * Fails on any failure of the selected kinds that no known bug explains, printing the FAIL lines with their
     * reproduction commands; aborts (or, strict, fails) when only known bugs showed up.
     */
    private static void assertNoUnknownFailures(FuzzRun r, Predicate<String> kinds) {
        List<String> unknown = new ArrayList<>();
        List<String> known = new ArrayList<>();
        r.signatures().forEach((signature, n) -> {
            if (!kinds.test(signature)) {
                return;
            }
            String bug = KNOWN_BUGS.entrySet().stream().filter(e -> e.getKey().matcher(signature).find())
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            (bug == null ? unknown : known).add(n + " x " + signature + (bug == null ? "" : "  [" + bug + "]"));
        });
        if (!unknown.isEmpty()) {
            List<String> details = r.output().stream()
                    .filter(l -> l.startsWith("FAIL ") || l.startsWith("  reproduce") || l.startsWith("    at "))
                    .toList();
            fail("Fuzzing (seed " + r.seed() + ") found failures no known bug explains:\n  "
                    + String.join("\n  ", unknown) + "\n\n" + String.join("\n", details));
        }
        if (!known.isEmpty()) {
            knownBug("fuzzing (seed " + r.seed() + ") still hits reported bugs:\n  " + String.join("\n  ", known));
        }
    }

    private static void knownBug(String description) {
        fail("BUG: " + description);
    }

    // ----------------------------------------------------------------------------- regression inputs

    /** The fuzz contract for one input, in this JVM: each of the four parses returns or throws DicomParseException. */
    private static List<String> parseFailures(byte[] input) throws IOException {
        Path file = Files.write(Files.createTempFile(work, "regression-", ".dcm"), input);
        List<String> failures = new ArrayList<>();
        for (ReadOptions options : new ReadOptions[]{ReadOptions.EVERYTHING, ReadOptions.DEFAULT}) {
            for (boolean stream : new boolean[]{true, false}) {
                long started = System.nanoTime();
                try {
                    if (stream) {
                        DicomReader.read(new ByteArrayInputStream(input), "regression", options);
                    } else {
                        DicomReader.readFile(file, options);
                    }
                } catch (DicomParseException expected) {
                    // the one allowed way to reject input
                } catch (Throwable t) {
                    failures.add((stream ? "stream" : "channel") + (options.loadPixelData() ? "/EVERYTHING" : "/DEFAULT")
                            + " threw " + t);
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (millis > SLOW_SECONDS * 1000) {
                    failures.add((stream ? "stream" : "channel") + " took " + millis + " ms");
                }
            }
        }
        return failures;
    }

    /** A Part 10 stream without preamble: "DICM", (0002,0010) in explicit VR LE, then {@code dataset}. */
    private static byte[] part10(String transferSyntaxUid, byte[] dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] uid = (transferSyntaxUid.length() % 2 == 0 ? transferSyntaxUid : transferSyntaxUid + "\0")
                .getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(new byte[]{0x02, 0x00, 0x10, 0x00, 'U', 'I', (byte) uid.length, 0});
        out.writeBytes(uid);
        out.writeBytes(dataset);
        return out.toByteArray();
    }

    /** An explicit VR LE element with a 16-bit length. */
    private static byte[] shortElement(int tag, String vr, byte[] value) {
        return FuzzMain.concat(le(Tag.group(tag), 2), le(Tag.element(tag), 2), vr.getBytes(StandardCharsets.US_ASCII),
                le(value.length, 2), value);
    }

    /** An explicit VR LE header with a 32-bit length (OB, SQ, UN...). */
    private static byte[] longHeader(int tag, String vr, long length) {
        return FuzzMain.concat(le(Tag.group(tag), 2), le(Tag.element(tag), 2), vr.getBytes(StandardCharsets.US_ASCII),
                new byte[2], le(length, 4));
    }

    private static byte[] item(int tag, long length) {
        return FuzzMain.concat(le(Tag.group(tag), 2), le(Tag.element(tag), 2), le(length, 4));
    }

    private static byte[] le(long v, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (v >>> (8 * k));
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] deflate(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
            d.write(data);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    /**
     * Found by the fuzzer (a truncated image_dfl.dcm): a deflated data set that ends mid-stream. The inflater
     * throws {@code java.io.EOFException: Unexpected end of ZLIB input stream}, which parse() only converts when
     * it is a ZipException, so it escapes as a plain IOException.
     */
    @Test
    void truncatedDeflatedDataSetEndsInParseException() throws IOException {
        byte[] dataset = FuzzMain.concat(shortElement(Tag.PatientName, "PN", ascii("Doe^John")),
                shortElement(Tag.PatientID, "LO", ascii("12345678")));
        byte[] deflated = deflate(dataset);
        byte[] input = part10(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                Arrays.copyOf(deflated, deflated.length / 2));
        List<String> failures = parseFailures(input);
        if (!failures.isEmpty()) {
            // BUG: DicomReader.parse must turn the inflater's EOFException into a DicomParseException.
            knownBug("truncated deflated data set: " + failures);
        }
    }

    /**
     * Found by the fuzzer (runs of FF bytes): a (FFFF,FFFF) tag makes a parse without stopAt "stop" there, as
     * {@code ReadOptions.NO_STOP} is 0xFFFFFFFF and the reader stops at tags {@code >=} stopAt. The rest of the
     * data set is silently dropped and ParseResult.stopped() is true.
     */
    @Test
    void tagFFFFFFFFDoesNotEndAParseWithoutStopAt() throws IOException {
        // (0010,0010), (FFFF,FFFF) OB of length 0, (0010,0020): odd, but every element is well formed.
        byte[] input = part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), FuzzMain.concat(
                shortElement(Tag.PatientName, "PN", ascii("Doe^John")),
                longHeader(0xFFFFFFFF, "OB", 0),
                shortElement(Tag.PatientID, "LO", ascii("12"))));
        assertThat(parseFailures(input)).isEmpty();
        DicomFile f = DicomReader.read(new ByteArrayInputStream(input), "regression", ReadOptions.DEFAULT);
        if (f.parse().stopped()) {
            // BUG: readDataset compares with >=, so NO_STOP (0xFFFFFFFF) stops at (FFFF,FFFF) and drops the rest.
            knownBug("a parse without stopAt stopped at (FFFF,FFFF), offset " + f.parse().endOffset()
                    + ", dropping (0010,0020)");
        }
        assertThat(f.dataset().contains(Tag.PatientID)).isTrue();
    }

    /**
     * Found by the round-trip fuzzer (bit flips in a File Meta Information): group 0002 elements that come after
     * the first data set element are read into the data set; the writer then writes them right after its own
     * File Meta Information, where the reader takes them for part of it, so they vanish from the data set.
     */
    @Test
    void groupTwoElementsInsideTheDataSetAreLeftOutOnWrite() throws IOException {
        byte[] input = part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), FuzzMain.concat(
                shortElement(Tag.SOPInstanceUID, "UI", ascii("1.2.3.4\0")),
                shortElement(Tag.ImplementationVersionName, "SH", ascii("STRAY ")))); // (0002,0013) after (0008,0018)
        DicomFile first = DicomReader.read(new ByteArrayInputStream(input), "regression", ReadOptions.EVERYTHING);
        assertThat(first.dataset().contains(Tag.ImplementationVersionName)).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, first.dataset(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        DicomFile second = DicomReader.read(new ByteArrayInputStream(out.toByteArray()), "written", ReadOptions.EVERYTHING);
        // PS3.10 7.1 keeps group 0002 in the File Meta Information: the stray element is not written at all.
        assertThat(second.dataset()).isEqualTo(first.dataset().toBuilder().remove(Tag.ImplementationVersionName).build());
        assertThat(second.fileMetaInformation().string(Tag.ImplementationVersionName))
                .contains(FileMetaInformation.IMPLEMENTATION_VERSION_NAME);
    }

    /**
     * Found by the round-trip fuzzer (the VR of a sequence in liver_expb_1frame.dcm changed to UN): in explicit VR
     * big endian the reader keeps a defined-length UN as bytes even when the dictionary knows the tag as SQ;
     * written as explicit VR little endian, that UN is parsed as an implicit VR LE sequence (PS3.5 6.2.2), which
     * its big endian bytes are not, so the reader cannot read back what the writer wrote from what it read.
     */
    @Test
    void unknownVrOfASequenceReadFromBigEndianReadsBackAfterWritingLittleEndian() throws IOException {
        byte[] bigEndianDataset = {
                0x00, 0x08, 0x11, 0x15, 'U', 'N', 0, 0, 0, 0, 0, 8, // (0008,1115) UN, 8 bytes
                (byte) 0xFF, (byte) 0xFE, (byte) 0xE0, 0x00, 0, 0, 0, 0}; // an empty item, big endian
        byte[] input = part10(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid(), bigEndianDataset);
        DicomFile first = DicomReader.read(new ByteArrayInputStream(input), "regression", ReadOptions.EVERYTHING);
        assertThat(first.dataset().bytes(0x00081115)).as("kept as UN bytes").isPresent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, first.dataset(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        DicomFile second;
        try {
            second = DicomReader.read(new ByteArrayInputStream(out.toByteArray()), "written", ReadOptions.EVERYTHING);
        } catch (DicomParseException e) {
            // BUG: DicomReader.readElement parses an explicit VR LE UN of a dictionary SQ as a sequence without
            // checking that its value starts with an item tag; it should keep such a value as UN bytes.
            knownBug("UN (0008,1115) read from big endian and written little endian cannot be read back: " + e.getMessage());
            return;
        }
        assertThat(second.dataset()).isEqualTo(first.dataset());
    }

    /**
     * Elements in descending tag order: Attributes.Builder inserts each at the front of its arrays, so collecting
     * n elements costs O(n^2). 200,000 empty implicit VR elements (1.6 MB) take seconds; a few MB take minutes.
     */
    @Test
    void descendingTagOrderParsesWithinTheTimeBudget() throws IOException {
        int n = 200_000;
        ByteArrayOutputStream dataset = new ByteArrayOutputStream(n * 8);
        for (int i = n - 1; i >= 0; i--) {
            int tag = Tag.of(0x0011 + 2 * (i / 60_000), 0x1000 + i % 60_000); // private, descending
            dataset.writeBytes(le(Tag.group(tag), 2));
            dataset.writeBytes(le(Tag.element(tag), 2));
            dataset.writeBytes(new byte[4]);
        }
        byte[] input = part10(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(), dataset.toByteArray());
        long started = System.nanoTime();
        DicomFile f = DicomReader.read(new ByteArrayInputStream(input), "regression", ReadOptions.DEFAULT);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(f.dataset().size()).isEqualTo(n);
        if (millis > SLOW_SECONDS * 1000) {
            // BUG: AttributesCollector/Attributes.Builder.set insert out-of-order tags one by one (arraycopy).
            knownBug("200,000 elements in descending tag order (" + input.length + " bytes) took " + millis + " ms");
        }
    }

    /**
     * 190 KB of deflated data declaring and holding a 200 MB OB value: ReadOptions.DEFAULT allows 512 MB in
     * memory and deflated values are always read, so the reader allocates 200 MB and a 64 MB heap runs out.
     * Runs in the forked 64 MB JVM, like the fuzzer.
     */
    @Test
    void deflateBombEndsInParseExceptionUnder64MegabyteHeap() throws Exception {
        int length = 200_000_000;
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (DeflaterOutputStream d = new DeflaterOutputStream(zipped, deflater)) {
            d.write(longHeader(0x00091010, "OB", length));
            byte[] zeros = new byte[1 << 20];
            for (int left = length; left > 0; left -= zeros.length) {
                d.write(zeros, 0, Math.min(left, zeros.length));
            }
        } finally {
            deflater.end();
        }
        Path bomb = work.resolve("deflate-bomb.dcm");
        Files.write(bomb, part10(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid(), zipped.toByteArray()));
        ProcessResult r = fork(List.of("check", bomb.toString()), 120);
        if (r.exitCode() != 0 && String.join("\n", r.output()).contains("OutOfMemoryError")) {
            // BUG: nothing bounds memory below ReadOptions.maxBytes (512 MB by default) whatever the heap; in
            // deflated data a tiny input can claim and deliver that much.
            knownBug("a " + Files.size(bomb) + "-byte deflated file exhausts a 64 MB heap: " + r.output().get(0));
        }
        assertThat(r.exitCode()).as(String.join("\n", r.output())).isZero();
    }

    /** Guards the depth limit: 100,000 nested undefined-length sequences, SQ and UN (CP-246) alike. */
    @Test
    void deepNestingOfUndefinedLengthSequencesEndsInParseException() throws IOException {
        for (int style = 0; style < 3; style++) {
            for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                    TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
                byte[] input = part10(ts.uid(), FuzzMain.Op.nesting(100_000, style, true, ts));
                assertThat(parseFailures(input)).as("style %d in %s", style, ts.name()).isEmpty();
                assertThatParseFails(input);
            }
        }
    }

    private static void assertThatParseFails(byte[] input) {
        assertThatThrownBy(
                        () -> DicomReader.read(new ByteArrayInputStream(input), "regression", ReadOptions.DEFAULT))
                .isInstanceOf(DicomParseException.class);
    }

    /** Guards length checks: every kind of length field set to huge values, with and without data behind it. */
    @Test
    void hugeLengthFieldsEndInParseException() throws IOException {
        long[] huge = {0xFFFFFFF0L, 0x7FFFFFFFL, 0x7FFFFFF8L, 0x80000000L, 0xFFFFFFFEL};
        String ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
        for (long length : huge) {
            List<byte[]> inputs = List.of(
                    part10(ts, longHeader(0x00091010, "OB", length)),
                    part10(ts, FuzzMain.concat(longHeader(0x00081115, "SQ", length), item(Tag.Item, 0))),
                    part10(ts, FuzzMain.concat(longHeader(0x00081115, "SQ", 0xFFFFFFFFL), item(Tag.Item, length))),
                    part10(TransferSyntax.JPEG_BASELINE.uid(), FuzzMain.concat(longHeader(Tag.PixelData, "OB", 0xFFFFFFFFL),
                            item(Tag.Item, 0), item(Tag.Item, length), new byte[64])),
                    part10(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(), FuzzMain.concat(le(0x0009, 2), le(0x1010, 2),
                            le(length, 4), new byte[64])));
            for (byte[] input : inputs) {
                assertThat(parseFailures(input)).as("length 0x%08X", length).isEmpty();
                assertThatParseFails(input);
            }
        }
    }

    /** Guards the handling of item and delimitation tags where an element should be, at every level. */
    @Test
    void itemAndDelimitationTagsInPlaceOfElementsEndInParseExceptionOrAreIgnored() throws IOException {
        String ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
        for (int tag : new int[]{Tag.Item, Tag.ItemDelimitationItem, Tag.SequenceDelimitationItem}) {
            for (long length : new long[]{0, 4, 0xFFFFFFFFL, 0xFFFFFFF0L}) {
                byte[] top = part10(ts, FuzzMain.concat(item(tag, length), shortElement(Tag.PatientID, "LO", ascii("12"))));
                byte[] inItem = part10(ts, FuzzMain.concat(longHeader(0x00081115, "SQ", 0xFFFFFFFFL), item(Tag.Item, 0xFFFFFFFFL),
                        item(tag, length), item(Tag.ItemDelimitationItem, 0), item(Tag.SequenceDelimitationItem, 0)));
                byte[] inSequence = part10(ts, FuzzMain.concat(longHeader(0x00081115, "SQ", 16), item(tag, length),
                        item(Tag.Item, 0)));
                for (byte[] input : List.of(top, inItem, inSequence)) {
                    assertThat(parseFailures(input)).as("%s length 0x%08X", Tag.toString(tag), length).isEmpty();
                }
            }
        }
    }
}
