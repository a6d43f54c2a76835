package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {

    @Test
    void makesRelativeBulkDataUrisAbsoluteAndKeepsTheRest() throws IOException {
        String stored = "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"BulkDataURI\"}]},"
                + "\"00420011\":{\"vr\":\"OB\",\"BulkDataURI\":\"studies/1/series/2/instances/3/bulk/00420011\"},"
                + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://elsewhere/x\"}}";
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            MetadataJson.copyWithBase(stored.getBytes(StandardCharsets.UTF_8), "http://h/dicomweb", g);
        }
        assertThat(out.toString()).isEqualTo(stored
                .replace("\"studies/1", "\"http://h/dicomweb/studies/1"));
    }

    @Test
    void absoluteResolvesOnlyRelativeUris() {
        assertThat(MetadataJson.absolute("http://h/r", "studies/1")).isEqualTo("http://h/r/studies/1");
        assertThat(MetadataJson.absolute("http://h/r", "urn:x:1")).isEqualTo("urn:x:1");
    }
}
