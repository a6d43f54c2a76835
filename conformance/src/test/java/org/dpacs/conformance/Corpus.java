package org.dpacs.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test corpus: every valid DICOM file of Debian's python3-pydicom sample set. Valid means pydicom reads it
 * without {@code force=True} and it has SOP Class, SOP Instance, Study and Series Instance UIDs; everything else
 * (DICOMDIRs, files without meta information, dumps, JSON) is left out.
 *
 * <p>Many sample files are the same instance in another encoding (MR_small.dcm in nine transfer syntaxes) and so share
 * a SOP Instance UID. For each UID one file is stored as it is ({@link #originals}); every other valid file is stored
 * as a copy with new, stable UIDs ({@link #renamed}) so each transfer syntax of the set still goes through the server;
 * and the other files as they are ({@link #sameUidVariants}) serve to test what a second object under a stored SOP
 * Instance UID does. Built once per JVM, shared by all test classes.
 */
final class Corpus {

    static final Path PYDICOM_DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
    static final List<Path> SAMPLE_DIRS = List.of(PYDICOM_DATA.resolve("test_files"), PYDICOM_DATA.resolve("charset_files"));
    /** Prefix of every UID salt: UIDs made by the suite are the same on every run (idempotent on a deployment). */
    private static final String SALT = "dpacs-conformance/";

    private static Corpus instance;

    final Path workDir;
    final List<Sample> scanned;
    final List<Sample> originals;
    final List<Sample> renamed;
    final List<Sample> sameUidVariants;
    /** Valid files pydicom could read but not write back with new UIDs; reported, not stored. */
    final List<Sample> notRenamed;

    private Corpus(Path workDir, List<Sample> scanned, List<Sample> originals, List<Sample> renamed,
                   List<Sample> sameUidVariants, List<Sample> notRenamed) {
        this.workDir = workDir;
        this.scanned = scanned;
        this.originals = originals;
        this.renamed = renamed;
        this.sameUidVariants = sameUidVariants;
        this.notRenamed = notRenamed;
    }

    /** The corpus, or the calling test is skipped (JUnit assumption) when pydicom or the sample set is missing. */
    static synchronized Corpus get() {
        assumeTrue(Pydicom.available(), "/usr/bin/python3 with pydicom (Debian package python3-pydicom) is not installed");
        assumeTrue(Files.isDirectory(SAMPLE_DIRS.get(0)), "pydicom's sample files are not at " + SAMPLE_DIRS.get(0));
        if (instance == null) {
            instance = build();
        }
        return instance;
    }

    private static Corpus build() {
        Path work = tempDirectory("dpacs-conformance-corpus");
        List<Sample> scanned = samples(Pydicom.run("scan", Map.of("dirs", SAMPLE_DIRS.stream().map(Path::toString).toList())));
        Map<String, List<Sample>> byUid = new LinkedHashMap<>();
        scanned.stream().filter(Sample::valid).forEach(s -> byUid.computeIfAbsent(s.sopInstanceUid(), k -> new ArrayList<>()).add(s));
        // The file stored as it is: the one pydicom had least to complain about, then by name (stable).
        Comparator<Sample> preference = Comparator.<Sample>comparingInt(s -> s.warnings().size()).thenComparing(Sample::path);
        List<Sample> originals = new ArrayList<>();
        List<Sample> variants = new ArrayList<>();
        for (List<Sample> group : byUid.values()) {
            List<Sample> sorted = group.stream().sorted(preference).toList();
            originals.add(sorted.get(0));
            variants.addAll(sorted.subList(1, sorted.size()));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Sample v = variants.get(i);
            items.add(Map.of("source", v.path(), "out", work.resolve("renamed-" + i + ".dcm").toString(),
                    "salt", SALT + relative(v.path())));
        }
        List<Sample> rewritten = variants.isEmpty() ? List.of() : samples(Pydicom.run("rewrite", Map.of("items", items)));
        return new Corpus(work, scanned, List.copyOf(originals), rewritten.stream().filter(Sample::valid).toList(),
                List.copyOf(variants), rewritten.stream().filter(s -> !s.valid()).toList());
    }

    /** Everything the suite stores: the originals and the renamed copies. */
    List<Sample> toStore() {
        return Stream.concat(originals.stream(), renamed.stream()).toList();
    }

    /** Part 10 files pydicom reads but that lack one of the four UIDs (PS3.3 C.12.1, C.7.2.1, C.7.3.1). */
    List<Sample> withoutUids() {
        return scanned.stream().filter(s -> !s.valid() && s.reason() != null && s.reason().startsWith("missing")).toList();
    }

    /** A copy of {@code from} under new UIDs derived from {@code salt}: an instance no other test stores. */
    Sample copy(Sample from, String salt) {
        return rewrite(from, Map.of("salt", SALT + salt));
    }

    /** A copy of {@code from} with the given UIDs (keys study, series, sop; absent ones kept). */
    Sample copyWithUids(Sample from, Map<String, String> uids) {
        return rewrite(from, Map.of("uids", uids));
    }

    /** A copy of {@code from} with the same UIDs but another Patient's Name: a different object, same identity. */
    Sample copyWithPatientName(Sample from, String patientName) {
        return rewrite(from, Map.of("patientName", patientName));
    }

    /** The first original whose file name ends with {@code name}, e.g. "MR_small.dcm". */
    Sample original(String name) {
        return originals.stream().filter(s -> s.path().endsWith("/" + name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not an original of the corpus"));
    }

    private Sample rewrite(Sample from, Map<String, Object> change) {
        Map<String, Object> item = new LinkedHashMap<>(change);
        item.put("source", from.path());
        try {
            item.put("out", Files.createTempFile(workDir, "copy-", ".dcm").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sample s = samples(Pydicom.run("rewrite", Map.of("items", List.of(item)))).get(0);
        if (!s.valid()) {
            throw new IllegalStateException("pydicom could not rewrite " + from.name() + ": " + s.reason());
        }
        return s;
    }

    private static List<Sample> samples(JsonNode array) {
        List<Sample> out = new ArrayList<>();
        for (JsonNode n : array) {
            try {
                out.add(Pydicom.JSON.treeToValue(n, Sample.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String relative(String path) {
        int i = path.indexOf("/pydicom/data/");
        return i >= 0 ? path.substring(i + "/pydicom/data/".length()) : path;
    }

    /** A UID no one has used (PS3.5 B.2: "2.25." and the decimal value of a random UUID). */
    static String randomUid() {
        java.util.UUID u = java.util.UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits());
        return "2.25." + new java.math.BigInteger(1, b.array());
    }

    static Path tempDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp file is not worth failing a test run for
        }
    }
}
