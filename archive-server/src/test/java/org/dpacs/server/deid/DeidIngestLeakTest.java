package org.dpacs.server.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ParseResult;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.ingest.IngestPipeline;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;
import org.dpacs.server.storage.FileObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The leak test of issue 5 over Debian's python3-pydicom sample set: every file goes through the real ingest
 * pipeline (file object store, H2 catalog) with the Basic Profile, and no byte of the stored object (data set,
 * sequences, private attributes, File Meta Information) contains the original Patient's Name, Patient ID, birth
 * date or Institution Name; the pixel data (everything from (7FE0,0010) on) is byte-identical.
 */
class DeidIngestLeakTest {
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
    private static final int PatientBirthDate = 0x00100030;
    private static final int InstitutionName = 0x00080080;

    @TempDir
    static Path dir;
    static FileObjectStore store;
    static H2Catalog catalog;
    static IngestPipeline pipeline;

    @BeforeAll
    static void start() throws IOException {
        store = new FileObjectStore(dir.resolve("objects"));
        catalog = new H2Catalog(dir.resolve("catalog"));
        DeidSettings settings = DeidSettings.basic("leak-test-secret-0123456789")
                .withBurnedIn(BurnedInPolicy.ACCEPT_WITH_WARNING);
        // Several samples are the same instance in other transfer syntaxes: overwrite so each is stored and checked.
        Config config = Config.load(new java.util.Properties(), java.util.Map.of("DPACS_STORE_OVERWRITE", "true"))
                .withDataDir(dir);
        pipeline = new IngestPipeline(config, store, catalog, committed -> { },
                Deidentifier.create(settings, dir));
    }

    @AfterAll
    static void stop() throws IOException {
        pipeline.close();
        catalog.close();
        store.close();
    }

    static Stream<Path> samples() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(PYDICOM), "python3-pydicom is not installed");
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("test_files", "charset_files")) {
            try (Stream<Path> s = Files.list(PYDICOM.resolve(sub))) {
                s.filter(Files::isRegularFile).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void storedBytesCarryNoIdentityAndPixelDataIsUnchanged(Path file) throws IOException {
        byte[] original = Files.readAllBytes(file);
        Header before = header(original);
        Assumptions.assumeTrue(before != null, "not a DICOM file (pydicom ships some for its error tests)");
        IngestResult result = pipeline.ingest(IngestRequest.of(new ByteArrayInputStream(original), file.toString()));
        if (result instanceof IngestResult.Rejected r) {
            assertThat(r.message()).as("refused by de-identification").doesNotContainIgnoringCase("burned");
        }
        Assumptions.assumeTrue(result instanceof IngestResult.Stored || result instanceof IngestResult.Duplicate,
                () -> "not stored (the archive refuses it without de-identification too): " + result);
        if (!(result instanceof IngestResult.Stored stored)) {
            return; // byte-identical to an earlier sample once de-identified: that one was checked
        }
        assertThat(stored.warnings()).anyMatch(w -> w.startsWith("De-identified on arrival"));
        byte[] bytes;
        try (InputStream in = store.open(stored.record().objectKey())) {
            bytes = in.readAllBytes();
        }
        // The profile keeps Manufacturer and Manufacturer's Model Name (not in Table E.1-1); an institution named
        // like its scanner's maker ("TOSHIBA" in MR_small.dcm) is not a leak.
        List<String> keptByDesign = Stream.of(0x00080070, 0x00081090).flatMap(t -> before.attributes().strings(t)
                .stream()).map(String::strip).toList();
        for (int tag : new int[] {Tag.PatientName, Tag.PatientID, PatientBirthDate, InstitutionName}) {
            for (byte[] needle : before.identifying(tag)) {
                String value = new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (tag == InstitutionName && keptByDesign.stream().anyMatch(k -> k.contains(value))) {
                    continue;
                }
                assertThat(indexOf(bytes, needle)).as("%s %s in the stored object", Tag.toString(tag),
                        new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1)).isNegative();
            }
        }
        Header after = header(bytes);
        assertThat(after.attributes().string(0x00120062)).contains("YES");
        if (before.attributes().contains(Tag.PixelData) || before.parse().stopped()) {
            // Pixel data is copied unchanged; attributes after it are de-identified like the header (the byte
            // search above covers them), so only the pixel data itself must be byte-identical.
            Attributes in = DicomReader.read(new ByteArrayInputStream(original), "original", ReadOptions.EVERYTHING)
                    .dataset();
            Attributes out = DicomReader.read(new ByteArrayInputStream(bytes), "stored", ReadOptions.EVERYTHING)
                    .dataset();
            Object want = in.indexOf(Tag.PixelData) >= 0 ? in.valueAt(in.indexOf(Tag.PixelData)) : null;
            Object got = out.indexOf(Tag.PixelData) >= 0 ? out.valueAt(out.indexOf(Tag.PixelData)) : null;
            assertThat(java.util.Objects.deepEquals(got, want)).as("pixel data unchanged").isTrue();
        }
    }

    record Header(Attributes attributes, ParseResult parse) {
        /** The raw value bytes of {@code tag}, and each of its values and name components, worth searching for. */
        List<byte[]> identifying(int tag) {
            List<byte[]> out = new ArrayList<>();
            attributes.bytes(tag).ifPresent(b -> {
                String raw = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String part : raw.split("[\\\\^=]")) {
                    String p = part.strip().replace("\0", "");
                    // Short or generic values ("0", "M", "ANON") occur by chance in any binary data.
                    if (p.length() >= 4 && !p.equalsIgnoreCase("ANONYMOUS") && !p.equalsIgnoreCase("ANONYMIZED")) {
                        out.add(p.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                }
            });
            return out;
        }
    }

    private static Header header(byte[] bytes) {
        try (DicomReader r = new DicomReader(new ByteArrayInputStream(bytes), "sample",
                ReadOptions.DEFAULT.withStopAt(Tag.PixelData))) {
            AttributesCollector c = new AttributesCollector();
            ParseResult p = r.parse(c);
            return new Header(c.dataset(), p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
