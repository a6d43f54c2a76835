package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import org.dpacs.server.dicomweb.MultipartReader.MultipartException;
import org.dpacs.server.dicomweb.MultipartReader.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartReaderTest {
    private static final String B = "xYz-boundary";

    @Test
    void readsPartsWithHeadersPreambleAndEpilogue() throws IOException {
        String body = "This is the preamble.\r\n--" + B + "\r\nContent-Type: application/dicom\r\n"
                + "content-location: a/b\r\n\r\nfirst\r\n--" + B + "  \t\r\nX-Odd: 1\r\n\r\nsecond part\r\n--" + B
                + "--\r\nthis epilogue is ignored\r\n--" + B + "\r\n";
        List<String[]> parts = readAll(new MultipartReader(stream(body), B));
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).containsExactly("application/dicom", "a/b", "first");
        assertThat(parts.get(1)).containsExactly(null, null, "second part");
    }

    @Test
    void firstBoundaryOnTheFirstLineAndEmptyParts() throws IOException {
        String body = "--" + B + "\r\n\r\n\r\n--" + B + "\r\n\r\n\r\n\r\n--" + B + "--";
        List<String[]> parts = readAll(new MultipartReader(stream(body), B));
        assertThat(parts).extracting(p -> p[2]).containsExactly("", "\r\n");
    }

    @Test
    void boundaryLikeBytesInsideBodiesAreData() throws IOException {
        String tricky = "--" + B + "X\r\n--" + B.substring(0, 5) + "\r\n\r--" + B + "\n--" + B + "-";
        String body = "--" + B + "\r\n\r\n" + tricky + "\r\n--" + B + "--\r\n";
        assertThat(readAll(new MultipartReader(stream(body), B)).get(0)[2]).isEqualTo(tricky);
    }

    @Test
    void quotedBoundaryParameterIsUnquoted() {
        MediaRange ct = MediaRange.parse("multipart/related; type=\"application/dicom\"; boundary=\"a:b c\"").orElseThrow();
        assertThat(MultipartReader.boundary(ct)).isEqualTo("a:b c");
        assertThatThrownBy(() -> MultipartReader.boundary(MediaRange.of("multipart/related")))
                .hasMessageContaining("no boundary");
    }

    @Test
    void bareLfAfterBoundaryAndInHeadersIsAccepted() throws IOException {
        String body = "--" + B + "\nContent-Type: text/plain\n\nbody\r\n--" + B + "--";
        assertThat(readAll(new MultipartReader(stream(body), B)).get(0)).containsExactly("text/plain", null, "body");
    }

    @Test
    void foldedHeaderLinesAreJoined() throws IOException {
        String body = "--" + B + "\r\nContent-Type: multipart/related;\r\n type=application/dicom\r\n\r\nx\r\n--" + B + "--";
        assertThat(readAll(new MultipartReader(stream(body), B)).get(0)[0])
                .isEqualTo("multipart/related; type=application/dicom");
    }

    @Test
    void missingCloseDelimiterIsAClearError() throws IOException {
        MultipartReader reader = new MultipartReader(stream("--" + B + "\r\n\r\ntruncated body"), B);
        Part part = reader.next().orElseThrow();
        assertThatThrownBy(() -> part.body().readAllBytes()).isInstanceOf(MultipartException.class)
                .hasMessageContaining("before the close delimiter");
        MultipartReader afterBoundary = new MultipartReader(stream("--" + B + "\r\n\r\nx\r\n--" + B), B);
        afterBoundary.next().orElseThrow().body().readAllBytes();
        assertThatThrownBy(afterBoundary::next).isInstanceOf(MultipartException.class)
                .hasMessageContaining("close delimiter");
    }

    @Test
    void bodyWithoutAnyBoundaryIsAClearError() {
        MultipartReader reader = new MultipartReader(stream("just some bytes, no multipart here"), B);
        assertThatThrownBy(reader::next).isInstanceOf(MultipartException.class).hasMessageContaining("No boundary");
    }

    @Test
    void headerBlockWithoutEndIsRefusedBeforeItExhaustsMemory() {
        String body = "--" + B + "\r\n" + "X: y\r\n".repeat(10_000);
        MultipartReader reader = new MultipartReader(stream(body), B);
        assertThatThrownBy(reader::next).isInstanceOf(MultipartException.class).hasMessageContaining("header");
    }

    @Test
    void unreadRestOfAPartIsSkippedByNext() throws IOException {
        String body = "--" + B + "\r\n\r\n" + "a".repeat(200_000) + "\r\n--" + B + "\r\n\r\nsecond\r\n--" + B + "--";
        MultipartReader reader = new MultipartReader(stream(body), B);
        assertThat(reader.next().orElseThrow().body().read()).isEqualTo('a');
        assertThat(new String(reader.next().orElseThrow().body().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("second");
        assertThat(reader.next()).isEmpty();
        assertThat(reader.next()).isEmpty();
    }

    /** Random binary bodies full of boundary fragments, read through inputs that return 1 to n bytes at a time. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 64, 4096, 100_000})
    void roundTripsRandomBinaryPartsWhateverTheReadSizes(int chunk) throws IOException {
        Random random = new Random(chunk);
        String boundary = "seeded-" + Long.toHexString(random.nextLong()); // reproducible, unlike newBoundary()
        byte[] delimiterBytes = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> bodies = new ArrayList<>();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (MultipartWriter w = new MultipartWriter(encoded, boundary)) {
            for (int i = 0; i < 12; i++) {
                byte[] body = new byte[random.nextInt(i == 0 ? 1 : 150_000)];
                random.nextBytes(body);
                // Plant prefixes of the delimiter, cut anywhere, including at the very end of the body.
                for (int k = 0; k < 5 && body.length > delimiterBytes.length; k++) {
                    int cut = 1 + random.nextInt(delimiterBytes.length - 1);
                    int at = k == 0 ? body.length - cut : random.nextInt(body.length - cut);
                    System.arraycopy(delimiterBytes, 0, body, at, cut);
                }
                // A plant followed by the right random byte would be a real delimiter: break it.
                for (int at = indexOf(body, delimiterBytes); at >= 0; at = indexOf(body, delimiterBytes)) {
                    body[at + delimiterBytes.length - 1] ^= 1;
                }
                bodies.add(body);
                w.part("application/octet-stream", Optional.of("part/" + i), body);
            }
        }
        MultipartReader reader = new MultipartReader(new ChunkedInputStream(encoded.toByteArray(), chunk, random),
                boundary);
        for (int i = 0; i < bodies.size(); i++) {
            Part part = reader.next().orElseThrow();
            assertThat(part.contentLocation()).contains("part/" + i);
            byte[] got = chunk == 1 ? readByteByByte(part.body()) : part.body().readAllBytes();
            assertThat(Arrays.equals(got, bodies.get(i))).as("part %d of %d bytes", i, bodies.get(i).length).isTrue();
        }
        assertThat(reader.next()).isEmpty();
    }

    /** A 3 GB part streams through a 64 KB buffer; heap use stays flat (checked loosely, GC is not ours). */
    @Test
    void hugePartStreamsWithoutMemoryGrowth() throws IOException {
        long size = 3L << 30;
        String boundary = "huge";
        InputStream body = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                stream("--huge\r\nContent-Type: application/dicom\r\n\r\n"), new PatternStream(size),
                stream("\r\n--huge--\r\n"))));
        MultipartReader reader = new MultipartReader(body, boundary);
        InputStream part = reader.next().orElseThrow().body();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        CRC32 crc = new CRC32();
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        for (int n = part.read(buffer); n >= 0; n = part.read(buffer)) {
            total += n;
            crc.update(buffer, 0, n);
        }
        long usedAfter = rt.totalMemory() - rt.freeMemory();
        assertThat(total).isEqualTo(size);
        assertThat(usedAfter - usedBefore).isLessThan(64L << 20);
        assertThat(reader.next()).isEmpty();
    }

    private static List<String[]> readAll(MultipartReader reader) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (Optional<Part> p = reader.next(); p.isPresent(); p = reader.next()) {
            out.add(new String[]{p.get().headers().get("Content-Type"), p.get().contentLocation().orElse(null),
                new String(p.get().body().readAllBytes(), StandardCharsets.ISO_8859_1)});
        }
        return out;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] readByteByByte(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            out.write(b);
        }
        return out.toByteArray();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Returns at most {@code chunk} bytes per read, a random number of them, as a slow network would. */
    static final class ChunkedInputStream extends FilterInputStream {
        private final int chunk;
        private final Random random;

        ChunkedInputStream(byte[] data, int chunk, Random random) {
            super(new ByteArrayInputStream(data));
            this.chunk = chunk;
            this.random = random;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(chunk)));
        }
    }

    /** {@code size} bytes of a repeating pattern that contains "--huge" without a CRLF before it. */
    static final class PatternStream extends InputStream {
        private static final byte[] PATTERN = "0123456789--huge\n--hug\r".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] BLOCK = new byte[PATTERN.length * 2849];
        private long left;
        private int at;

        static {
            for (int i = 0; i < BLOCK.length; i++) {
                BLOCK[i] = PATTERN[i % PATTERN.length];
            }
        }

        PatternStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), BLOCK.length - at);
            System.arraycopy(BLOCK, at, b, off, n);
            at = (at + n) % BLOCK.length;
            left -= n;
            return n;
        }
    }
}
