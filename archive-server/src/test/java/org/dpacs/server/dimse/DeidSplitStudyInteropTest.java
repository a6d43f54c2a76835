package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.DpacsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: two halves of one study, one sent over C-STORE (dcmtk's storescu) and one over STOW-RS, land in one
 * pseudonymised study of one pseudonymous patient when de-identification (basic profile, fixed secret) is on;
 * a calling AE title with a profile of its own ({@code dpacs.deid.sources=ae:TRUSTED=off}) is stored as sent.
 */
class DeidSplitStudyInteropTest {
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String PATIENT_ID = "SPLIT-PID-4711";
    private static final String STUDY = "1.2.826.0.1.3680043.9.7777.1";

    @TempDir
    static Path dir;
    private static DpacsServer server;
    private static int port;
    private static HttpClient http;

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
        props.setProperty("dpacs.deid.profile", "basic");
        props.setProperty("dpacs.deid.secret", "split-study-secret-0123456789abcdef");
        props.setProperty("dpacs.deid.sources", "ae:TRUSTED=off");
        server = DpacsServer.start(Config.load(props, Map.of()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void halvesSentOverCStoreAndStowRsLandInOnePseudonymisedStudy() throws Exception {
        // One patient, one study, two series of 6 CT images; each series split: odd images by C-STORE, even by STOW.
        List<Path> dimse = new ArrayList<>();
        List<byte[]> stow = new ArrayList<>();
        Path gen = Files.createDirectories(dir.resolve("gen"));
        int n = 0;
        for (int s = 1; s <= 2; s++) {
            String series = STUDY + "." + s;
            for (int i = 1; i <= 6; i++, n++) {
                var ds = StoreScuNegotiationInteropTest.ctImage(STUDY, series, series + "." + i, n).toBuilder()
                        .setString(org.dpacs.dicom.data.Tag.PatientID, org.dpacs.dicom.data.Vr.LO, PATIENT_ID)
                        .setString(org.dpacs.dicom.data.Tag.PatientName, org.dpacs.dicom.data.Vr.PN, "Split^Study")
                        .build();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DicomWriter.writeFile(bytes, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
                if (i % 2 == 1) {
                    Path f = gen.resolve(s + "-" + i + ".dcm");
                    Files.write(f, bytes.toByteArray());
                    dimse.add(f);
                } else {
                    stow.add(bytes.toByteArray());
                }
            }
        }

        Dcmtk.Result r = Dcmtk.storescu(port, List.<String[]>of(new String[]{CT_IMAGE_STORAGE,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()}), dimse, dir);
        assertThat(r.exitCode()).as(r.output()).isZero();
        // Stored de-identified: B000 Coercion of Data Elements, as docs/deidentification.md says
        assertThat(r.output().split("Received Store Response \\(Warning: CoercionOfDataElements\\)", -1))
                .as(r.output()).hasSize(7);

        String boundary = "split-study-boundary-1234";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : stow) {
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(part);
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri("dicomweb/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        // 202: every instance stored with warning B000 (coerced by de-identification)
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        // The STOW-RS half names its pseudonymous study; the patient has that one study, holding all 12 instances.
        Matcher named = Pattern.compile("/studies/(2\\.25\\.[0-9]+)/").matcher(posted.body());
        assertThat(named.find()).as(posted.body()).isTrue();
        String pseudoStudy = named.group(1);
        HttpResponse<String> studies = qido("dicomweb/studies?StudyInstanceUID=" + pseudoStudy
                + "&includefield=00100020&includefield=00100010");
        assertThat(studies.statusCode()).as(studies.body()).isEqualTo(200);
        assertThat(values(studies.body(), "0020000D")).containsExactly(pseudoStudy);
        List<String> patientIds = values(studies.body(), "00100020");
        assertThat(patientIds).hasSize(1);
        assertThat(patientIds.get(0)).isNotEqualTo(PATIENT_ID).startsWith("DPACS-");
        assertThat(studies.body()).doesNotContain(PATIENT_ID).doesNotContain("Split");

        HttpResponse<String> instances = qido("dicomweb/studies/" + pseudoStudy + "/instances?limit=1000");
        assertThat(instances.statusCode()).as(instances.body()).isEqualTo(200);
        assertThat(new LinkedHashSet<>(values(instances.body(), "00080018"))).hasSize(12);
        HttpResponse<String> series = qido("dicomweb/studies/" + pseudoStudy + "/series");
        assertThat(new LinkedHashSet<>(values(series.body(), "0020000E"))).hasSize(2)
                .noneMatch(uid -> uid.startsWith(STUDY));

        // The pseudonymous patient finds the study; the original identity finds nothing.
        HttpResponse<String> byPseudonym = qido("dicomweb/studies?PatientID=" + patientIds.get(0));
        assertThat(values(byPseudonym.body(), "0020000D")).containsExactly(pseudoStudy);
        assertThat(qido("dicomweb/studies?PatientID=" + PATIENT_ID).statusCode()).isEqualTo(204);
        assertThat(qido("dicomweb/studies?StudyInstanceUID=" + STUDY).statusCode()).isEqualTo(204);
    }

    @Test
    void aCallingAeTitleWithItsOwnProfileIsStoredAsSent() throws Exception {
        String study = "1.2.826.0.1.3680043.9.7777.2";
        Path gen = Files.createDirectories(dir.resolve("trusted"));
        Path f = gen.resolve("1.dcm");
        var ds = StoreScuNegotiationInteropTest.ctImage(study, study + ".1", study + ".1.1", 0).toBuilder()
                .setString(org.dpacs.dicom.data.Tag.PatientID, org.dpacs.dicom.data.Vr.LO, "TRUSTED-PID-1")
                .setString(org.dpacs.dicom.data.Tag.PatientName, org.dpacs.dicom.data.Vr.PN, "Trusted^Sender")
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomWriter.writeFile(bytes, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        Files.write(f, bytes.toByteArray());
        List<String[]> ct = List.<String[]>of(new String[]{CT_IMAGE_STORAGE,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()});

        Dcmtk.Result r = Dcmtk.storescu("TRUSTED", port, ct, List.of(f), dir);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).as("stored as sent: plain success").contains("Received Store Response (Success)");
        HttpResponse<String> found = qido("dicomweb/studies?StudyInstanceUID=" + study + "&includefield=00100020");
        assertThat(values(found.body(), "00100020")).as(found.body()).containsExactly("TRUSTED-PID-1");

        // The same file from another AE title goes through the server default (basic profile).
        Dcmtk.Result other = Dcmtk.storescu("UNTRUSTED", port, ct, List.of(f), dir);
        assertThat(other.output()).as(other.output()).contains("Warning: CoercionOfDataElements");
        assertThat(values(qido("dicomweb/studies?PatientID=TRUSTED-PID-1").body(), "0020000D"))
                .containsExactly(study);
    }

    private static URI uri(String path) {
        return server.baseUri().resolve(path);
    }

    private static HttpResponse<String> qido(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/dicom+json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** First value of each occurrence of a tag in a DICOM JSON response. */
    private static List<String> values(String json, String tag) {
        Matcher m = Pattern.compile("\"" + tag + "\"\\s*:\\s*\\{\\s*\"vr\"\\s*:\\s*\"[A-Z]{2}\"\\s*,\\s*\"Value\""
                + "\\s*:\\s*\\[\\s*\"([^\"]*)\"").matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
