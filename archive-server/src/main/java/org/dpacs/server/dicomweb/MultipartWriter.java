package org.dpacs.server.dicomweb;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Writes a {@code multipart/related} body (RFC 2387, RFC 2046 5.1) part by part onto a stream, for responses
 * that must not be built in memory. The boundary is random (128 bits), so it cannot occur in a part by accident;
 * it is created before the writer so that the response's Content-Type can carry it ({@link #contentType}).
 *
 * <pre>{@code
 * String boundary = MultipartWriter.newBoundary();
 * // Content-Type: MultipartWriter.contentType("application/dicom", boundary)
 * try (MultipartWriter w = new MultipartWriter(out, boundary)) {
 *     w.part("application/dicom", Optional.of(url), in);
 * }
 * }</pre>
 */
public final class MultipartWriter implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int COPY_BUFFER = 64 * 1024;

    private final OutputStream out;
    private final byte[] dashBoundary;
    private boolean first = true;
    private boolean closed;

    public MultipartWriter(OutputStream out, String boundary) {
        this.out = out;
        this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A fresh random boundary: 32 hex digits after a fixed prefix, well within RFC 2046's 70 characters. */
    public static String newBoundary() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "dpacs-" + HexFormat.of().formatHex(b);
    }

    /** {@code multipart/related; type="partType"; boundary=...}, the Content-Type of the whole body. */
    public static String contentType(String partType, String boundary) {
        return DicomMediaTypes.MULTIPART_RELATED + "; type=\"" + partType + "\"; boundary=" + boundary;
    }

    /**
     * Starts a part and returns the stream for its body, valid until the next part starts; closing it does not
     * close the underlying stream.
     */
    public OutputStream startPart(String contentType, Optional<String> contentLocation) throws IOException {
        if (closed) {
            throw new IllegalStateException("The multipart body is already closed");
        }
        if (!first) {
            out.write(CRLF); // RFC 2046 5.1.1: the CRLF before a boundary belongs to the delimiter
        }
        first = false;
        out.write(dashBoundary);
        out.write(CRLF);
        header("Content-Type", contentType);
        if (contentLocation.isPresent()) {
            header("Content-Location", contentLocation.get());
        }
        out.write(CRLF);
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** Writes a whole part, copying {@code body} with a fixed-size buffer. */
    public void part(String contentType, Optional<String> contentLocation, InputStream body) throws IOException {
        OutputStream o = startPart(contentType, contentLocation);
        byte[] buffer = new byte[COPY_BUFFER];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            o.write(buffer, 0, n);
        }
    }

    /** Writes a whole part from memory. */
    public void part(String contentType, Optional<String> contentLocation, byte[] body) throws IOException {
        startPart(contentType, contentLocation).write(body);
    }

    /** Writes the close delimiter (also for a body without parts, which is then empty but well-formed). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!first) {
            out.write(CRLF);
        }
        out.write(dashBoundary);
        out.write(new byte[]{'-', '-'});
        out.write(CRLF);
        out.flush();
    }

    private void header(String name, String value) throws IOException {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("Header value of " + name + " contains a line break");
        }
        out.write((name + ": " + value).getBytes(StandardCharsets.ISO_8859_1));
        out.write(CRLF);
    }
}
