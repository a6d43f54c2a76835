package org.dpacs.dicom.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.frame.FrameException.Reason;
import org.dpacs.dicom.frame.FrameLocation.ByteRange;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameIndexTest {
    private static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Prints "path TAB frame number TAB sha256" for every frame pydicom 2.3 finds, as stored. */
    private static final String PYDICOM_FRAMES = """
            import sys, hashlib, warnings
            warnings.simplefilter('ignore')
            import pydicom
            from pydicom.encaps import generate_pixel_data_frame
            for path in sys.argv[1:]:
                try:
                    ds = pydicom.dcmread(path)
                    if 'PixelData' not in ds or 'Rows' not in ds:
                        continue
                    if ds.file_meta.get('TransferSyntaxUID') == '1.2.840.10008.1.2.1.99':
                        continue
                    n = int(ds.get('NumberOfFrames') or 1)
                    if ds['PixelData'].is_undefined_length:
                        frames = list(generate_pixel_data_frame(ds.PixelData, n))
                    else:
                        samples = 2 if ds.PhotometricInterpretation.endswith('_422') else ds.SamplesPerPixel
                        size = ds.Rows * ds.Columns * samples * ds.BitsAllocated // 8
                        frames = [ds.PixelData[i * size:(i + 1) * size] for i in range(n)]
                except Exception as e:
                    print('pydicom cannot read', path, repr(e), file=sys.stderr)
                    continue
                for i, frame in enumerate(frames):
                    print(path, i + 1, hashlib.sha256(frame).hexdigest(), sep='\\t')
            """;

    // ---------------------------------------------------------------- real files against pydicom

    @Test
    void everyFrameOfTheSampleFilesEqualsPydicomsFrame() throws Exception {
        assumeTrue(Files.isDirectory(TEST_FILES), "pydicom test files not installed");
        List<String> files;
        try (Stream<Path> s = Files.list(TEST_FILES)) {
            // pydicom slices what is there of MR_truncated's pixel data; our reader rightly refuses the file.
            files = s.filter(p -> p.toString().endsWith(".dcm") && !p.endsWith("MR_truncated.dcm"))
                    .map(Path::toString).sorted().toList();
        }
        Map<String, String> expected = pydicomFrames(files);

        assertThat(frameCounts(expected)).as("multi-frame files pydicom read")
                .containsEntry(TEST_FILES.resolve("rtdose.dcm").toString(), 15)
                .containsEntry(TEST_FILES.resolve("rtdose_expb.dcm").toString(), 15)
                .containsEntry(TEST_FILES.resolve("rtdose_rle.dcm").toString(), 15)
                .containsEntry(TEST_FILES.resolve("SC_rgb_rle_2frame.dcm").toString(), 2)
                .containsEntry(TEST_FILES.resolve("SC_rgb_rle_16bit_2frame.dcm").toString(), 2)
                .containsEntry(TEST_FILES.resolve("SC_rgb_rle_32bit_2frame.dcm").toString(), 2);
        assertThat(ourFrames(frameCounts(expected).keySet())).isEqualTo(expected);
    }

    /**
     * dcmtk writes JPEG frames split into 1 KB fragments, with and without a Basic Offset Table, so frames span
     * several fragments as in real multi-frame objects.
     */
    @Test
    void fragmentedJpegFramesFromDcmtkEqualPydicomsFrames(@TempDir Path dir) throws Exception {
        Path native8 = nativeMultiFrame(dir, "SC_rgb_rle_2frame.dcm");
        Path native16 = nativeMultiFrame(dir, "SC_rgb_rle_16bit_2frame.dcm");
        List<String> files = List.of(
                dcmtk(dir, "jpeg-lossless-bot.dcm", "dcmcjpeg", "+e1", "+fs", "1", "+ot", native8),
                dcmtk(dir, "jpeg-lossless-scan.dcm", "dcmcjpeg", "+e1", "+fs", "1", "-ot", native8),
                dcmtk(dir, "jpeg-lossless16-scan.dcm", "dcmcjpeg", "+e1", "+fs", "1", "-ot", native16),
                dcmtk(dir, "jpeg-baseline-scan.dcm", "dcmcjpeg", "+eb", "+fs", "1", "-ot", native8),
                dcmtk(dir, "jpeg-ls-scan.dcm", "dcmcjpls", "+fs", "1", "-ot", native16),
                native8.toString());
        Map<String, String> expected = pydicomFrames(files);

        assertThat(frameCounts(expected)).hasSize(files.size()).allSatisfy((file, frames) -> assertThat(frames).isEqualTo(2));
        assertThat(ourFrames(files)).isEqualTo(expected);
        // The BOT and the scan must really have split multi-fragment frames.
        DicomFile scanned = DicomReader.readFile(Path.of(files.get(1)), ReadOptions.DEFAULT);
        FrameIndex index = FrameIndex.of(scanned.dataset(), scanned.parse().transferSyntax());
        assertThat(index.frame(1).ranges()).hasSizeGreaterThan(1);
        assertThat(index.frame(2).ranges()).hasSizeGreaterThan(1);
    }

    @Test
    void extendedOffsetTableWrittenByPydicomGivesItsFrames(@TempDir Path dir) throws Exception {
        Path native8 = nativeMultiFrame(dir, "SC_rgb_rle_2frame.dcm");
        String source = dcmtk(dir, "jpeg.dcm", "dcmcjpeg", "+e1", "+fs", "1", "-ot", native8);
        Path eot = dir.resolve("eot.dcm");
        python("""
                import sys, pydicom
                from pydicom.encaps import generate_pixel_data_frame, encapsulate_extended
                ds = pydicom.dcmread(sys.argv[1])
                frames = list(generate_pixel_data_frame(ds.PixelData, int(ds.NumberOfFrames)))
                ds.PixelData, ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths = encapsulate_extended(frames)
                ds.save_as(sys.argv[2])
                """, source, eot.toString());

        assertThat(ourFrames(List.of(eot.toString()))).isEqualTo(pydicomFrames(List.of(eot.toString())));
        DicomFile f = DicomReader.readFile(eot, ReadOptions.DEFAULT);
        assertThat(f.dataset().contains(Tag.ExtendedOffsetTable)).isTrue();
    }

    /** pydicom unpacks 1-bit frames (PS3.5 8.1.1) and packs each again from bit 0: our realigned frame. */
    @Test
    void bitPackedFramesEqualPydicomsUnpackedFrames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bits.dcm");
        List<String> lines = python("""
                import sys, hashlib, pydicom
                from pydicom.pixel_data_handlers.util import pack_bits
                ds = pydicom.dcmread(sys.argv[1])
                ds.Rows, ds.Columns, ds.NumberOfFrames = 5, 7, 9
                ds.PixelData = bytes((i * 151 + 29) % 256 for i in range(40))
                ds.save_as(sys.argv[2])
                frames = ds.pixel_array
                for i in range(len(frames)):
                    print(i + 1, hashlib.sha256(pack_bits(frames[i], pad=False)).hexdigest(), sep='\\t')
                """, TEST_FILES.resolve("liver_1frame.dcm").toString(), file.toString());
        DicomFile f = DicomReader.readFile(file, ReadOptions.DEFAULT);
        FrameIndex index = FrameIndex.of(f.dataset(), f.parse().transferSyntax());

        assertThat(index.frameCount()).isEqualTo(9);
        assertThat(index.frame(2).bitOffset()).isEqualTo(3); // frame 2 starts at bit 35
        List<String> ours = new ArrayList<>();
        for (int n = 1; n <= 9; n++) {
            ours.add(n + "\t" + sha256(FrameReader.read(index.frame(n), BulkDataResolver.FILES)));
        }
        assertThat(ours).isEqualTo(lines);
    }

    private static Map<String, Integer> frameCounts(Map<String, String> frames) {
        Map<String, Integer> counts = new TreeMap<>();
        frames.keySet().forEach(k -> counts.merge(k.substring(0, k.lastIndexOf('\t')), 1, Integer::sum));
        return counts;
    }

    private static Map<String, String> pydicomFrames(List<String> files) throws Exception {
        List<String> args = new ArrayList<>(files);
        Map<String, String> frames = new TreeMap<>();
        for (String line : python(PYDICOM_FRAMES, args.toArray(String[]::new))) {
            String[] cols = line.split("\t");
            frames.put(cols[0] + "\t" + cols[1], cols[2]);
        }
        return frames;
    }

    private static Map<String, String> ourFrames(Iterable<String> files) throws IOException {
        Map<String, String> frames = new TreeMap<>();
        for (String file : files) {
            DicomFile f = DicomReader.readFile(Path.of(file), ReadOptions.DEFAULT);
            FrameIndex index = FrameIndex.of(f.dataset(), f.parse().transferSyntax());
            for (int n = 1; n <= index.frameCount(); n++) {
                frames.put(file + "\t" + n, sha256(FrameReader.read(index.frame(n), BulkDataResolver.FILES)));
            }
        }
        return frames;
    }

    private static Path nativeMultiFrame(Path dir, String rleFile) throws Exception {
        return Path.of(dcmtk(dir, "native-" + rleFile, "dcmdrle", TEST_FILES.resolve(rleFile)));
    }

    /** Runs a dcmtk tool with {@code args} and an output file in {@code dir}; skips the test without dcmtk. */
    private static String dcmtk(Path dir, String output, String tool, Object... args) throws Exception {
        Path exe = Path.of("/usr/bin", tool);
        assumeTrue(Files.isExecutable(exe), tool + " (dcmtk) not installed");
        assumeTrue(Files.isDirectory(TEST_FILES), "pydicom test files not installed");
        List<String> cmd = new ArrayList<>(List.of(exe.toString()));
        Arrays.stream(args).map(Object::toString).forEach(cmd::add);
        Path out = dir.resolve(output);
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + log).isZero();
        return out.toString();
    }

    /** Runs a script with Debian's python3 and returns its output lines; skips the test without pydicom. */
    private static List<String> python(String script, String... args) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " not present");
        Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import pydicom, numpy").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        assumeTrue(check.waitFor() == 0, "pydicom or numpy not installed for " + PYTHON);
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("python exit code").isZero();
        return out.lines().toList();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- synthetic encapsulated data

    /** Encapsulated pixel data laid out in memory after some unrelated bytes, as in a file. */
    private static final class Encapsulated {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Fragment> items = new ArrayList<>();

        Encapsulated() {
            out.writeBytes(new byte[100]);
        }

        Encapsulated offsetTable(long... offsets) {
            ByteBuffer b = ByteBuffer.allocate(offsets.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            Arrays.stream(offsets).forEach(o -> b.putInt((int) o));
            return item(b.array());
        }

        Encapsulated item(byte[] value) {
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFE)
                    .putShort((short) 0xE000).putInt(value.length);
            out.writeBytes(header.array());
            items.add(Fragment.reference(out.size(), value.length));
            out.writeBytes(value);
            return this;
        }

        Fragments fragments() {
            return new Fragments(Vr.OB, "mem", items);
        }

        Recorder resolver() {
            return new Recorder(out.toByteArray());
        }

        Attributes dataset(int frames) {
            return pixelModule(frames).set(Tag.PixelData, Vr.OB, fragments()).build();
        }
    }

    /** Serves a byte array as source "mem" and records every range asked for. */
    private static final class Recorder implements BulkDataResolver {
        final byte[] data;
        final List<ByteRange> asked = new ArrayList<>();

        Recorder(byte[] data) {
            this.data = data;
        }

        @Override
        public InputStream open(BulkDataRef ref) {
            assertThat(ref.source()).isEqualTo("mem");
            asked.add(new ByteRange(ref.offset(), ref.length()));
            return new ByteArrayInputStream(data, (int) ref.offset(), (int) ref.length());
        }
    }

    private static Attributes.Builder pixelModule(int frames) {
        return new Attributes.Builder()
                .setString(Tag.NumberOfFrames, Vr.IS, Integer.toString(frames))
                .setInts(Tag.Rows, Vr.US, 4)
                .setInts(Tag.Columns, Vr.US, 4)
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setInts(Tag.BitsAllocated, Vr.US, 8);
    }

    /** A JPEG stream head: SOI, then an APP0 marker, then filler. */
    private static byte[] jpeg(int length, int fill) {
        byte[] b = filler(length, fill);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        b[3] = (byte) 0xE0;
        return b;
    }

    private static byte[] filler(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static FrameException frameError(Attributes ds, TransferSyntax ts, BulkDataResolver resolver) {
        try {
            FrameIndex.of(ds, ts, resolver);
        } catch (FrameException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a FrameException");
    }

    @Test
    void basicOffsetTableSplitsFramesAcrossFragmentsAndIsTheOnlyThingReadToIndex() throws IOException {
        byte[] a = jpeg(10, 1);
        byte[] b = filler(6, 2);
        byte[] c = jpeg(8, 3);
        byte[] d = jpeg(4, 4);
        byte[] e = filler(12, 5);
        // PS3.5 A.4: offsets from the first fragment's item tag: frame 2 after (8+10)+(8+6), frame 3 after 8+8 more
        Encapsulated px = new Encapsulated().offsetTable(0, 32, 48).item(a).item(b).item(c).item(d).item(e);
        Recorder resolver = px.resolver();

        FrameIndex index = FrameIndex.of(px.dataset(3), TransferSyntax.JPEG_BASELINE, resolver);

        Fragment bot = px.fragments().offsetTable();
        assertThat(resolver.asked).containsExactly(new ByteRange(bot.offset(), 12));
        assertThat(index.frameCount()).isEqualTo(3);
        assertThat(index.isEncapsulated()).isTrue();
        List<Fragment> data = px.fragments().dataFragments();
        assertThat(index.frame(1).ranges()).containsExactly(
                new ByteRange(data.get(0).offset(), 10), new ByteRange(data.get(1).offset(), 6));
        assertThat(FrameReader.read(index.frame(1), resolver)).isEqualTo(concat(a, b));
        assertThat(FrameReader.read(index.frame(2), resolver)).isEqualTo(c);
        assertThat(FrameReader.read(index.frame(3), resolver)).isEqualTo(concat(d, e));
    }

    @Test
    void corruptBasicOffsetTablesAreRefusedNotFollowed() {
        long[][] tables = {
                {0, 30, 48},   // 30 is inside fragment b
                {0, 48, 32},   // decreasing
                {18, 32, 48},  // frame 1 not at the first fragment
                {0, 32},       // two offsets for three frames
                {0, 32, 4000}, // beyond the fragments
        };
        for (long[] table : tables) {
            Encapsulated px = new Encapsulated().offsetTable(table)
                    .item(jpeg(10, 1)).item(filler(6, 2)).item(jpeg(8, 3)).item(jpeg(4, 4)).item(filler(12, 5));
            FrameException e = frameError(px.dataset(3), TransferSyntax.JPEG_BASELINE, px.resolver());
            assertThat(e.reason()).as(Arrays.toString(table)).isEqualTo(Reason.CORRUPT);
            assertThat(e.getMessage()).as(Arrays.toString(table)).contains("Basic Offset Table", "mem");
        }
        Encapsulated odd = new Encapsulated().item(new byte[10]).item(jpeg(10, 1)).item(jpeg(6, 2)).item(filler(8, 3));
        assertThat(frameError(odd.dataset(2), TransferSyntax.JPEG_BASELINE, odd.resolver()).getMessage())
                .contains("10 bytes long, not a multiple of 4");
    }

    @Test
    void extendedOffsetTableGivesFirstFragmentsAndTrimsToTheFrameLengths() throws IOException {
        byte[] a = jpeg(10, 1);
        byte[] b = filler(6, 2);
        byte[] c = jpeg(8, 3);
        Encapsulated px = new Encapsulated().offsetTable().item(a).item(b).item(c);
        Attributes ds = pixelModule(2)
                .set(Tag.ExtendedOffsetTable, Vr.OV, ov(0, 32))
                .set(Tag.ExtendedOffsetTableLengths, Vr.OV, ov(15, 7)) // frame 2 has one byte of padding
                .set(Tag.PixelData, Vr.OB, px.fragments()).build();
        Recorder resolver = px.resolver();

        FrameIndex index = FrameIndex.of(ds, TransferSyntax.JPEG_2000, resolver);

        assertThat(resolver.asked).isEmpty();
        assertThat(FrameReader.read(index.frame(1), resolver)).isEqualTo(concat(a, Arrays.copyOf(b, 5)));
        assertThat(FrameReader.read(index.frame(2), resolver)).isEqualTo(Arrays.copyOf(c, 7));
    }

    @Test
    void extendedOffsetTableLeftInTheSourceIsReadThroughTheResolver() throws IOException {
        Encapsulated px = new Encapsulated().offsetTable().item(jpeg(10, 1)).item(jpeg(8, 3));
        byte[] source = concat(px.resolver().data, ov(0, 18));
        Attributes ds = pixelModule(2)
                .set(Tag.ExtendedOffsetTable, Vr.OV, new BulkDataRef("mem", source.length - 16, 16, false))
                .set(Tag.PixelData, Vr.OB, px.fragments()).build();
        Recorder resolver = new Recorder(source);

        FrameIndex index = FrameIndex.of(ds, TransferSyntax.JPEG_2000, resolver);

        assertThat(resolver.asked).containsExactly(new ByteRange(source.length - 16, 16));
        assertThat(index.frame(2).ranges()).containsExactly(new ByteRange(px.fragments().dataFragments().get(1).offset(), 8));
    }

    @Test
    void corruptExtendedOffsetTablesAreRefused() {
        Encapsulated px = new Encapsulated().offsetTable().item(jpeg(10, 1)).item(jpeg(8, 3));
        Object[][] cases = {
                {ov(0, 20), ov(10, 8), "gives frame 2 offset 20, which is not the start of a fragment item"},
                {ov(0, 18), ov(10, 10), "gives frame 2 10 bytes, but its fragments hold 8"},
                {ov(0, 18), ov(10), "lists 1 frames"},
                {ov(0), ov(10), "lists 1 frames but Number of Frames is 2"},
                {new byte[12], ov(10, 8), "12 bytes long, not a multiple of 8"},
        };
        for (Object[] c : cases) {
            Attributes ds = pixelModule(2)
                    .set(Tag.ExtendedOffsetTable, Vr.OV, c[0])
                    .set(Tag.ExtendedOffsetTableLengths, Vr.OV, c[1])
                    .set(Tag.PixelData, Vr.OB, px.fragments()).build();
            FrameException e = frameError(ds, TransferSyntax.JPEG_2000, px.resolver());
            assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
            assertThat(e.getMessage()).contains((String) c[2]);
        }
    }

    private static byte[] ov(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(values).forEach(b::putLong);
        return b.array();
    }

    @Test
    void withoutOffsetTableFragmentsAreFramesWhenCountsMatchAndOneFrameTakesThemAll() throws IOException {
        Encapsulated px = new Encapsulated().offsetTable().item(filler(4, 1)).item(filler(6, 2)).item(filler(8, 3));
        Recorder resolver = px.resolver();

        FrameIndex three = FrameIndex.of(px.dataset(3), TransferSyntax.RLE_LOSSLESS, resolver);
        FrameIndex one = FrameIndex.of(px.dataset(1), TransferSyntax.RLE_LOSSLESS, resolver);

        assertThat(resolver.asked).isEmpty();
        assertThat(FrameReader.read(three.frame(2), resolver)).isEqualTo(filler(6, 2));
        assertThat(FrameReader.read(one.frame(1), resolver)).isEqualTo(concat(filler(4, 1), filler(6, 2), filler(8, 3)));
    }

    @Test
    void scanFindsJpegFramesByTheirStartMarkerReadingOnlyFragmentHeads() throws IOException {
        byte[][] fragments = {jpeg(20, 1), filler(30, 2), jpeg(16, 3), jpeg(40, 4), filler(2, 5), filler(8, 6)};
        Encapsulated px = new Encapsulated().offsetTable();
        Arrays.stream(fragments).forEach(px::item);
        Recorder resolver = px.resolver();

        FrameIndex index = FrameIndex.of(px.dataset(3), TransferSyntax.JPEG_LS_LOSSLESS, resolver);

        assertThat(resolver.asked).hasSize(6).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(12));
        assertThat(FrameReader.read(index.frame(1), resolver)).isEqualTo(concat(fragments[0], fragments[1]));
        assertThat(FrameReader.read(index.frame(2), resolver)).isEqualTo(fragments[2]);
        assertThat(FrameReader.read(index.frame(3), resolver))
                .isEqualTo(concat(fragments[3], fragments[4], fragments[5]));
    }

    @Test
    void scanFindsJpeg2000CodestreamsAndJp2FilesButNotAStraySocInData() throws IOException {
        byte[] codestream = concat(new byte[]{(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}, filler(12, 1));
        byte[] jp2 = concat(new byte[]{0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, (byte) 0x87, 0x0A}, filler(4, 2));
        byte[] straySoc = concat(new byte[]{(byte) 0xFF, 0x4F, 0x12, 0x34}, filler(4, 3)); // SOC without SIZ
        Encapsulated px = new Encapsulated().offsetTable().item(codestream).item(straySoc).item(jp2).item(filler(6, 4));

        FrameIndex index = FrameIndex.of(px.dataset(2), TransferSyntax.JPEG_2000_LOSSLESS, px.resolver());

        assertThat(FrameReader.read(index.frame(1), px.resolver())).isEqualTo(concat(codestream, straySoc));
        assertThat(FrameReader.read(index.frame(2), px.resolver())).isEqualTo(concat(jp2, filler(6, 4)));
        // Without the transfer syntax every codec's markers count, with the same result here.
        assertThat(FrameIndex.of(px.dataset(2), TransferSyntax.of("1.2.3.4"), px.resolver()).frame(2))
                .isEqualTo(index.frame(2));
    }

    @Test
    void ambiguousScansAreRefusedRatherThanGuessed() {
        Encapsulated tooMany = new Encapsulated().offsetTable().item(jpeg(8, 1)).item(jpeg(8, 2)).item(jpeg(8, 3));
        FrameException e = frameError(tooMany.dataset(2), TransferSyntax.JPEG_BASELINE, tooMany.resolver());
        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).contains("Cannot tell where the 2 frames", "3 of its 3 fragments start with a JPEG SOI");

        Encapsulated noFirst = new Encapsulated().offsetTable().item(filler(8, 1)).item(jpeg(8, 2)).item(jpeg(8, 3));
        assertThat(frameError(noFirst.dataset(2), TransferSyntax.JPEG_BASELINE, noFirst.resolver()).getMessage())
                .contains("the first fragment not among them");

        // A JPEG SOI does not start a JPEG 2000 frame.
        Encapsulated wrongCodec = new Encapsulated().offsetTable().item(jpeg(8, 1)).item(filler(8, 2)).item(jpeg(8, 3));
        assertThat(frameError(wrongCodec.dataset(2), TransferSyntax.JPEG_2000, wrongCodec.resolver()).getMessage())
                .contains("0 of its 3 fragments");
    }

    @Test
    void rleFramesMustBeOneFragmentEach() {
        Encapsulated px = new Encapsulated().offsetTable().item(filler(8, 1)).item(filler(8, 2)).item(filler(8, 3));
        FrameException e = frameError(px.dataset(2), TransferSyntax.RLE_LOSSLESS, px.resolver());
        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).contains("3 fragments for 2 frames", "RLE Lossless puts each frame in exactly one fragment");
    }

    @Test
    void fewerFragmentsThanFramesAndVideoAreRefused() {
        Encapsulated px = new Encapsulated().offsetTable().item(jpeg(8, 1)).item(jpeg(8, 2));
        FrameException few = frameError(px.dataset(3), TransferSyntax.JPEG_BASELINE, px.resolver());
        assertThat(few.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(few.getMessage()).contains("3 frames but only 2 fragments");

        FrameException video = frameError(px.dataset(2), TransferSyntax.MPEG4_HP41, px.resolver());
        assertThat(video.reason()).isEqualTo(Reason.UNSUPPORTED);
        assertThat(video.getMessage()).contains("video stream");

        Encapsulated empty = new Encapsulated().offsetTable();
        assertThat(frameError(empty.dataset(1), TransferSyntax.JPEG_BASELINE, empty.resolver()).getMessage())
                .contains("has no fragments");
    }

    @Test
    void frameNumbersAreOneBasedAndCheckedAgainstTheRange() throws IOException {
        Encapsulated px = new Encapsulated().offsetTable().item(filler(4, 1)).item(filler(4, 2)).item(filler(4, 3));
        FrameIndex index = FrameIndex.of(px.dataset(3), TransferSyntax.RLE_LOSSLESS, px.resolver());

        for (int bad : new int[]{0, -1, 4}) {
            assertThatThrownBy(() -> index.frame(bad)).isInstanceOfSatisfying(FrameException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_FRAME);
                assertThat(e.getMessage()).isEqualTo("Frame " + bad + " does not exist: mem has frames 1 to 3");
            });
        }
        assertThat(index.frame(1).ranges()).containsExactly(new ByteRange(px.fragments().dataFragments().get(0).offset(), 4));
    }

    @Test
    void dataSetsWithoutLocatablePixelDataAreRefusedWithTheReason() {
        Recorder resolver = new Recorder(new byte[0]);
        assertThat(frameError(pixelModule(1).build(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver).reason())
                .isEqualTo(Reason.NO_PIXEL_DATA);

        Attributes loaded = pixelModule(1).set(Tag.PixelData, Vr.OB, new byte[16]).build();
        FrameException inMemory = frameError(loaded, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);
        assertThat(inMemory.reason()).isEqualTo(Reason.UNSUPPORTED);
        assertThat(inMemory.getMessage()).contains("held in memory", "ReadOptions.DEFAULT");

        Attributes referenced = pixelModule(1).set(Tag.PixelData, Vr.OB, new BulkDataRef("mem", 0, 16, false)).build();
        assertThat(frameError(referenced, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, resolver).getMessage())
                .contains("deflated");

        Attributes badCount = pixelModule(1).setString(Tag.NumberOfFrames, Vr.IS, "1A")
                .set(Tag.PixelData, Vr.OB, new BulkDataRef("mem", 0, 16, false)).build();
        assertThat(frameError(badCount, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver).getMessage())
                .contains("Number of Frames (0028,0008) is not a number");
    }

    @Test
    void deflatedSampleFileIsRefused() throws IOException {
        Path dfl = TEST_FILES.resolve("image_dfl.dcm");
        assumeTrue(Files.isRegularFile(dfl), "pydicom test files not installed");
        DicomFile f = DicomReader.readFile(dfl, ReadOptions.DEFAULT);
        assertThatThrownBy(() -> FrameIndex.of(f.dataset(), f.parse().transferSyntax()))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
    }

    // ---------------------------------------------------------------- synthetic native data

    private static Attributes nativeDataSet(int tag, int frames, int rows, int columns, int bits, long offset, long length) {
        Attributes.Builder b = new Attributes.Builder()
                .setString(Tag.NumberOfFrames, Vr.IS, Integer.toString(frames))
                .setInts(Tag.Rows, Vr.US, rows)
                .setInts(Tag.Columns, Vr.US, columns);
        if (tag == Tag.PixelData) {
            b.setInts(Tag.BitsAllocated, Vr.US, bits);
        }
        return b.set(tag, Vr.OB, new BulkDataRef("mem", offset, length, false)).build();
    }

    @Test
    void nativeFramesAreConsecutiveSlicesAndOnlyTheAskedOneIsRead() throws IOException {
        byte[] source = new byte[200];
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) i;
        }
        Attributes ds = nativeDataSet(Tag.PixelData, 3, 2, 3, 16, 100, 36);
        Recorder resolver = new Recorder(source);

        FrameIndex index = FrameIndex.of(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);
        byte[] frame2 = FrameReader.read(index.frame(2), resolver);

        assertThat(index.isEncapsulated()).isFalse();
        assertThat(index.frame(3)).isEqualTo(FrameLocation.of("mem", List.of(new ByteRange(124, 12))));
        assertThat(frame2).isEqualTo(Arrays.copyOfRange(source, 112, 124));
        assertThat(resolver.asked).containsExactly(new ByteRange(112, 12));
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        FrameReader.copy(index.frame(2), resolver, copied);
        assertThat(copied.toByteArray()).isEqualTo(frame2);
        assertThat(resolver.asked).containsExactly(new ByteRange(112, 12), new ByteRange(112, 12));
    }

    @Test
    void encapsulatedFrameReadsTouchOnlyThatFramesFragments() throws IOException {
        Encapsulated px = new Encapsulated().offsetTable(0, 32, 48)
                .item(jpeg(10, 1)).item(filler(6, 2)).item(jpeg(8, 3)).item(jpeg(4, 4)).item(filler(12, 5));
        Recorder resolver = px.resolver();
        FrameIndex index = FrameIndex.of(px.dataset(3), TransferSyntax.JPEG_BASELINE, resolver);
        resolver.asked.clear();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameReader.copy(index.frame(3), resolver, out);

        List<Fragment> data = px.fragments().dataFragments();
        assertThat(resolver.asked).containsExactly(
                new ByteRange(data.get(3).offset(), 4), new ByteRange(data.get(4).offset(), 12));
        assertThat(out.toByteArray()).isEqualTo(concat(jpeg(4, 4), filler(12, 5)));
    }

    @Test
    void nativeFramesMustFitThePixelDataAndThePixelModuleMustBeThere() {
        Recorder resolver = new Recorder(new byte[0]);
        FrameException shortData = frameError(nativeDataSet(Tag.PixelData, 3, 2, 3, 16, 100, 35),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);
        assertThat(shortData.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(shortData.getMessage()).contains("holds 35 bytes, but 3 frame(s) of 2 rows x 3 columns x 1 samples x 16 bits need 36");

        Attributes noRows = new Attributes.Builder().setInts(Tag.Columns, Vr.US, 2).setInts(Tag.BitsAllocated, Vr.US, 8)
                .set(Tag.PixelData, Vr.OB, new BulkDataRef("mem", 0, 4, false)).build();
        assertThat(frameError(noRows, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver).getMessage())
                .contains("Missing (0028,0010)");

        assertThat(frameError(nativeDataSet(Tag.PixelData, 1, 2, 2, 12, 0, 8),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver).reason()).isEqualTo(Reason.UNSUPPORTED);
    }

    @Test
    void floatAndDoubleFloatPixelDataHaveFourAndEightByteSamples() throws IOException {
        Recorder resolver = new Recorder(new byte[1000]);
        FrameIndex floats = FrameIndex.of(nativeDataSet(Tag.FloatPixelData, 2, 2, 2, 0, 10, 32),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);
        FrameIndex doubles = FrameIndex.of(nativeDataSet(Tag.DoubleFloatPixelData, 2, 2, 2, 0, 10, 64),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);

        assertThat(floats.frame(2).ranges()).containsExactly(new ByteRange(26, 16));
        assertThat(doubles.frame(2).ranges()).containsExactly(new ByteRange(42, 32));
    }

    @Test
    void bitPackedFramesAreLocatedByBitAndRealignedOnRead() throws IOException {
        // 3 x 5 one-bit pixels: 15 bits per frame, so frames start at bits 0, 15, 30, 45 (PS3.5 8.1.1).
        byte[] source = new byte[40];
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) (i * 73 + 41);
        }
        Attributes ds = nativeDataSet(Tag.PixelData, 4, 3, 5, 1, 20, 8);
        Recorder resolver = new Recorder(source);
        FrameIndex index = FrameIndex.of(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);

        FrameLocation second = index.frame(2);
        assertThat(second.ranges()).containsExactly(new ByteRange(21, 3));
        assertThat(second.bitOffset()).isEqualTo(7);
        assertThat(second.bitLength()).isEqualTo(15);
        assertThat(second.isBitPacked()).isTrue();
        for (int n = 1; n <= 4; n++) {
            assertThat(FrameReader.read(index.frame(n), resolver)).as("frame " + n)
                    .isEqualTo(bits(source, 20 * 8 + (n - 1) * 15, 15));
        }
        // 4 x 4 one-bit frames are whole bytes and need no shifting.
        FrameIndex aligned = FrameIndex.of(nativeDataSet(Tag.PixelData, 2, 4, 4, 1, 20, 4),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);
        assertThat(aligned.frame(2).isBitPacked()).isFalse();
        assertThat(aligned.frame(2).ranges()).containsExactly(new ByteRange(22, 2));
    }

    /** Bit by bit, least significant first: the independent reference for realignment. */
    private static byte[] bits(byte[] source, int firstBit, int count) {
        byte[] out = new byte[(count + 7) / 8];
        for (int i = 0; i < count; i++) {
            int bit = firstBit + i;
            if ((source[bit / 8] >> (bit % 8) & 1) != 0) {
                out[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }

    @Test
    void bigEndianFramesKeepTheirByteOrderAndSplitWordsAreRefused() throws IOException {
        Recorder resolver = new Recorder(new byte[100]);
        Attributes words = new Attributes.Builder().setString(Tag.NumberOfFrames, Vr.IS, "2")
                .setInts(Tag.Rows, Vr.US, 2).setInts(Tag.Columns, Vr.US, 2).setInts(Tag.BitsAllocated, Vr.US, 16)
                .set(Tag.PixelData, Vr.OW, new BulkDataRef("mem", 0, 16, true)).build();
        assertThat(FrameIndex.of(words, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, resolver).frame(2).bigEndian()).isTrue();

        Attributes oddBytes = new Attributes.Builder().setString(Tag.NumberOfFrames, Vr.IS, "2")
                .setInts(Tag.Rows, Vr.US, 1).setInts(Tag.Columns, Vr.US, 3).setInts(Tag.BitsAllocated, Vr.US, 8)
                .set(Tag.PixelData, Vr.OW, new BulkDataRef("mem", 0, 6, true)).build();
        assertThat(frameError(oddBytes, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, resolver).reason())
                .isEqualTo(Reason.UNSUPPORTED);
    }

    @Test
    void truncatedSourcesFailTheReadNamingWhere() throws IOException {
        Recorder resolver = new Recorder(new byte[110]);
        FrameIndex index = FrameIndex.of(nativeDataSet(Tag.PixelData, 2, 2, 4, 8, 100, 16),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, resolver);

        assertThat(FrameReader.read(index.frame(1), resolver)).hasSize(8);
        assertThatThrownBy(() -> FrameReader.read(index.frame(2), resolver)).isInstanceOf(EOFException.class)
                .hasMessage("mem ends 2 bytes into the frame range of 8 bytes at position 108");
        assertThatThrownBy(() -> FrameReader.copy(index.frame(2), resolver, new ByteArrayOutputStream()))
                .isInstanceOf(EOFException.class);
    }
}
