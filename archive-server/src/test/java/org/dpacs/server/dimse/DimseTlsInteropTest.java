package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.DpacsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DICOM over TLS on the second port, with dcmtk's echoscu and storescu as TLS clients. */
class DimseTlsInteropTest {
    private static final Path CT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

    @TempDir
    Path dir;

    @Test
    void echoAndStoreOverTlsAndPlainDicomIsRefusedThere() throws Exception {
        assumeTrue(Dcmtk.available() && Files.isRegularFile(CT), "dcmtk or the pydicom samples are not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.crt",
                "-days", "2", "-subj", "/CN=dpacs-test");
        openssl("pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key", "-out", "server.p12",
                "-passout", "pass:test-secret");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.crt",
                "-days", "2", "-subj", "/CN=client");
        Properties props = new Properties();
        props.setProperty("dpacs.http.port", "0");
        props.setProperty("dpacs.dimse.port", "0");
        props.setProperty("dpacs.dimse.tls.port", "0");
        props.setProperty("dpacs.dimse.tls.keystore", dir.resolve("server.p12").toString());
        props.setProperty("dpacs.dimse.tls.keystore.password", "test-secret");
        props.setProperty("dpacs.data.dir", dir.resolve("data").toString());
        props.setProperty("dpacs.deid.profile", "off");
        try (DpacsServer server = DpacsServer.start(Config.load(props, Map.of()))) {
            String port = String.valueOf(server.dimseTlsPort().orElseThrow());
            // -ic: the test's self-signed server certificate is not checked; the channel is still TLS.
            List<String> tls = List.of("+tls", dir.resolve("client.key").toString(), dir.resolve("client.crt").toString(),
                    "-ic", "-aec", "DPACS", "127.0.0.1", port);
            Dcmtk.Result echo = Dcmtk.run(concat("echoscu", tls));
            assertThat(echo.exitCode()).as(echo.output()).isZero();
            Dcmtk.Result store = Dcmtk.run(concat("storescu", tls, CT.toString()));
            assertThat(store.exitCode()).as(store.output()).isZero();
            String study = DicomReader.readFile(CT, ReadOptions.DEFAULT).dataset().string(Tag.StudyInstanceUID)
                    .orElseThrow();
            var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            var metadata = http.send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve(
                    "dicomweb/studies/" + study + "/metadata")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).as("the instance stored over TLS").isEqualTo(200);
            Dcmtk.Result plain = Dcmtk.run(List.of("echoscu", "-aec", "DPACS", "127.0.0.1", port));
            assertThat(plain.exitCode()).as("plain DICOM on the TLS port: " + plain.output()).isNotZero();
            Dcmtk.Result plainOnPlain = Dcmtk.echoscu("DPACS", server.dimsePort());
            assertThat(plainOnPlain.exitCode()).as(plainOnPlain.output()).isZero();
        }
    }

    private void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(concat("/usr/bin/openssl", List.of(args))).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static List<String> concat(String first, List<String> rest, String... more) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        all.addAll(List.of(more));
        return all;
    }
}
