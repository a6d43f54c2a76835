package org.dpacs.server.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a {@code multipart/related} body (RFC 2387, RFC 2046 5.1) one part at a time while it streams in: each
 * part's body is an InputStream that ends at the next delimiter, so no part is ever held whole. Memory is one
 * 64 KB buffer whatever the part sizes.
 *
 * <p>The delimiter {@code CRLF "--" boundary} is found with Boyer-Moore-Horspool over the buffer; the bytes of a
 * part that could still be the start of a delimiter split across reads are held back until the next read decides.
 * The body is read as if preceded by CRLF, so a first boundary on the very first line is found like any other
 * (RFC 2046: the CRLF before a delimiter belongs to it). The preamble and the epilogue are skipped; transport
 * padding after a boundary is allowed; a header block may end lines with a bare LF (lenient). A body that ends
 * before its close delimiter {@code "--" boundary "--"} fails with {@link MultipartException}.
 *
 * <pre>{@code
 * MultipartReader reader = new MultipartReader(in, MultipartReader.boundary(contentType));
 * for (Optional<Part> p = reader.next(); p.isPresent(); p = reader.next()) {
 *     consume(p.get().headers(), p.get().body());
 * }
 * }</pre>
 */
public final class MultipartReader {
    static final int BUFFER = 64 * 1024;
    /** A part's header block may not exceed this, so a body without blank line cannot exhaust memory. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] shift = new int[256];
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    /** Buffer index of the next delimiter found, or -1. */
    private int found = -1;
    /** Positions before this (and at or after pos) are known not to start a delimiter. */
    private int scanned;
    private boolean started;
    private boolean finished;
    private PartBody current;

    /** One part: its header fields (names case-insensitive) and a stream of its body. */
    public record Part(Map<String, String> headers, InputStream body) {

        /** The part's Content-Type, parsed; empty when absent or malformed. */
        public Optional<MediaRange> contentType() {
            return Optional.ofNullable(headers.get("content-type")).flatMap(MediaRange::parse);
        }

        public Optional<String> contentLocation() {
            return Optional.ofNullable(headers.get("content-location")).map(String::strip);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /** Malformed multipart content: the request is at fault (400). */
    public static final class MultipartException extends IOException {
        public MultipartException(String message) {
            super(message);
        }
    }

    public MultipartReader(InputStream in, String boundary) {
        this(in, boundary, BUFFER);
    }

    MultipartReader(InputStream in, String boundary, int bufferSize) {
        if (boundary.isEmpty() || boundary.length() > 70) {
            // RFC 2046 5.1.1: 1 to 70 characters.
            throw new IllegalArgumentException("A multipart boundary has 1 to 70 characters, got " + boundary.length());
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(bufferSize, MAX_HEADER_BYTES + 2 * delimiter.length)];
        int m = delimiter.length;
        java.util.Arrays.fill(shift, m);
        for (int i = 0; i < m - 1; i++) {
            shift[delimiter[i] & 0xFF] = m - 1 - i;
        }
        // Read the body as if it began with CRLF, so a boundary on the first line is a delimiter too.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /**
     * The {@code boundary} parameter of a multipart Content-Type.
     *
     * @throws IllegalArgumentException when there is none or it is not 1 to 70 characters
     */
    public static String boundary(MediaRange contentType) {
        String b = contentType.parameter("boundary").orElseThrow(() -> new IllegalArgumentException(
                "Content-Type '" + contentType + "' has no boundary parameter (RFC 2046 5.1.1)"));
        if (b.isEmpty() || b.length() > 70) {
            throw new IllegalArgumentException("The multipart boundary must have 1 to 70 characters (RFC 2046 5.1.1),"
                    + " got " + b.length());
        }
        return b;
    }

    /**
     * The next part, skipping what is left of the previous one; empty after the close delimiter.
     *
     * @throws MultipartException when the body is not well-formed multipart
     */
    public Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current != null) {
            current.drain();
        } else if (!started) {
            skipPreamble();
        }
        started = true;
        // We stand at a delimiter: consume it and see whether it closes the body.
        pos += delimiter.length;
        found = -1;
        scanned = pos;
        if (!ensure(2)) {
            throw new MultipartException("Multipart body ends right after a boundary, without the close delimiter '--"
                    + boundaryText() + "--'");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            current = null;
            return Optional.empty(); // the epilogue is ignored (RFC 2046 5.1.1)
        }
        skipLineEnd();
        current = new PartBody();
        return Optional.of(new Part(readHeaders(), current));
    }

