package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationRejectedException;
import org.dpacs.dicom.net.assoc.AssociationRequestor;
import org.dpacs.dicom.net.assoc.TransferCapabilities;
import org.dpacs.dicom.net.dimse.Command;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.dicom.net.dimse.StoreScu;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.AAssociateAc;
import org.dpacs.dicom.net.pdu.AAssociateRj;
import org.dpacs.dicom.net.pdu.AAssociateRq;
import org.dpacs.dicom.net.pdu.Pdu;
import org.dpacs.dicom.net.pdu.PduReader;
import org.dpacs.dicom.net.pdu.PduWriter;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.dicom.net.pdu.UserInformation;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.DpacsServer;
import org.dpacs.server.dicomweb.MediaRange;
import org.dpacs.server.dicomweb.MultipartReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * dcmtk's echoscu and storescu against the whole server (DpacsServer on free ports): every valid pydicom sample
 * file is stored over DIMSE in its own transfer syntax and must come back through WADO-RS with the same attributes
 * and pixel data; broken peers lose their association while others are served.
 */
class DimseInteropTest {
    static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /** SOP Instance UIDs sent so far: several samples are one instance in different encodings. */
    private static final Set<String> SENT = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path dir;
    private static DpacsServer server;
    private static int port;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Dcmtk.available(), "dcmtk (echoscu, storescu) is not installed");
        // A port picked here rather than 0, so the test needs nothing of DpacsServer but the configuration.
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Properties props = new Properties();
        props.setProperty("dpacs.http.port", "0");
        props.setProperty("dpacs.dimse.port", String.valueOf(port));
        props.setProperty("dpacs.data.dir", dir.resolve("data").toString());
        // Several samples are one instance in several encodings: each send replaces the last, then is compared.
        props.setProperty("dpacs.store.overwrite", "true");
        props.setProperty("dpacs.dimse.artim.timeout.seconds", "2");
        props.setProperty("dpacs.dimse.idle.timeout.seconds", "10");
        // Compared with the originals by their UIDs: de-identification (on by default once it lands) stays off.
        props.setProperty("dpacs.deid.profile", "off");
        server = DpacsServer.start(Config.load(props, Map.of()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(probe.isConnected()).isTrue();
        } catch (java.net.ConnectException e) {
            assumeTrue(false, "DpacsServer does not start the DIMSE service in this tree (DimseServer not wired)");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void echoscuGetsSuccess() throws Exception {
        Dcmtk.Result r = Dcmtk.echoscu("DPACS", port);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("Received Echo Response (Success)");
    }

    @Test
    void wrongCalledAeTitleIsRejected() throws Exception {
        Dcmtk.Result r = Dcmtk.echoscu("NOT_DPACS", port);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).containsIgnoringCase("Called AE Title Not Recognized");
        try {
            AssociationRequestor.open(address(), "SCU", "NOT_DPACS", verification(),
                    AssociationRequestor.Options.DEFAULT).close();
            throw new AssertionError("associated with a wrong called AE title");
        } catch (AssociationRejectedException e) {
            assertThat(e.rejection()).isEqualTo(AAssociateRj.calledAeTitleNotRecognized());
        }
    }

    /** Each valid sample, proposed only in its own transfer syntax, is stored and retrieved unchanged. */
    @TestFactory
    Stream<DynamicTest> storescuStoresEverySampleInItsOwnTransferSyntax() throws IOException {
        assumeTrue(Files.isDirectory(SAMPLES), "pydicom sample files not installed");
        List<Path> files;
        try (Stream<Path> s = Files.list(SAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().filter(DimseInteropTest::isValid).toList();
        }
        assertThat(files).hasSizeGreaterThan(40);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> storeAndCompare(f)));
    }

    private void storeAndCompare(Path file) throws Exception {
        DicomFile original = DicomReader.readFile(file, ReadOptions.EVERYTHING);
        String ts = original.fileMetaInformation().string(Tag.TransferSyntaxUID).orElseThrow();
        String sopClass = original.fileMetaInformation().string(Tag.MediaStorageSOPClassUID).orElseThrow();
        Dcmtk.Result r = Dcmtk.storescu(port, List.<String[]>of(new String[]{sopClass, ts}),
                List.of(file), dir);
        // Files dcmtk itself cannot parse never reach the wire; that is the sender's limit, not ours.
        Assumptions.assumeFalse(r.output().contains("Bad DICOM file")
                        || r.output().contains("No SOP Class or Instance"),
                "storescu cannot read " + file.getFileName() + ": " + r.output());
        Attributes ds = original.dataset();
        // A second encoding of an instance already sent replaces it: stored with warning B000 (dpacs.store.overwrite).
        String expected = SENT.add(ds.string(Tag.SOPInstanceUID).orElseThrow())
                ? "Received Store Response (Success)" : "Received Store Response (";
        assertThat(r.output()).as(r.output()).contains(expected).doesNotContain("Error");
        assertThat(r.exitCode()).as(r.output()).isZero();

        Attributes back = retrieve(ds.string(Tag.StudyInstanceUID).orElseThrow(),
                ds.string(Tag.SeriesInstanceUID).orElseThrow(), ds.string(Tag.SOPInstanceUID).orElseThrow());
        assertThat(differences(ds, back)).as(file.getFileName().toString()).isEmpty();
        if (SENT_ONCE.add(ds.string(Tag.SOPInstanceUID).orElseThrow())) {
            Path copy = Files.createTempFile("dpacs-dimse-back-", ".dcm");
            Files.write(copy, LAST_RETRIEVED.get());
            PYDICOM_PAIRS.put(copy, file);
        }
    }

    private static final java.util.Set<String> SENT_ONCE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The same round trips read by pydicom, an independent reader: what storescu sent is what WADO-RS returns. */
    @org.junit.jupiter.api.AfterAll
    static void pydicomAgrees() throws Exception {
        if (PYDICOM_PAIRS.isEmpty() || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return;
        }
        try {
            Path script = Files.createTempFile("pydicom_compare", ".py");
            try (InputStream in = DimseInteropTest.class.getResourceAsStream("pydicom_compare.py")) {
                Files.write(script, in.readAllBytes());
            }
            StringBuilder pairs = new StringBuilder("[");
            for (var e : PYDICOM_PAIRS.entrySet()) {
                pairs.append(pairs.length() > 1 ? "," : "").append("[\"").append(e.getValue()).append("\",\"")
                        .append(e.getKey()).append("\"]");
            }
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(pairs.append("]").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(err).isZero();
            List<String> problems = new ArrayList<>();
            List<String> lines = out.lines().toList();
            for (String line : lines) {
                String[] cols = line.split("\t", -1);
                if (!cols[1].isBlank()) {
                    problems.add(PYDICOM_PAIRS.get(Path.of(cols[0])).getFileName() + ": " + cols[1]);
                }
            }
            assertThat(lines).hasSize(PYDICOM_PAIRS.size());
            assertThat(problems).as("pydicom reading the originals and what WADO-RS returned").isEmpty();
        } finally {
            for (Path copy : PYDICOM_PAIRS.keySet()) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /**
     * The toolkit's own SCU sends each valid sample as its file holds it (no re-encoding on the way, unlike
     * storescu), the three dcmtk cannot parse included.
     */
    @TestFactory
    Stream<DynamicTest> toolkitStoreScuStoresEverySampleAsItIs() throws IOException {
        assumeTrue(Files.isDirectory(SAMPLES), "pydicom sample files not installed");
        List<Path> files;
        try (Stream<Path> s = Files.list(SAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().filter(DimseInteropTest::isValid).toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            StoreScu.FileInfo info;
            try {
                info = StoreScu.describe(f);
            } catch (DicomParseException e) {
                Assumptions.abort("not sendable as it is: " + e.getMessage());
                return;
            }
            try (Association a = AssociationRequestor.open(address(), "TOOLKIT", "DPACS",
                    StoreScu.contextsFor(List.of(f)), AssociationRequestor.Options.DEFAULT)) {
                Command rsp = new StoreScu(a).store(f);
                if (SENT.add(info.sopInstanceUid())) {
                    assertThat(rsp.status()).as(rsp.errorComment().orElse("")).isEqualTo(DimseStatus.SUCCESS);
                } else { // B000 when it replaced another encoding of the instance (overwrite), else 0000
                    assertThat(rsp.status()).as(rsp.errorComment().orElse(""))
                            .isIn(DimseStatus.SUCCESS, DimseStatus.WARNING_COERCION);
                }
                a.release();
            }
            Attributes ds = DicomReader.readFile(f, ReadOptions.EVERYTHING).dataset();
            Attributes back = retrieve(ds.string(Tag.StudyInstanceUID).orElseThrow(),
                    ds.string(Tag.SeriesInstanceUID).orElseThrow(), info.sopInstanceUid());
            assertThat(differences(ds, back)).as(f.getFileName().toString()).isEmpty();
        }));
    }

    /** Part 10 with File Meta Information, readable, with the four UIDs the archive requires. */
    static boolean isValid(Path file) {
        try {
            DicomFile f = DicomReader.readFile(file, ReadOptions.DEFAULT);
            if (f.fileMetaInformation().string(Tag.TransferSyntaxUID).isEmpty()
                    || f.fileMetaInformation().string(Tag.MediaStorageSOPClassUID).isEmpty()) {
                return false;
            }
            int[] uids = {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID};
            for (int tag : uids) {
                Optional<String> v = f.dataset().string(tag);
                if (v.isEmpty() || v.get().length() > 64 || !UID.matcher(v.get()).matches()) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** WADO-RS instance retrieval as stored (transfer-syntax=*), read back with the toolkit. */
    private static Attributes retrieve(String study, String series, String sop) throws Exception {
        URI uri = server.baseUri().resolve("dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop);
        HttpResponse<byte[]> rsp = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(rsp.statusCode()).as(uri.toString()).isEqualTo(200);
        String ct = rsp.headers().firstValue("Content-Type").orElseThrow(() -> new AssertionError(rsp.headers()
                + " " + new String(rsp.body(), 0, Math.min(200, rsp.body().length))));
        MultipartReader parts = new MultipartReader(new ByteArrayInputStream(rsp.body()),
                MultipartReader.boundary(MediaRange.parse(ct).orElseThrow()));
        byte[] body;
        try (InputStream part = parts.next().orElseThrow().body()) {
            body = part.readAllBytes();
        }
        LAST_RETRIEVED.set(body);
        return DicomReader.read(new ByteArrayInputStream(body), uri.toString(), ReadOptions.EVERYTHING).dataset();
    }

    /** The last retrieved object's bytes, for the pydicom cross-check. */
    private static final ThreadLocal<byte[]> LAST_RETRIEVED = new ThreadLocal<>();
    /** Original file and retrieved copy of every storescu round trip, checked by pydicom at the end. */
    private static final java.util.Map<Path, Path> PYDICOM_PAIRS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Top-level tags whose values differ. What storescu changes on the way is not a difference (dcmtk's storescp
     * receives the same): group lengths (retired, PS3.5 7.2; never stored by us either) and Data Set Trailing
     * Padding (no meaning, PS3.10 7.2) are dropped, odd-length values are padded to even length (PS3.5 7.1.1),
     * trailing spaces of text values are trimmed (not significant, PS3.5 6.2), and encapsulated pixel data is
     * sent as OB, as PS3.5 A.4 says, where a file had OW.
     */
    static List<String> differences(Attributes expected, Attributes actual) {
        Attributes e = normalized(expected);
        Attributes a = normalized(actual);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            int tag = e.tagAt(i);
            int j = a.indexOf(tag);
            if (j < 0) {
                out.add(Tag.toString(tag) + " missing");
            } else if (!same(e.valueAt(i), a.valueAt(j))) {
                out.add(Tag.toString(tag) + " differs: " + show(e.valueAt(i)) + " became " + show(a.valueAt(j)));
            }
        }
        for (int j = 0; j < a.size(); j++) {
            if (!e.contains(a.tagAt(j))) {
                out.add(Tag.toString(a.tagAt(j)) + " added");
            }
        }
        return out;
    }

    private static String show(Object v) {
        if (v instanceof byte[] b) {
            return b.length <= 64 ? "'" + new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) + "'"
                    : b.length + " bytes";
        }
        if (v instanceof Fragments f) {
            return f.items().size() + " fragments of " + f.items().stream().map(Fragment::length).toList();
        }
        return String.valueOf(v);
    }

    private static boolean same(Object x, Object y) {
        if (x instanceof byte[] b && y instanceof byte[] c) {
            return Arrays.equals(b, c);
        }
        if (x instanceof Fragments f && y instanceof Fragments g) {
            return f.items().equals(g.items());
        }
        return x.equals(y);
    }

    private static Attributes normalized(Attributes a) {
        Attributes.Builder b = a.toBuilder();
        for (int i = 0; i < a.size(); i++) {
            int tag = a.tagAt(i);
            if (Tag.isGroupLength(tag) || tag == Tag.DataSetTrailingPadding) {
                b.remove(tag);
            } else if (a.valueAt(i) instanceof byte[] v && a.vrAt(i).isText()) {
                int n = v.length;
                while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == 0)) {
                    n--;
                }
                b.set(tag, a.vrAt(i), Arrays.copyOf(v, n));
            } else if (a.valueAt(i) instanceof byte[] v && v.length % 2 == 1) {
                b.set(tag, a.vrAt(i), Arrays.copyOf(v, v.length + 1)); // binary values pad with a zero byte
            }
        }
        return b.build();
    }

    /**
     * Garbage, a truncated PDU, a PDU with a huge length, one on an established association, and a client that
     * says nothing each lose their connection (A-ABORT or close after ARTIM) while echoscu is served meanwhile.
     */
    @Test
    void brokenPeersEndTheirAssociationWhileOthersAreServed() throws Exception {
        byte[] rq = PduWriter.encode(new AAssociateRq(1, "DPACS", "BROKEN", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                verification(), UserInformation.of(16384, "1.2.3", "")));
        List<Socket> peers = new ArrayList<>();
        try {
            Socket garbage = connect();
            garbage.getOutputStream().write("\u0000\u00ff garbage that is not a PDU at all".getBytes());
            Socket truncated = connect();
            truncated.getOutputStream().write(Arrays.copyOf(rq, rq.length / 2)); // and then nothing more
            Socket huge = connect();
            huge.getOutputStream().write(new byte[]{1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            Socket silent = connect();
            Socket established = connect();
            established.getOutputStream().write(rq);
            Pdu ac = new PduReader(established.getInputStream(), 1 << 20).read().orElseThrow();
            assertThat(ac).isInstanceOf(AAssociateAc.class);
            established.getOutputStream().write(new byte[]{4, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            peers.addAll(List.of(garbage, truncated, huge, silent, established));

            CompletableFuture<Dcmtk.Result> echo = CompletableFuture.supplyAsync(() -> {
                try {
                    return Dcmtk.echoscu("DPACS", port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(endOf(garbage)).contains(AAbort.provider(AAbort.UNRECOGNIZED_PDU));
            assertThat(endOf(huge)).contains(AAbort.provider(AAbort.INVALID_PDU_PARAMETER_VALUE));
            assertThat(endOf(established)).contains(AAbort.provider(AAbort.INVALID_PDU_PARAMETER_VALUE));
            assertThat(endOf(truncated)).isEmpty(); // ARTIM: closed without a word, as PS3.8 AA-2 says
            assertThat(endOf(silent)).isEmpty();
            Dcmtk.Result r = echo.get();
            assertThat(r.exitCode()).as(r.output()).isZero();
        } finally {
            for (Socket s : peers) {
                s.close();
            }
        }
    }

    /**
     * {@code -Ddpacs.bench=true}: storescu sends 200 generated 512x512 16-bit CT images (512 KiB each) over one
     * association, then the toolkit's SCU does the same; prints instances/s. Measured, never asserted.
     */
    @Test
    @EnabledIfSystemProperty(named = "dpacs.bench", matches = "true")
    void throughputOverOneAssociation() throws Exception {
        int n = 200;
        List<Path> files = new ArrayList<>();
        Path gen = Files.createDirectories(dir.resolve("bench"));
        for (String run : List.of("storescu", "toolkit")) {
            files.clear();
            String study = "2.25.1" + Math.abs(run.hashCode());
            for (int i = 0; i < n; i++) {
                Path f = gen.resolve(run + i + ".dcm");
                files.add(f);
                try (OutputStream out = Files.newOutputStream(f)) {
                    DicomWriter.writeFile(out, ctImage(study, study + ".1", study + ".1." + (i + 1), i),
                            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
                }
            }
            long t0 = System.nanoTime();
            if (run.equals("storescu")) {
                Dcmtk.Result r = Dcmtk.storescu(port, List.<String[]>of(new String[]{CT_IMAGE_STORAGE,
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()}), files, dir);
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(r.output().split("Received Store Response \\(Success\\)", -1)).hasSize(n + 1);
            } else {
                try (Association a = AssociationRequestor.open(address(), "TOOLKIT", "DPACS",
                        StoreScu.contextsFor(files.subList(0, 1)), AssociationRequestor.Options.DEFAULT)) {
                    StoreScu scu = new StoreScu(a);
                    for (Path f : files) {
                        assertThat(scu.store(f).status()).isEqualTo(DimseStatus.SUCCESS);
                    }
                    a.release();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("BENCH %s: %d instances of 512 KiB over one association in %.2f s: %.1f instances/s, "
                    + "%.1f MB/s%n", run, n, seconds, n / seconds, n * 524288 / seconds / 1e6);
        }
    }

    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private static Attributes ctImage(String study, String series, String sop, int seed) {
        byte[] pixels = new byte[512 * 512 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            int v = ((i / 2) * 7 + seed) & 0x0FFF;
            pixels[i] = (byte) v;
            pixels[i + 1] = (byte) (v >> 8);
        }
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, CT_IMAGE_STORAGE)
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.Modality, Vr.CS, "CT")
                .setString(Tag.PatientName, Vr.PN, "BENCH^DIMSE")
                .setString(Tag.PatientID, Vr.LO, "BENCH1")
                .setString(Tag.StudyInstanceUID, Vr.UI, study)
                .setString(Tag.SeriesInstanceUID, Vr.UI, series)
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setString(0x00280004, Vr.CS, "MONOCHROME2")
                .setInts(Tag.Rows, Vr.US, 512)
                .setInts(Tag.Columns, Vr.US, 512)
                .setInts(Tag.BitsAllocated, Vr.US, 16)
                .setInts(0x00280101, Vr.US, 12)
                .setInts(0x00280102, Vr.US, 11)
                .setInts(Tag.PixelRepresentation, Vr.US, 0)
                .set(Tag.PixelData, Vr.OW, pixels)
                .build();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(15_000); // ARTIM is 2 s here: every broken peer must be gone well before this
        return s;
    }

    /** What the server sent before closing: the A-ABORT, or nothing. Fails if the connection stays open. */
    private static Optional<Pdu> endOf(Socket s) throws IOException {
        byte[] all = s.getInputStream().readAllBytes();
        return new PduReader(new ByteArrayInputStream(all), 1 << 16).read();
    }

    private static InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static List<PresentationContextRq> verification() {
        return List.of(new PresentationContextRq(1, TransferCapabilities.VERIFICATION, List.of("1.2.840.10008.1.2")));
    }
}
