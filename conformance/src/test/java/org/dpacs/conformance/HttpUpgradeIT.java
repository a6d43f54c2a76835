package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Java's default HttpClient (and curl --http2) offers an upgrade to HTTP/2 on plain HTTP ({@code Upgrade: h2c}).
 * dPACS answers in HTTP/1.1, and the answer must still name its media type.
 */
class HttpUpgradeIT {

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget();

    @Test
    void clientsOfferingH2cGetCompleteHttp11Answers() throws Exception {
        Sample sample = Corpus.get().originals.stream().filter(Sample::hasPixelData).findFirst().orElseThrow();
        Multipart.Builder request = Multipart.related("application/dicom").file(sample.file());
        HttpClient client = HttpClient.newHttpClient(); // HTTP/2 preferred: it sends Upgrade: h2c
        HttpResponse<String> stored = client.send(HttpRequest.newBuilder(URI.create(target.url("studies")))
                .header("Content-Type", request.contentType())
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).isIn(200, 202);
        assertThat(stored.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/dicom+json"));
        HttpResponse<String> metadata = client.send(HttpRequest.newBuilder(URI.create(
                        target.url("studies/" + sample.studyInstanceUid() + "/metadata"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/dicom+json"));
        assertThat(metadata.body()).startsWith("[");
    }
}
