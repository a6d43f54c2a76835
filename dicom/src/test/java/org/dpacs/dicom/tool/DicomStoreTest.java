package org.dpacs.dicom.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dpacs store} against dcmtk's storescp: files arrive unchanged, and errors give the documented exit codes. */
class DicomStoreTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final Path JPEG_SAMPLE =
            Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_jpeg_dcmtk.dcm");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run dpacs(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void storesFilesAndADirectoryInStorescp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescp")), "dcmtk's storescp is not installed");
        Path in = Files.createDirectories(dir.resolve("in"));
        Path received = Files.createDirectories(dir.resolve("received"));
        for (int i = 1; i <= 3; i++) {
            write(in.resolve("ct" + i + ".dcm"), ct("1.2.3.4." + i), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        Path implicit = dir.resolve("implicit.dcm");
        write(implicit, ct("1.2.3.4.9"), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        int port = freePort();
        // +xa: storescp accepts every transfer syntax it knows, so each file travels in its own
        Process scp = new ProcessBuilder("storescp", "-aet", "PEER", "+xa", "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(dir.resolve("scp.log").toFile())
                .start();
        try {
            waitForPort(port);
            List<String> args = new java.util.ArrayList<>(List.of("store", "--aet", "ME", "--aec", "PEER",
                    "127.0.0.1", String.valueOf(port), in.toString(), implicit.toString()));
            boolean jpeg = Files.isRegularFile(JPEG_SAMPLE);
            if (jpeg) {
                args.add(JPEG_SAMPLE.toString());
            }
            Run r = dpacs(args.toArray(String[]::new));
            int n = jpeg ? 5 : 4;
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains(n + " stored, 0 failed").contains(implicit + ": stored");
            List<Path> got;
            try (Stream<Path> s = Files.list(received)) {
                got = s.sorted().toList();
            }
            assertThat(got).hasSize(n);
            for (Path f : got) {
                DicomFile df = DicomReader.readFile(f, ReadOptions.EVERYTHING);
                String sop = df.dataset().string(Tag.SOPInstanceUID).orElseThrow();
                String ts = df.fileMetaInformation().string(Tag.TransferSyntaxUID).orElseThrow();
                if (sop.equals("1.2.3.4.9")) {
                    assertThat(ts).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());
                } else if (sop.startsWith("1.2.3.4.")) {
                    assertThat(ts).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
                    assertThat(df.dataset().valueAt(df.dataset().indexOf(Tag.PixelData)))
                            .isEqualTo(ct(sop).valueAt(ct(sop).indexOf(Tag.PixelData)));
                } else { // the JPEG sample, sent compressed as it is
                    assertThat(ts).isEqualTo("1.2.840.10008.1.2.4.50");
                    Attributes original = DicomReader.readFile(JPEG_SAMPLE, ReadOptions.EVERYTHING).dataset();
                    assertThat(((Fragments) df.dataset().valueAt(df.dataset().indexOf(Tag.PixelData))).items())
                            .isEqualTo(((Fragments) original.valueAt(original.indexOf(Tag.PixelData))).items());
                }
            }
        } finally {
            scp.destroy();
            scp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(dpacs("store").code()).isEqualTo(2);
        assertThat(dpacs("store", "host", "notaport", "f.dcm").code()).isEqualTo(2);
        assertThat(dpacs("store", "--aet").code()).isEqualTo(2);
        assertThat(dpacs("store", "--aec", "MUCH_TOO_LONG_AE_TITLE", "h", "1", "f").code()).isEqualTo(2);
        Run help = dpacs("store", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("usage: dpacs store");
        assertThat(dpacs("help").out()).contains("store [--aet AE]");
    }

    @Test
    void nothingListeningOrNothingSendableExitsWith1() throws Exception {
        Path f = dir.resolve("ct.dcm");
        write(f, ct("1.2.3.5"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Run r = dpacs("store", "127.0.0.1", String.valueOf(freePort()), f.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("dpacs store: ");
        Path notDicom = Files.writeString(dir.resolve("x.txt"), "not DICOM");
        Run none = dpacs("store", "127.0.0.1", "104", notDicom.toString(), dir.resolve("missing.dcm").toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("x.txt: not sent").contains("missing.dcm: no such file")
                .contains("nothing to send");
    }

    private static Attributes ct(String sop) {
        byte[] pixels = new byte[16 * 16 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + sop.hashCode());
        }
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, CT)
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.Modality, Vr.CS, "CT")
                .setString(Tag.PatientID, Vr.LO, "STORE1")
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.4")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.4.0")
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setString(0x00280004, Vr.CS, "MONOCHROME2")
                .setInts(Tag.Rows, Vr.US, 16)
                .setInts(Tag.Columns, Vr.US, 16)
                .setInts(Tag.BitsAllocated, Vr.US, 16)
                .setInts(0x00280101, Vr.US, 16)
                .setInts(0x00280102, Vr.US, 15)
                .setInts(Tag.PixelRepresentation, Vr.US, 0)
                .set(Tag.PixelData, Vr.OW, pixels)
                .build();
    }

    private static void write(Path f, Attributes ds, TransferSyntax ts) throws IOException {
        try (OutputStream out = Files.newOutputStream(f)) {
            DicomWriter.writeFile(out, ds, ts, WriteOptions.DEFAULT);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("storescp did not listen on " + port);
    }
}
