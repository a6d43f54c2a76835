package org.dpacs.dicom.json;

import static org.dpacs.dicom.json.JsonTree.object;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads every file of pydicom's test data with our reader, writes DICOM JSON, and compares it with what pydicom
 * 2.3's {@code Dataset.to_json_dict()} makes of the same file. One dynamic test per file.
 *
 * <p>Rules: a file pydicom reads (without {@code force}) must be read by us too, unless listed below as one we
 * reject on purpose; when we fail, it must be with a {@link DicomParseException}; the two JSON trees must agree
 * after the normalisations of {@link JsonTreeDiff#normalisePydicom}, except for the paths listed below. Every
 * listed difference must still occur, so the list cannot go stale. Each entry is justified in
 * {@code docs/dicom-json-vs-pydicom.md}.
 */
class DicomJsonPydicomInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

    enum Kind {
        /** pydicom reads the file, we throw DicomParseException on purpose. */
        WE_REJECT,
        /** Both read it; the listed attribute paths differ. */
        DIFFERS,
        /**
         * Both read it; at the listed paths pydicom's InlineBinary keeps the file's big endian byte order and
         * must equal ours once swapped per value of the VR.
         */
        BIG_ENDIAN_OCTETS
    }

    record Known(Kind kind, String reason, Set<String> paths) {
        static Known rejected(String reason) {
            return new Known(Kind.WE_REJECT, reason, Set.of());
        }

        static Known differs(String reason, String... paths) {
            return new Known(Kind.DIFFERS, reason, Set.of(paths));
        }

        static Known bigEndian(String reason, String... paths) {
            return new Known(Kind.BIG_ENDIAN_OCTETS, reason, Set.of(paths));
        }
    }

    private static final String CS_TRIM = "CS values are trimmed one by one (PS3.5 6.2)";
    private static final String BIG_ENDIAN = "InlineBinary in little endian (PS3.18 8.7.3.3.1)";

    /** File (relative to pydicom's data directory) to the difference we accept there and why. */
    static final Map<String, Known> KNOWN_DIFFERENCES = Map.ofEntries(
            // "DERIVED \\PRIMARY": each CS value is trimmed (PS3.5 6.2), pydicom keeps "DERIVED ".
            Map.entry("test_files/693_J2KI.dcm", Known.differs(CS_TRIM, "00080008")),
            Map.entry("test_files/SC_rgb_gdcm_KY.dcm", Known.differs(CS_TRIM, "00080008")),
            Map.entry("test_files/SC_rgb_jpeg_lossy_gdcm.dcm", Known.differs(CS_TRIM, "00080008")),
            // Explicit VR big endian: InlineBinary is little endian (PS3.18 8.7.3.3.1), pydicom copies the file.
            Map.entry("test_files/MR_small_bigendian.dcm", Known.bigEndian(BIG_ENDIAN, "7FE00010")),
            Map.entry("test_files/MR_small_expb.dcm", Known.bigEndian(BIG_ENDIAN, "7FE00010")),
            Map.entry("test_files/rtdose_expb.dcm", Known.bigEndian(BIG_ENDIAN, "7FE00010")),
            Map.entry("test_files/rtdose_expb_1frame.dcm", Known.bigEndian(BIG_ENDIAN, "7FE00010")),
            // IS "1A": pydicom cannot convert it and drops the attribute; we keep it as a string (F.2.3).
            Map.entry("test_files/badVR.dcm", Known.differs("invalid IS kept as a JSON string", "00280008")),
            // Malformed files pydicom reads partially; we refuse to return a silently truncated data set.
            Map.entry("test_files/MR_truncated.dcm",
                    Known.rejected("Pixel Data value length 8192 but only 8130 bytes left (PS3.5 7.1.1)")),
            Map.entry("test_files/rtplan_truncated.dcm",
                    Known.rejected("sequence (300A,00B0) length 976 but only 711 bytes left (PS3.5 7.5.2)")),
            Map.entry("test_files/dicomdirtests/DICOMDIR-nooffset",
                    Known.rejected("last directory record item declares 248 bytes, 224 are left (PS3.5 7.5.1)"))
    );

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyPydicomTestFile() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        assumeTrue(Files.isDirectory(DATA.resolve("test_files")), "no pydicom test data at " + DATA);
        Map<String, Object> files = object(object(runPydicom()).get("files"));
        Stream<DynamicTest> listed = Stream.of(DynamicTest.dynamicTest("KNOWN_DIFFERENCES name existing files", () -> {
            for (String name : KNOWN_DIFFERENCES.keySet()) {
                assertTrue(files.containsKey(DATA.resolve(name).toString()), "No such test file: " + name);
            }
        }));
        return Stream.concat(listed, files.keySet().stream().sorted().map(file -> DynamicTest.dynamicTest(
                DATA.relativize(Path.of(file)).toString(), () -> check(Path.of(file), object(files.get(file))))));
    }

    /** Swaps pydicom's big endian InlineBinary to little endian, per value of the attribute's VR. */
    private static void swapInlineBinary(Map<String, Object> attribute) {
        byte[] b = Base64.getDecoder().decode((String) attribute.get("InlineBinary"));
        BinaryValues.swap(b, 0, b.length, Vr.valueOf((String) attribute.get("vr")));
        attribute.put("InlineBinary", Base64.getEncoder().encodeToString(b));
    }

    private Object runPydicom() throws IOException, InterruptedException {
        Path script = temp.resolve("pydicom_json.py");
        try (InputStream in = getClass().getResourceAsStream("/interop/pydicom_json.py")) {
            Files.copy(in, script);
        }
        Path out = temp.resolve("pydicom.json");
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), out.toString(),
                DATA.resolve("test_files").toString(), DATA.resolve("charset_files").toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "pydicom helper timed out");
        assumeTrue(!log.contains("No module named 'pydicom'"), "pydicom is not importable by /usr/bin/python3");
        assertTrue(process.exitValue() == 0, "pydicom helper failed:\n" + log);
        try (InputStream in = Files.newInputStream(out)) {
            return JsonTree.parse(in);
        }
    }

    private static void check(Path file, Map<String, Object> pydicom) throws IOException {
        String name = DATA.relativize(file).toString();
        Known known = KNOWN_DIFFERENCES.get(name);
        boolean pydicomReads = pydicom.containsKey("json") && !Boolean.TRUE.equals(pydicom.get("forced"));
        Map<String, Object> ours;
        try {
            DicomFile f = DicomReader.readFile(file, ReadOptions.EVERYTHING);
            ours = object(JsonTree.parse(DicomJsonWriter.toJson(f.dataset(), JsonOptions.DEFAULT)));
        } catch (DicomParseException e) {
            if (pydicomReads) {
                assertTrue(known != null && known.kind() == Kind.WE_REJECT,
                        "pydicom reads " + name + " but we fail: " + e.getMessage());
            }
            return;
        } catch (Exception e) {
            throw new AssertionError("Reading " + name + " must fail with DicomParseException only, got " + e, e);
        }
        if (known != null && known.kind() == Kind.WE_REJECT) {
            fail(name + " is listed as rejected (" + known.reason() + ") but we read it now; update "
                    + "KNOWN_DIFFERENCES and the doc");
        }
        if (!pydicom.containsKey("json")) {
            return; // pydicom cannot read it at all; nothing to compare with
        }
        Map<String, Object> expected = object(pydicom.get("json"));
        JsonTreeDiff.normalisePydicom(expected);
        List<JsonTreeDiff.Difference> differences = JsonTreeDiff.compare(expected, ours);
        if (known != null && known.kind() == Kind.BIG_ENDIAN_OCTETS) {
            for (String path : known.paths()) {
                assertTrue(differences.stream().anyMatch(d -> d.path().equals(path)),
                        name + ": " + path + " no longer differs before swapping; remove it from KNOWN_DIFFERENCES");
                swapInlineBinary(object(expected.get(path)));
            }
            differences = JsonTreeDiff.compare(expected, ours);
            assertTrue(differences.isEmpty(), name + " differs from pydicom after byte swapping:"
                    + JsonTreeDiff.summary(differences));
            return;
        }
        Set<String> allowed = known == null ? Set.of() : known.paths();
        List<JsonTreeDiff.Difference> unexpected = differences.stream()
                .filter(d -> allowed.stream().noneMatch(p -> JsonTreeDiff.within(d.path(), p))).toList();
        assertTrue(unexpected.isEmpty(), name + " differs from pydicom" + (Boolean.TRUE.equals(pydicom.get("forced"))
                ? " (read with force=True)" : "") + ":" + JsonTreeDiff.summary(unexpected));
        for (String path : allowed) {
            assertTrue(differences.stream().anyMatch(d -> JsonTreeDiff.within(d.path(), path)),
                    name + ": the known difference at " + path + " (" + known.reason()
                            + ") no longer occurs; remove it from KNOWN_DIFFERENCES");
        }
    }
}
