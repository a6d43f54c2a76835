package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.DpacsServer;
import org.dpacs.server.dicomweb.MediaRange;
import org.dpacs.server.dicomweb.MultipartReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What dcmtk's storescu does when only Explicit VR Little Endian is proposed (docs/dimse.md: "refused or
 * converted"), and 8 storescu associations in parallel loading a generated CT set.
 */
class StoreScuNegotiationInteropTest {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    /** Syntaxes storescu can turn into Explicit VR LE without a codec (uncompressed, or deflated). */
    private static final Set<String> NATIVE = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99");
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    static Path dir;
    private static DpacsServer server;
    private static int port;
    private static HttpClient http;
    /** File name to outcome, printed at the end: the table docs/dimse.md summarises. */
    private static final Map<String, String> OUTCOMES = new TreeMap<>();
    private static final Set<String> SENT = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Dcmtk.available(), "dcmtk (echoscu, storescu) is not installed");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Properties props = new Properties();
        props.setProperty("dpacs.http.port", "0");
        props.setProperty("dpacs.dimse.port", String.valueOf(port));
        props.setProperty("dpacs.data.dir", dir.resolve("data").toString());
        props.setProperty("dpacs.store.overwrite", "true");
        props.setProperty("dpacs.deid.profile", "off");
        server = DpacsServer.start(Config.load(props, Map.of()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(probe.isConnected()).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        synchronized (OUTCOMES) {
            OUTCOMES.forEach((f, o) -> System.out.println("EXPLICIT-LE-ONLY " + f + ": " + o));
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * storescu proposing only Explicit VR Little Endian (a one-syntax profile: {@code -xe} alone would propose the
     * other uncompressed syntaxes too). Uncompressed and deflated files are converted by storescu and stored as
     * Explicit VR LE with the same attributes; a compressed file (JPEG, JPEG-LS, JPEG 2000, RLE) is not sent: this
     * storescu has no decoders ("unable to convert dataset", "Store Failed") and nothing is stored. Should a
     * storescu decode one, it must arrive stored uncompressed. dPACS itself never converts.
     */
    @TestFactory
    Stream<DynamicTest> onlyExplicitLittleEndianProposedIsConvertedOrRefused() throws IOException {
        assumeTrue(Files.isDirectory(DimseInteropTest.SAMPLES), "pydicom sample files not installed");
        List<Path> files;
        try (Stream<Path> s = Files.list(DimseInteropTest.SAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().filter(DimseInteropTest::isValid).toList();
        }
        assertThat(files).hasSizeGreaterThan(40);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> sendExplicitLe(f)));
    }

    private void sendExplicitLe(Path file) throws Exception {
        DicomFile original = DicomReader.readFile(file, ReadOptions.EVERYTHING);
        String ts = original.fileMetaInformation().string(Tag.TransferSyntaxUID).orElseThrow();
        String sopClass = original.fileMetaInformation().string(Tag.MediaStorageSOPClassUID).orElseThrow();
        Attributes ds = original.dataset();
        String study = ds.string(Tag.StudyInstanceUID).orElseThrow();
        String series = ds.string(Tag.SeriesInstanceUID).orElseThrow();
        String sop = ds.string(Tag.SOPInstanceUID).orElseThrow();
        Dcmtk.Result r = Dcmtk.storescu(port, List.<String[]>of(new String[]{sopClass, EXPLICIT_LE}),
                List.of(file), dir);
        String name = file.getFileName().toString();
        if (r.output().contains("Bad DICOM file") || r.output().contains("No SOP Class or Instance")) {
            record(name, ts, "storescu cannot read the file");
            return; // never reaches the wire: the sender's limit (see DimseInteropTest)
        }
        boolean stored = r.output().contains("Received Store Response (Success)")
                || r.output().contains("Received Store Response (Warning");
        if (NATIVE.contains(ts)) {
            assertThat(stored).as(name + " (" + ts + ") must be converted and stored:\n" + r.output()).isTrue();
        }
        if (stored) {
            assertThat(r.exitCode()).as(r.output()).isZero();
            SENT.add(sop);
            DicomFile back = retrieve(study, series, sop);
            assertThat(back).as(name + " stored but not found").isNotNull();
            assertThat(back.fileMetaInformation().string(Tag.TransferSyntaxUID)).as(name).hasValue(EXPLICIT_LE);
            Object pixels = back.dataset().contains(Tag.PixelData) ? back.dataset().valueAt(
                    back.dataset().indexOf(Tag.PixelData)) : null;
            if (pixels != null) {
                assertThat(pixels).as(name + ": stored pixel data is native").isInstanceOf(byte[].class);
            }
            if (NATIVE.contains(ts) && !ts.equals("1.2.840.10008.1.2.2")) {
                // Same values, pixel data included (big endian differs in its byte order only: not compared)
                assertThat(DimseInteropTest.differences(ds, back.dataset())).as(name).isEmpty();
            } else {
                List<String> diffs = DimseInteropTest.differences(without(ds, Tag.PixelData),
                        without(back.dataset(), Tag.PixelData));
                // storescu rewrites what decompression changes (e.g. Photometric Interpretation of YBR JPEG)
                diffs.removeIf(d -> d.startsWith("(0028,") || d.startsWith("(0008,2111)")
                        || d.startsWith("(0028,2110)"));
                assertThat(diffs).as(name).isEmpty();
            }
            record(name, ts, NATIVE.contains(ts) ? "converted by storescu, stored as Explicit VR LE"
                    : "decoded by storescu, stored as Explicit VR LE");
        } else {
            // Not sent: this storescu (dcmtk 3.6.7 as Debian builds it) registers no decoders, so it cannot turn a
            // compressed file into the only syntax accepted; it says so, fails that file, releases the association,
            // and nothing reaches the archive (unless another encoding of the instance was sent before).
            assertThat(NATIVE).doesNotContain(ts);
            assertThat(r.output()).as(name + ":\n" + r.output()).contains("unable to convert dataset")
                    .contains("Store Failed").doesNotContain("Received Store Response");
            if (!SENT.contains(sop)) {
                assertThat(retrieve(study, series, sop)).as(name + " was not sent but is stored").isNull();
            }
            record(name, ts, "not sent: storescu cannot convert it (exit " + r.exitCode() + ")");
        }
    }

    private static void record(String name, String ts, String outcome) {
        synchronized (OUTCOMES) {
            OUTCOMES.put(name, ts + " -> " + outcome);
        }
    }

    private static Attributes without(Attributes a, int tag) {
        return a.toBuilder().remove(tag).build();
    }

    /**
     * 8 storescu processes in parallel, each with its own association, store a 160-image generated CT study
     * (256x256 16-bit) between them: every C-STORE succeeds and every instance is then found by QIDO-RS. The same
     * number of images over one association, for comparison. Both instances/s figures are printed.
     */
    @Test
    void eightConcurrentStorescuAssociationsLoadACtSet() throws Exception {
        int n = 160;
        int associations = 8;
        String study = "2.25.4041" + System.nanoTime();
        List<Path> files = generate(study, n);
        List<List<Path>> shares = new ArrayList<>();
        for (int k = 0; k < associations; k++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            shares.get(i % associations).add(files.get(i));
        }
        long t0 = System.nanoTime();
        List<CompletableFuture<Dcmtk.Result>> runs = shares.stream().map(share -> CompletableFuture.supplyAsync(() -> {
            try {
                return Dcmtk.storescu(port, List.<String[]>of(new String[]{CT_IMAGE_STORAGE, EXPLICIT_LE}), share,
                        dir);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable).start())).toList();
        for (int k = 0; k < associations; k++) {
            Dcmtk.Result r = runs.get(k).get();
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output().split("Received Store Response \\(Success\\)", -1))
                    .as(r.output()).hasSize(shares.get(k).size() + 1);
        }
        double parallel = n / ((System.nanoTime() - t0) / 1e9);
        assertThat(qidoInstances(study)).hasSize(n);

        String single = "2.25.4042" + System.nanoTime();
        List<Path> one = generate(single, n);
        long t1 = System.nanoTime();
        Dcmtk.Result r = Dcmtk.storescu(port, List.<String[]>of(new String[]{CT_IMAGE_STORAGE, EXPLICIT_LE}), one, dir);
        double serial = n / ((System.nanoTime() - t1) / 1e9);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(qidoInstances(single)).hasSize(n);
        System.out.printf("BENCH C-STORE %d CT 256x256 (128 KiB): %d storescu associations in parallel %.1f "
                + "instances/s; one association %.1f instances/s%n", n, associations, parallel, serial);
    }

    private static List<Path> generate(String study, int n) throws IOException {
        Path gen = Files.createDirectories(dir.resolve("ct-" + study));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = gen.resolve(i + ".dcm");
            try (OutputStream out = Files.newOutputStream(f)) {
                DicomWriter.writeFile(out, ctImage(study, study + ".1", study + ".1." + (i + 1), i),
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
            }
            files.add(f);
        }
        return files;
    }

    static Attributes ctImage(String study, String series, String sop, int seed) {
        byte[] pixels = new byte[256 * 256 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            int v = ((i / 2) * 7 + seed) & 0x0FFF;
            pixels[i] = (byte) v;
            pixels[i + 1] = (byte) (v >> 8);
        }
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, CT_IMAGE_STORAGE)
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.Modality, Vr.CS, "CT")
                .setString(Tag.PatientName, Vr.PN, "LOAD^DIMSE")
                .setString(Tag.PatientID, Vr.LO, "LOAD1")
                .setString(Tag.StudyInstanceUID, Vr.UI, study)
                .setString(Tag.SeriesInstanceUID, Vr.UI, series)
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setString(0x00280004, Vr.CS, "MONOCHROME2")
                .setInts(Tag.Rows, Vr.US, 256)
                .setInts(Tag.Columns, Vr.US, 256)
                .setInts(Tag.BitsAllocated, Vr.US, 16)
                .setInts(0x00280101, Vr.US, 12)
                .setInts(0x00280102, Vr.US, 11)
                .setInts(Tag.PixelRepresentation, Vr.US, 0)
                .set(Tag.PixelData, Vr.OW, pixels)
                .build();
    }

    private static final Pattern SOP_UID = Pattern.compile(
            "\"00080018\"\\s*:\\s*\\{\\s*\"vr\"\\s*:\\s*\"UI\"\\s*,\\s*\"Value\"\\s*:\\s*\\[\\s*\"([0-9.]+)\"");

    /** SOP Instance UIDs QIDO-RS finds in the study. */
    private static Set<String> qidoInstances(String study) throws Exception {
        URI uri = server.baseUri().resolve("dicomweb/studies/" + study + "/instances?limit=1000");
        HttpResponse<String> rsp = http.send(HttpRequest.newBuilder(uri).header("Accept", "application/dicom+json")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rsp.statusCode()).as(rsp.body()).isEqualTo(200);
        Set<String> out = new java.util.HashSet<>();
        Matcher m = SOP_UID.matcher(rsp.body());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** WADO-RS as stored, or null when the instance is not there (404). */
    private static DicomFile retrieve(String study, String series, String sop) throws Exception {
        URI uri = server.baseUri().resolve("dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop);
        HttpResponse<byte[]> rsp = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (rsp.statusCode() == 404) {
            return null;
        }
        assertThat(rsp.statusCode()).as(uri.toString()).isEqualTo(200);
        String ct = rsp.headers().firstValue("Content-Type").orElseThrow();
        MultipartReader parts = new MultipartReader(new ByteArrayInputStream(rsp.body()),
                MultipartReader.boundary(MediaRange.parse(ct).orElseThrow()));
        try (InputStream part = parts.next().orElseThrow().body()) {
            return DicomReader.read(part, uri.toString(), ReadOptions.EVERYTHING);
        }
    }
}