    private void skipPreamble() throws IOException {
        while (locate() < 0) {
            if (eof) {
                throw new MultipartException("No boundary '--" + boundaryText() + "' found in the multipart body");
            }
            // Nothing before the held-back tail can start a delimiter: drop it.
            pos = Math.max(pos, lim - (delimiter.length - 1));
            fill();
        }
        pos = found;
    }

    /** Transport padding (spaces, tabs) then CRLF or LF after a boundary (RFC 2046 5.1.1). */
    private void skipLineEnd() throws IOException {
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (ensure(2) && buf[pos] == '\r' && buf[pos + 1] == '\n') {
            pos += 2;
        } else if (ensure(1) && buf[pos] == '\n') {
            pos++;
        } else {
            throw new MultipartException("Boundary line '--" + boundaryText() + "' is not followed by a line end");
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String lastName = null;
        int total = 0;
        while (true) {
            int eol = findLineEnd();
            int lineEnd = eol > pos && buf[eol - 1] == '\r' ? eol - 1 : eol;
            String line = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            total += eol + 1 - pos;
            pos = eol + 1;
            if (line.isEmpty()) {
                return Collections.unmodifiableMap(headers);
            }
            if (total > MAX_HEADER_BYTES) {
                throw new MultipartException("Part header block exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
                // RFC 5322 folding, still sent by some clients: continues the previous field.
                headers.merge(lastName, " " + line.strip(), String::concat);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MultipartException("Malformed part header line '" + abbreviate(line) + "'");
            }
            lastName = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(lastName, value, (a, b) -> a + ", " + b);
        }
    }

    /** Index of the next LF at or after pos, filling the buffer as needed. */
    private int findLineEnd() throws IOException {
        int from = pos;
        while (true) {
            for (int i = from; i < lim; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (lim - pos > MAX_HEADER_BYTES) {
                throw new MultipartException("Part header line exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            from = lim;
            int before = pos;
            if (!fill()) {
                throw new MultipartException("Multipart body ends inside a part's header block");
            }
            from -= before - pos; // fill() may have moved the unread bytes to the front
        }
    }

    /**
     * Finds the next delimiter at or after pos in the buffered bytes; sets {@link #found}. Returns its index or
     * -1, remembering how far the buffer was searched so a 1-byte reader does not rescan it.
     */
    private int locate() {
        if (found >= pos) {
            return found;
        }
        int m = delimiter.length;
        int i = Math.max(pos, scanned);
        int last = lim - m;
        while (i <= last) {
            int j = m - 1;
            while (j >= 0 && buf[i + j] == delimiter[j]) {
                j--;
            }
            if (j < 0) {
                found = i;
                return i;
            }
            i += shift[buf[i + m - 1] & 0xFF];
        }
        scanned = Math.max(pos, lim - m + 1);
        found = -1;
        return -1;
    }

    /** Makes at least {@code n} unread bytes available unless the input ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Moves unread bytes to the front and reads more; false at end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            int shiftBy = pos;
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= shiftBy;
            pos = 0;
            scanned = Math.max(0, scanned - shiftBy);
            found = found >= shiftBy ? found - shiftBy : -1;
        }
        if (lim == buf.length) {
            return true; // full: the caller consumes before asking again
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private String boundaryText() {
        return new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** The body of the current part: ends where the next delimiter starts. */
    private final class PartBody extends InputStream {
        private boolean done;

        /** Bytes of this part available in the buffer now, 0 at its end; reads more input when needed. */
        private int available(boolean block) throws IOException {
            while (!done) {
                if (current != this) {
                    done = true;
                    break;
                }
                int at = locate();
                if (at >= 0) {
                    if (at == pos) {
                        done = true;
                        break;
                    }
                    return at - pos;
                }
                // Hold back what could be the start of a delimiter cut by the end of the buffer.
                int safe = lim - pos - (delimiter.length - 1);
                if (safe > 0) {
                    return safe;
                }
                if (!block) {
                    return 0;
                }
                if (!fill()) {
                    throw new MultipartException("Multipart body ends inside a part, before the close delimiter '--"
                            + boundaryText() + "--'");
                }
            }
            return 0;
        }

        @Override
        public int read() throws IOException {
            if (available(true) == 0) {
                return -1;
            }
            return buf[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, available(true));
            if (n == 0) {
                return -1;
            }
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n) {
                int step = (int) Math.min(n - skipped, available(true));
                if (step == 0) {
                    break;
                }
                pos += step;
                skipped += step;
            }
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return done ? 0 : available(false);
        }

        void drain() throws IOException {
            for (int n = available(true); n > 0; n = available(true)) {
                pos += n;
            }
        }

        /** Does not close the request body: the next part follows. */
        @Override
        public void close() {
        }
    }
}
