package org.dpacs.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * multipart/related bodies (RFC 2387, RFC 2046 5.1, PS3.18 8.6.1.2) on the test side: a builder for STOW-RS requests
 * and a parser for WADO-RS responses. Deliberately small and strict: a response the parser cannot split is a finding.
 */
final class Multipart {

    private static final byte[] CRLF = {'\r', '\n'};

    private Multipart() {
    }

    /** One body part: its header fields (names lower-cased) and its bytes. */
    record Part(Map<String, String> headers, byte[] body) {

        MediaType contentType() {
            return MediaType.parse(headers.get("content-type"));
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Builds a multipart/related request body whose root type is {@code type} (e.g. application/dicom). */
    static Builder related(String type) {
        return new Builder(type);
    }

    static final class Builder {
        private final String type;
        private final String boundary = "dpacs-conformance-" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        private Builder(String type) {
            this.type = type;
        }

        Builder part(String contentType, byte[] bytes) {
            // RFC 2046 5.1.1: each part starts with CRLF "--" boundary; the first CRLF may be omitted.
            write(("--" + boundary + "\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            write(bytes);
            write(CRLF);
            return this;
        }

        Builder file(Path file) {
            try {
                return part(type, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Builder files(List<Path> files) {
            files.forEach(this::file);
            return this;
        }

        String boundary() {
            return boundary;
        }

        /** The Content-Type of the request: {@code multipart/related; type="..."; boundary=...} (PS3.18 10.5.1.2). */
        String contentType() {
            return "multipart/related; type=\"" + type + "\"; boundary=" + boundary;
        }

        byte[] body() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + boundary.length() + 8);
            out.writeBytes(body.toByteArray());
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }

        private void write(byte[] bytes) {
            body.writeBytes(bytes);
        }
    }

    /**
     * Splits a multipart body by the boundary named in {@code contentType}.
     *
     * @throws IllegalArgumentException if the Content-Type has no boundary or the body is not delimited by it
     */
    static List<Part> parse(String contentType, byte[] body) {
        MediaType type = MediaType.parse(contentType);
        if (!type.essence().startsWith("multipart/")) {
            throw new IllegalArgumentException("not a multipart Content-Type: " + contentType);
        }
        String boundary = type.parameter("boundary")
                .orElseThrow(() -> new IllegalArgumentException("multipart Content-Type without boundary: " + contentType));
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("boundary '" + boundary + "' not found in a body of " + body.length + " bytes");
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            int after = pos + delimiter.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) {
                return parts; // close-delimiter
            }
            int headerStart = skipLine(body, after);
            int headerEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headerStart - 2);
            if (headerEnd < 0) {
                throw new IllegalArgumentException("part " + (parts.size() + 1) + " has no end of header fields");
            }
            Map<String, String> headers = headers(new String(body, headerStart, Math.max(0, headerEnd - headerStart),
                    StandardCharsets.ISO_8859_1));
            int contentStart = headerEnd + 4;
            // The delimiter that ends a part is CRLF "--" boundary (RFC 2046 5.1.1); the CRLF belongs to it.
            byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
            int end = indexOf(body, next, contentStart);
            if (end < 0) {
                throw new IllegalArgumentException("part " + (parts.size() + 1) + " is not closed by the boundary");
            }
            byte[] content = new byte[end - contentStart];
            System.arraycopy(body, contentStart, content, 0, content.length);
            parts.add(new Part(headers, content));
            pos = end + 2;
        }
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static int skipLine(byte[] body, int from) {
        int eol = indexOf(body, CRLF, from);
        return eol < 0 ? body.length : eol + 2;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
