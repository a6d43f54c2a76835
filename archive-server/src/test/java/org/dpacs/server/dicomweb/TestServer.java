package org.dpacs.server.dicomweb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.server.error.HttpErrorMapper;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** Jersey on Grizzly on 127.0.0.1 and a free port, with the given resource instances and the error mapper. */
final class TestServer implements AutoCloseable {
    // HTTP/1.1: the JDK client otherwise asks Grizzly for an h2c upgrade, and Grizzly then drops Content-Type.
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpServer server;
    private final String root;

    /** A part of a multipart response, read whole (test bodies are small). */
    record ReadPart(Map<String, String> headers, byte[] body) {
        String contentType() {
            return headers.get("content-type");
        }

        String contentLocation() {
            return headers.get("content-location");
        }
    }

    private TestServer(Object... resources) {
        ResourceConfig config = new ResourceConfig();
        for (Object r : resources) {
            config.register(r);
        }
        config.register(new HttpErrorMapper());
        config.register(new MediaTypeHeaderFilter());
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config);
        root = "http://127.0.0.1:" + server.getListener("grizzly").getPort();
    }

    static TestServer start(Object... resources) {
        return new TestServer(resources);
    }

    /** The DICOMweb root as clients see it. */
    String dicomweb() {
        return root + BaseUrl.ROOT;
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(dicomweb() + path)).GET(), headers);
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(dicomweb() + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                headers);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b, String... headers)
            throws IOException, InterruptedException {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The parts of a multipart/related response, in order. */
    static List<ReadPart> parts(HttpResponse<byte[]> response) throws IOException {
        MediaRange type = MediaRange.parse(response.headers().firstValue("Content-Type").orElseThrow()).orElseThrow();
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(response.body()),
                MultipartReader.boundary(type));
        List<ReadPart> parts = new ArrayList<>();
        for (Optional<MultipartReader.Part> p = reader.next(); p.isPresent(); p = reader.next()) {
            parts.add(new ReadPart(p.get().headers(), p.get().body().readAllBytes()));
        }
        return parts;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
