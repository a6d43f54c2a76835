package org.dpacs.conformance;

import io.restassured.http.Header;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One GET of a WADO-RS (or QIDO-RS) resource: status, headers, body, and the parts when the body is multipart. A body
 * that claims to be multipart but cannot be split is kept with {@link #parseError} so the test can report it.
 */
record Retrieved(String url, String request, int status, Map<String, String> headers, byte[] body, List<Multipart.Part> parts,
                 String parseError) {

    static final String ANY = "*/*";

    /** GET {@code url} with the given Accept header (none when {@code accept} is null) and extra header pairs. */
    static Retrieved get(DicomWebTarget target, String url, String accept, String... headerPairs) {
        var spec = target.request();
        StringBuilder what = new StringBuilder("GET ").append(url);
        if (accept != null) {
            spec = spec.header("Accept", accept);
            what.append(" Accept: ").append(accept);
        }
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            spec = spec.header(headerPairs[i], headerPairs[i + 1]);
            what.append(' ').append(headerPairs[i]).append(": ").append(headerPairs[i + 1]);
        }
        return of(url, what.toString(), spec.get(url));
    }

    /**
     * GET {@code url} with query parameters given as name, value pairs, percent-encoded as UTF-8 by REST Assured
     * (PS3.18 8.3.1); the request is described with the values as typed.
     */
    static Retrieved query(DicomWebTarget target, String url, String accept, String... params) {
        var spec = target.request().header("Accept", accept);
        StringBuilder what = new StringBuilder("GET ").append(url);
        for (int i = 0; i + 1 < params.length; i += 2) {
            spec = spec.queryParam(params[i], params[i + 1]);
            what.append(i == 0 ? '?' : '&').append(params[i]).append('=').append(params[i + 1]);
        }
        what.append(" Accept: ").append(accept);
        return of(url, what.toString(), spec.get(url));
    }

    static Retrieved of(String url, String request, Response r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.getHeaders()) {
            headers.merge(h.getName().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
        }
        byte[] body = r.asByteArray();
        List<Multipart.Part> parts = List.of();
        String error = null;
        String type = headers.get("content-type");
        if (r.statusCode() == 200 && type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            try {
                parts = Multipart.parse(type, body);
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        return new Retrieved(url, request, r.statusCode(), headers, body, parts, error);
    }

    MediaType contentType() {
        return MediaType.parse(headers.get("content-type"));
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    String text() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Null when this is a 200 multipart/related answer whose root type is {@code type} (RFC 2387 3.1) and whose parts
     * could be split; otherwise what is wrong with it, for a failure message.
     */
    String multipartProblem(String type) {
        if (status != 200) {
            return request + " -> " + status + " " + shorten(text());
        }
        MediaType ct = contentType();
        if (!ct.is("multipart/related")) {
            return request + " -> Content-Type " + headers.get("content-type") + ", expected multipart/related";
        }
        if (type != null && !ct.relatedType().map(type::equalsIgnoreCase).orElse(false)) {
            return request + " -> Content-Type " + headers.get("content-type") + ", expected type=\"" + type + "\"";
        }
        if (parseError != null) {
            return request + " -> multipart body cannot be split: " + parseError;
        }
        return null;
    }

    /** Writes each part's body to {@code dir} and returns the files in part order. */
    List<Path> writeParts(Path dir, String prefix) {
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < parts.size(); i++) {
                Path f = dir.resolve(prefix + "-" + i + ".part");
                Files.write(f, parts.get(i).body());
                files.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public String toString() {
        return request + " -> " + status;
    }
}
