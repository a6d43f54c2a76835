package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultipartWriterTest {

    @Test
    void writesRfc2046Framing() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MultipartWriter w = new MultipartWriter(out, "b0")) {
            w.part("application/dicom", Optional.of("http://x/studies/1"), "AB".getBytes(StandardCharsets.US_ASCII));
            w.part("application/octet-stream", Optional.empty(), new ByteArrayInputStream(new byte[0]));
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("--b0\r\nContent-Type: application/dicom\r\n"
                + "Content-Location: http://x/studies/1\r\n\r\nAB\r\n--b0\r\nContent-Type: application/octet-stream\r\n"
                + "\r\n\r\n--b0--\r\n");
    }

    @Test
    void emptyBodyIsJustTheCloseDelimiter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MultipartWriter(out, "b1").close();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("--b1--\r\n");
    }

    @Test
    void boundariesAreRandomAndShortEnough() {
        String a = MultipartWriter.newBoundary();
        assertThat(a).isNotEqualTo(MultipartWriter.newBoundary()).hasSizeLessThanOrEqualTo(70).matches("[a-z0-9-]+");
        assertThat(MultipartWriter.contentType("application/dicom", a))
                .isEqualTo("multipart/related; type=\"application/dicom\"; boundary=" + a);
    }

    @Test
    void refusesHeaderInjection() {
        MultipartWriter w = new MultipartWriter(new ByteArrayOutputStream(), "b");
        assertThatThrownBy(() -> w.startPart("text/plain", Optional.of("x\r\nSet-Cookie: y")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readerReadsWhatWriterWrote() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String boundary = MultipartWriter.newBoundary();
        try (MultipartWriter w = new MultipartWriter(out, boundary)) {
            w.startPart("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", Optional.empty()).write(new byte[]{1, 2});
        }
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(out.toByteArray()), boundary);
        MultipartReader.Part p = r.next().orElseThrow();
        assertThat(p.contentType().orElseThrow().parameter("transfer-syntax")).contains("1.2.840.10008.1.2.4.50");
        assertThat(p.body().readAllBytes()).containsExactly(1, 2);
        assertThat(r.next()).isEmpty();
    }
}
