package org.dpacs.bench.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The driver's HTTP/1.1 client for one DICOMweb root. A browser viewer speaks HTTP/1.1 to a PACS over plain
 * http, so the benchmark does too. Each GET reads the whole body as it arrives and counts what came back
 * (multipart parts or JSON array entries), so a server that answers fast with too little is caught.
 */
final class Http {
    /** The stream is drained and closed by {@link #get}, not by the parser. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String root;

    /** How a response body's items are counted. */
    enum Count { JSON_ARRAY, MULTIPART_PARTS, NONE }

    /** A completed GET: status, body bytes, items counted, wall time from send to last byte. */
    record Fetched(int status, long bytes, long items, long nanos) {
    }

    /** A completed POST with its (small) body as text. */
    record Posted(int status, String body, long nanos) {
    }

    Http(String root) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    String root() {
        return root;
    }

    /** GETs {@code path} (relative to the root); a status other than 200 or 204 throws with the body's start. */
    Fetched get(String path, String accept, Count count) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + path)).timeout(TIMEOUT)
                .header("Accept", accept).GET().build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status != 200 && status != 204) {
                throw new IOException("GET " + path + " answered " + status + ": " + head(body));
            }
            CountingStream in = new CountingStream(body);
            long items = switch (count) {
                case JSON_ARRAY -> status == 204 ? 0 : jsonArrayLength(in);
                case MULTIPART_PARTS -> multipartParts(in, response);
                case NONE -> {
                    in.transferTo(OutputStream.nullOutputStream());
                    yield 0;
                }
            };
            in.transferTo(OutputStream.nullOutputStream());
            return new Fetched(status, in.count(), items, System.nanoTime() - start);
        }
    }

    Posted post(String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + path)).timeout(TIMEOUT)
                .header("Content-Type", contentType).header("Accept", "application/dicom+json").POST(body).build();
        long start = System.nanoTime();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        return new Posted(response.statusCode(), response.body(), System.nanoTime() - start);
    }

    /** Sends, naming the request in a failure: a refused connection's exception has no message of its own. */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new IOException(request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }

    /** Entries of a top-level JSON array (QIDO-RS results, metadata instances). */
    private static long jsonArrayLength(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("expected a JSON array, got " + p.currentToken());
            }
            long n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new IOException("JSON array ended early after " + n + " entries");
                }
                n++;
                p.skipChildren();
            }
            return n;
        }
    }

    /** Parts of a multipart body: boundary delimiters seen, less the closing one. */
    private static long multipartParts(InputStream in, HttpResponse<?> response) throws IOException {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String boundary = boundary(type).orElseThrow(() -> new IOException("no multipart boundary in '" + type + "'"));
        BoundaryCounter counter = new BoundaryCounter(("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        byte[] buf = new byte[1 << 16];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            counter.scan(buf, n);
        }
        return Math.max(0, counter.matches() - 1);
    }

    static Optional<String> boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String[] kv = param.strip().split("=", 2);
            if (kv.length == 2 && kv[0].strip().toLowerCase(Locale.ROOT).equals("boundary")) {
                String v = kv[1].strip();
                return Optional.of(v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v);
            }
        }
        return Optional.empty();
    }

    private static String head(InputStream body) throws IOException {
        String text = new String(body.readNBytes(400), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return text.isEmpty() ? "(empty body)" : text;
    }

    /** Counts occurrences of a byte pattern across buffer edges (Knuth-Morris-Pratt). */
    static final class BoundaryCounter {
        private final byte[] pattern;
        private final int[] fail;
        private int matched;
        private long matches;

        BoundaryCounter(byte[] pattern) {
            this.pattern = pattern;
            this.fail = new int[pattern.length];
            for (int i = 1, k = 0; i < pattern.length; i++) {
                while (k > 0 && pattern[i] != pattern[k]) {
                    k = fail[k - 1];
                }
                if (pattern[i] == pattern[k]) {
                    k++;
                }
                fail[i] = k;
            }
        }

        void scan(byte[] buf, int len) {
            for (int i = 0; i < len; i++) {
                while (matched > 0 && buf[i] != pattern[matched]) {
                    matched = fail[matched - 1];
                }
                if (buf[i] == pattern[matched]) {
                    matched++;
                }
                if (matched == pattern.length) {
                    matches++;
                    matched = fail[matched - 1];
                }
            }
        }

        long matches() {
            return matches;
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
