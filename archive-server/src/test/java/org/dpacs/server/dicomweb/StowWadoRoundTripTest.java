package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.frame.FrameIndex;
import org.dpacs.dicom.frame.FrameReader;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.json.BulkDataUriResolver;
import org.dpacs.dicom.json.DicomJsonReader;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.Services;
import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.TestServer.ReadPart;
import org.dpacs.server.index.IndexedInstance;
import org.dpacs.server.index.StudyIndex;
import org.dpacs.server.ingest.CommitListener;
import org.dpacs.server.ingest.IngestPipeline;
import org.dpacs.server.storage.FileObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STOW-RS into the real pipeline, file store and H2 catalog, then WADO-RS back out: what a viewer sees. */
class StowWadoRoundTripTest {
    private static final List<String> SAMPLES = List.of("CT_small.dcm", "SC_rgb_rle_2frame.dcm", "JPEG-lossy.dcm",
            "MR_small_bigendian.dcm");

    @TempDir
    Path dir;
    private FileObjectStore store;
    private H2Catalog catalog;
    private IngestPipeline pipeline;
    private StudyIndex index;
    private TestServer server;

    @BeforeEach
    void check() {
        assumeTrue(TestDicom.hasPydicom(), "python3-pydicom test files not installed");
    }

    /** The server as wired in production, or without an index (metadata then comes from the objects). */
    private void start(boolean withIndex) throws IOException {
        Config config = Config.defaults().withDataDir(dir);
        store = new FileObjectStore(dir.resolve("objects"));
        catalog = new H2Catalog(dir.resolve("catalog"));
        index = withIndex ? StudyIndex.open(dir.resolve("index")) : null;
        CommitListener listener = index == null ? CommitListener.NONE : batch -> index.add(batch.stream()
                .map(c -> new IndexedInstance(c.record(), c.header())).toList());
        pipeline = new IngestPipeline(config, store, catalog, listener);
        Services services = new Services(config, store, catalog, index, pipeline);
        server = TestServer.start(new StowResource(services), new WadoResource(services));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
            pipeline.close();
            catalog.close();
            store.close();
            if (index != null) {
                index.close();
            }
        }
    }

    @Test
    void storedSamplesComeBackAsViewersAskForThem() throws Exception {
        start(false);
        roundTrip(true);
    }

    /** With the index, metadata comes from it; its BulkDataURIs, pixel data included, must lead to the values. */
    @Test
    void metadataFromTheIndexResolvesToTheStoredValues() throws Exception {
        start(true);
        roundTrip(false);
        for (String name : SAMPLES) {
            DicomFile original = DicomReader.readFile(TestDicom.PYDICOM.resolve(name), ReadOptions.DEFAULT);
            String study = original.dataset().string(Tag.StudyInstanceUID).orElseThrow();
            HttpResponse<byte[]> metadata = server.get("/studies/" + study + "/metadata");
            assertThat(metadata.statusCode()).isEqualTo(200);
            for (String uri : WadoResourceTest.bulkDataUris(metadata.body())) {
                assertThat(uri).startsWith(server.dicomweb() + "/studies/" + study + "/series/");
                // As viewers ask (PS3.18 bulk data is multipart); transfer-syntax=*: compressed pixel data comes
                // as stored, there being no codec to decode it.
                HttpResponse<byte[]> value = server.get(uri.substring(server.dicomweb().length()),
                        "Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
                assertThat(value.statusCode()).as(uri).isEqualTo(200);
                assertThat(value.body()).as(uri).isNotEmpty();
            }
        }
        // Proof the index answered: with the stored object gone, its metadata is still there.
        DicomFile ct = DicomReader.readFile(TestDicom.PYDICOM.resolve("CT_small.dcm"), ReadOptions.DEFAULT);
        InstanceRecord r = catalog.instance(ct.dataset().string(Tag.SOPInstanceUID).orElseThrow()).orElseThrow();
        store.delete(r.objectKey());
        HttpResponse<byte[]> metadata = server.get("/studies/" + r.studyInstanceUid() + "/metadata");
        assertThat(WadoResourceTest.bulkDataUris(metadata.body())).isNotEmpty();
        assertThat(new String(metadata.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains(r.sopInstanceUid()).startsWith("[{");
    }

    private void roundTrip(boolean pixelDataUri) throws Exception {
        String boundary = MultipartWriter.newBoundary();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (MultipartWriter w = new MultipartWriter(body, boundary)) {
            for (String name : SAMPLES) {
                w.part("application/dicom", Optional.empty(), TestDicom.pydicom(name));
            }
        }
        HttpResponse<byte[]> stow = server.post("/studies", body.toByteArray(),
                "Content-Type", "multipart/related; type=application/dicom; boundary=" + boundary);
        assertThat(stow.statusCode()).as(new String(stow.body())).isIn(200, 202);
        Attributes response = DicomJsonReader.read(new ByteArrayInputStream(stow.body()), BulkDataUriResolver.REJECT);
        List<Attributes> stored = response.sequence(StoreResponse.ReferencedSOPSequence).map(Sequence::items).orElseThrow();
        assertThat(stored).hasSize(SAMPLES.size());

        // Sending the same request again is an idempotent success.
        HttpResponse<byte[]> again = server.post("/studies", body.toByteArray(),
                "Content-Type", "multipart/related; type=application/dicom; boundary=" + boundary);
        assertThat(again.statusCode()).isEqualTo(stow.statusCode());

        for (int i = 0; i < SAMPLES.size(); i++) {
            String url = stored.get(i).string(StoreResponse.RetrieveURL).orElseThrow();
            String path = url.substring(server.dicomweb().length());
            DicomFile original = DicomReader.readFile(TestDicom.PYDICOM.resolve(SAMPLES.get(i)), ReadOptions.DEFAULT);

            HttpResponse<byte[]> metadata = server.get(path + "/metadata", "Accept", "application/dicom+json");
            assertThat(metadata.statusCode()).isEqualTo(200);
            List<String> uris = WadoResourceTest.bulkDataUris(metadata.body());
            if (pixelDataUri) {
                assertThat(uris).contains(url + "/bulk/7FE00010");
            }

            FrameIndex index = FrameIndex.of(original.dataset(), original.parse().transferSyntax());
            HttpResponse<byte[]> frames = server.get(path + "/frames/" + index.frameCount(),
                    "Accept", "multipart/related; type=application/octet-stream; transfer-syntax=*");
            assertThat(frames.statusCode()).as(SAMPLES.get(i)).isEqualTo(200);
            ReadPart frame = TestServer.parts(frames).get(0);
            byte[] expected = FrameReader.read(index.frame(index.frameCount()), BulkDataResolver.FILES);
            if (original.parse().transferSyntax().bigEndian()) {
                assertThat(frame.contentType()).endsWith("transfer-syntax=1.2.840.10008.1.2.1");
                assertThat(frame.body()).hasSameSizeAs(expected).isNotEqualTo(expected);
            } else {
                assertThat(frame.body()).as(SAMPLES.get(i)).isEqualTo(expected);
            }

            HttpResponse<byte[]> instance = server.get(path, "Accept",
                    "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            DicomFile back = DicomReader.read(new ByteArrayInputStream(TestServer.parts(instance).get(0).body()), "x",
                    ReadOptions.DEFAULT.withStopAt(Tag.PixelData));
            assertThat(back.dataset().string(Tag.SOPInstanceUID))
                    .isEqualTo(original.dataset().string(Tag.SOPInstanceUID));
        }
    }
}
