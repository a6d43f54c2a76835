package org.dpacs.conformance;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.DpacsServer;
import org.dpacs.server.storage.S3MockProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The DICOMweb service under test, one per test class (register as a static {@code @RegisterExtension} field).
 *
 * <p>By default it starts an archive server in this JVM on 127.0.0.1 with free ports and a fresh data directory, and
 * stops it and deletes the directory after the class. With {@code -Ddpacs.url=http://host:port/dicomweb} it tests that
 * deployment instead and starts nothing (STYLE.md rule 12); tests then only look at the studies they stored.
 */
final class DicomWebTarget implements BeforeAllCallback, AfterAllCallback {

    static final String URL_PROPERTY = "dpacs.url";
    /** {@code -Ddpacs.conformance.storage=s3}: the server under test keeps its objects in S3 (S3Mock). */
    static final String STORAGE_PROPERTY = "dpacs.conformance.storage";


    /** Sent as-is: no charset appended to our Content-Types, no retries hiding a dropped connection. */
    private static final RestAssuredConfig CONFIG = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", 10_000)
                    .setParam("http.socket.timeout", 60_000));

    private final String deidProfile;
    private final Map<String, String> settings = new java.util.LinkedHashMap<>();
    private final Map<String, String[]> users = new java.util.LinkedHashMap<>();
    private DpacsServer server;
    private S3MockProcess s3;
    private Path dataDir;
    private String root;

    /** A server that stores instances as they are sent ({@code dpacs.deid.profile=off}). */
    DicomWebTarget() {
        this("off");
    }

    /** A server with the given de-identification profile, e.g. {@code basic} (the product default). */
    DicomWebTarget(String deidProfile) {
        this.deidProfile = deidProfile;
    }

    /** The server of this target also gets {@code key=value} (e.g. dpacs.deid.burned.in=quarantine). */
    DicomWebTarget with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The server of this target knows user {@code name} with {@code role} (user or admin) and {@code password}. */
    DicomWebTarget withUser(String name, String role, String password) {
        users.put(name, new String[]{role, password});
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String url = System.getProperty(URL_PROPERTY, "").strip();
        if (!url.isEmpty()) {
            root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return;
        }
        dataDir = Corpus.tempDirectory("dpacs-conformance-data");
        Properties props = new Properties();
        props.setProperty("dpacs.http.host", "127.0.0.1");
        props.setProperty("dpacs.http.port", "0");
        props.setProperty("dpacs.dimse.port", "0");
        props.setProperty("dpacs.data.dir", dataDir.toString());
        // The suite compares what comes back with the sample files: it stores them as they are. The
        // de-identification profile (the server default) is tested on its own (DeidentificationIT).
        props.setProperty("dpacs.deid.profile", deidProfile);
        if ("s3".equals(System.getProperty(STORAGE_PROPERTY))) {
            // Objects in S3: a real S3 protocol server of this class's own, the catalog and index stay local.
            s3 = S3MockProcess.start("dpacs");
            props.setProperty("dpacs.storage", "s3");
            props.setProperty("dpacs.s3.bucket", "dpacs");
            props.setProperty("dpacs.s3.endpoint", s3.endpoint().toString());
            props.setProperty("dpacs.s3.path.style", "true");
            props.setProperty("dpacs.s3.prefix", "conformance/");
            props.setProperty("dpacs.s3.access.key", "test");
            props.setProperty("dpacs.s3.secret.key", "test");
        }
        settings.forEach(props::setProperty);
        for (Map.Entry<String, String[]> u : users.entrySet()) {
            org.dpacs.server.access.UserStore.put(dataDir.resolve("access").resolve("users"), u.getKey(),
                    org.dpacs.server.access.Role.byConfigName(u.getValue()[0]).orElseThrow(),
                    u.getValue()[1].toCharArray());
        }
        // Map.of(): the developer's DPACS_* environment must not leak into the server under test.
        server = DpacsServer.start(Config.load(props, Map.of()));
        URI base = URI.create(String.valueOf(server.baseUri()));
        root = base.resolve("dicomweb").toString();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            if (s3 != null) {
                s3.close();
                s3 = null;
            }
            if (dataDir != null) {
                Corpus.deleteRecursively(dataDir);
            }
        }
    }

    /** Whether the target is a deployment shared with other data (-Ddpacs.url), not a fresh server of our own. */
    boolean isShared() {
        return server == null;
    }

    /** The DICOMweb root, e.g. http://127.0.0.1:40123/dicomweb, without a trailing slash. */
    String root() {
        return root;
    }

    /** An absolute URL under the root: {@code url("studies")}. */
    String url(String relative) {
        return root + "/" + relative;
    }

    /** The server's base URL (for the /api extensions), e.g. http://127.0.0.1:40123/, with a trailing slash. */
    String base() {
        return root.substring(0, root.length() - "dicomweb".length());
    }

    /** A REST Assured request with the suite's settings; give it an absolute URL from {@link #url}. */
    RequestSpecification request() {
        return RestAssured.given().config(CONFIG).urlEncodingEnabled(true);
    }
}
