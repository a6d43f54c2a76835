package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.json.BulkDataUriResolver;
import org.dpacs.dicom.json.DicomJsonReader;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.Services;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StowResourceTest {
    private static final String ST = "1.2.3.1";
    private static final String SE = "1.2.3.1.1";
    private static final String DICOM_PARTS = "multipart/related; type=\"application/dicom\"; boundary=";

    private final Path dataDir = WadoFixture.tempDir();
    private final FakeIngest ingest = new FakeIngest();
    private final TestServer server = TestServer.start(new StowResource(
            new Services(Config.defaults().withDataDir(dataDir), new MemoryStore(), new MemoryCatalog(), null, null),
            ingest));

    @AfterEach
    void stop() throws IOException {
        server.close();
        try (var files = Files.walk(dataDir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("temporary files left behind").isEmpty();
        }
    }

    /** Stands in for the pipeline: reads each part whole, then answers what {@link #policy} says. */
    static final class FakeIngest implements Function<IngestRequest, IngestResult> {
        final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        final List<Optional<String>> expectedStudies = Collections.synchronizedList(new ArrayList<>());
        Function<Attributes, IngestResult> policy = ds -> stored(ds, List.of());

        @Override
        public IngestResult apply(IngestRequest request) {
            byte[] bytes;
            try {
                bytes = request.input().readAllBytes();
            } catch (IOException e) {
                // As the pipeline does: an I/O failure while reading is a rejected instance, not an exception.
                return new IngestResult.Rejected(FailureKind.PROCESSING_FAILURE, 0x0110, e.getMessage(),
                        Optional.empty(), Optional.empty());
            }
            received.add(bytes);
            expectedStudies.add(request.expectedStudyInstanceUid());
            assertThat(request.source().toString()).isEqualTo("STOW-RS");
            try {
                return policy.apply(DicomReader.read(new ByteArrayInputStream(bytes), "part", ReadOptions.DEFAULT).dataset());
            } catch (IOException e) {
                return new IngestResult.Rejected(FailureKind.CANNOT_UNDERSTAND, 0xC000, "Not DICOM: " + e.getMessage(),
                        Optional.empty(), Optional.empty());
            }
        }
    }

    static IngestResult stored(Attributes ds, List<String> warnings) {
        return new IngestResult.Stored(record(ds), ds, warnings);
    }

    static InstanceRecord record(Attributes ds) {
        return InstanceRecord.pending(ds.string(Tag.StudyInstanceUID).orElseThrow(),
                ds.string(Tag.SeriesInstanceUID).orElseThrow(), ds.string(Tag.SOPInstanceUID).orElseThrow(),
                ds.string(Tag.SOPClassUID).orElseThrow(), "1.2.840.10008.1.2.1", "k", 1, "s").withSeq(1);
    }

    static IngestResult rejected(Attributes ds, FailureKind kind, int reason) {
        return new IngestResult.Rejected(kind, reason, "rejected " + ds.string(Tag.SOPInstanceUID).orElse("?"),
                ds.string(Tag.SOPClassUID), ds.string(Tag.SOPInstanceUID));
    }

    private static byte[] instance(String sop) {
        return TestDicom.part10(TestDicom.image(ST, SE, sop, 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** A multipart body of the given parts, each {@code {contentType or null, contentLocation or null, bytes}}. */
    private static byte[] multipart(String boundary, Object[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object[] p : parts) {
            out.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (p[0] != null) {
                out.write(("Content-Type: " + p[0] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            if (p[1] != null) {
                out.write(("Content-Location: " + p[1] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write((byte[]) p[2]);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private HttpResponse<byte[]> postInstances(String path, byte[]... instances) throws Exception {
        List<Object[]> parts = new ArrayList<>();
        for (byte[] i : instances) {
            parts.add(new Object[]{"application/dicom", null, i});
        }
        return server.post(path, multipart("b0", parts.toArray(Object[][]::new)), "Content-Type", DICOM_PARTS + "b0");
    }

    private static Attributes body(HttpResponse<byte[]> r) throws IOException {
        return DicomJsonReader.read(new ByteArrayInputStream(r.body()), BulkDataUriResolver.REJECT);
    }

    private static List<Attributes> items(Attributes ds, int tag) {
        return ds.sequence(tag).map(Sequence::items).orElse(List.of());
    }

    @Test
    void storesEveryPartInOrderAndAnswers200WithRetrieveUrls() throws Exception {
        byte[] a = instance("1.2.3.1.1.1");
        byte[] b = instance("1.2.3.1.1.2");
        HttpResponse<byte[]> r = postInstances("/studies", a, b);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/dicom+json");
        assertThat(ingest.received).containsExactly(a, b);
        assertThat(ingest.expectedStudies).containsOnly(Optional.empty());
        Attributes ds = body(r);
        assertThat(ds.string(StoreResponse.RetrieveURL)).contains(server.dicomweb() + "/studies/" + ST);
        List<Attributes> refs = items(ds, StoreResponse.ReferencedSOPSequence);
        assertThat(refs).hasSize(2);
        assertThat(refs.get(1).string(StoreResponse.ReferencedSOPInstanceUID)).contains("1.2.3.1.1.2");
        assertThat(refs.get(1).string(StoreResponse.ReferencedSOPClassUID)).contains(TestDicom.CT_IMAGE_STORAGE);
        assertThat(refs.get(1).string(StoreResponse.RetrieveURL))
                .contains(server.dicomweb() + "/studies/" + ST + "/series/" + SE + "/instances/1.2.3.1.1.2");
        assertThat(refs.get(1).contains(StoreResponse.WarningReason)).isFalse();
        assertThat(ds.contains(StoreResponse.FailedSOPSequence)).isFalse();
        assertThat(r.headers().allValues("Warning")).isEmpty();
    }

    @Test
    void oneBadPartFailsAloneWith202() throws Exception {
        ingest.policy = ds -> ds.string(Tag.SOPInstanceUID).orElseThrow().endsWith(".2")
                ? rejected(ds, FailureKind.INVALID_DATASET, 0xA900) : stored(ds, List.of());
        HttpResponse<byte[]> r = postInstances("/studies", instance("1.2.3.1.1.1"), instance("1.2.3.1.1.2"),
                instance("1.2.3.1.1.3"));
        assertThat(r.statusCode()).isEqualTo(202);
        Attributes ds = body(r);
        assertThat(items(ds, StoreResponse.ReferencedSOPSequence)).hasSize(2);
        List<Attributes> failed = items(ds, StoreResponse.FailedSOPSequence);
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).string(StoreResponse.ReferencedSOPInstanceUID)).contains("1.2.3.1.1.2");
        assertThat(failed.get(0).ints(StoreResponse.FailureReason)).containsExactly(0xA900);
        assertThat(r.headers().allValues("Warning")).containsExactly("299 dPACS \"1.2.3.1.1.2: rejected 1.2.3.1.1.2\"");
    }

    @Test
    void statusWhenNothingWasStoredFollowsTable10_5_3_1() throws Exception {
        ingest.policy = ds -> rejected(ds, FailureKind.STUDY_MISMATCH, 0xA910);
        assertThat(postInstances("/studies", instance("1.2.3.1.1.1")).statusCode()).isEqualTo(409);
        ingest.policy = ds -> rejected(ds, FailureKind.OUT_OF_RESOURCES, 0xA700);
        assertThat(postInstances("/studies", instance("1.2.3.1.1.1"), instance("1.2.3.1.1.2")).statusCode()).isEqualTo(503);
        // Not DICOM at all: the request itself is well-formed, so its one refused instance is a 409 too.
        HttpResponse<byte[]> garbage = postInstances("/studies", "not dicom".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.statusCode()).isEqualTo(409);
        assertThat(items(body(garbage), StoreResponse.FailedSOPSequence).get(0).ints(StoreResponse.FailureReason))
                .containsExactly(0xC000);
        ingest.policy = ds -> rejected(ds, FailureKind.DUPLICATE_CONFLICT, 0x0111);
        assertThat(postInstances("/studies", instance("1.2.3.1.1.1"), "x".getBytes(StandardCharsets.US_ASCII))
                .statusCode()).as("a mixture of reasons").isEqualTo(409);
    }

    @Test
    void duplicateIsAPlainSuccessAndWarningsAnswer202() throws Exception {
        ingest.policy = ds -> new IngestResult.Duplicate(record(ds));
        HttpResponse<byte[]> dup = postInstances("/studies", instance("1.2.3.1.1.1"));
        assertThat(dup.statusCode()).isEqualTo(200);
        assertThat(items(body(dup), StoreResponse.ReferencedSOPSequence).get(0).contains(StoreResponse.WarningReason))
                .isFalse();
        ingest.policy = ds -> stored(ds, List.of("Replaced the object previously stored"));
        HttpResponse<byte[]> warned = postInstances("/studies", instance("1.2.3.1.1.1"));
        assertThat(warned.statusCode()).isEqualTo(202);
        assertThat(items(body(warned), StoreResponse.ReferencedSOPSequence).get(0).ints(StoreResponse.WarningReason))
                .containsExactly(0xB000);
        assertThat(warned.headers().firstValue("Warning").orElseThrow()).contains("Replaced");
    }

    @Test
    void studyInThePathIsPassedToThePipeline() throws Exception {
        HttpResponse<byte[]> r = postInstances("/studies/" + ST, instance("1.2.3.1.1.1"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ingest.expectedStudies).containsExactly(Optional.of(ST));
    }

    @Test
    void wrongMediaTypesAnswer415And406AndNothingIsStored() throws Exception {
        byte[] one = instance("1.2.3.1.1.1");
        assertThat(server.post("/studies", one, "Content-Type", "application/dicom").statusCode()).isEqualTo(415);
        assertThat(server.post("/studies", multipart("b", new Object[]{"application/dicom+xml", null, one}),
                "Content-Type", "multipart/related; type=\"application/dicom+xml\"; boundary=b").statusCode())
                .isEqualTo(415);
        assertThat(server.post("/studies", one, "Content-Type", "multipart/related; type=\"application/dicom\"")
                .statusCode()).as("no boundary").isEqualTo(400);
        HttpResponse<byte[]> notAcceptable = server.post("/studies", multipart("b", new Object[]{null, null, one}),
                "Content-Type", DICOM_PARTS + "b", "Accept", "text/html");
        assertThat(notAcceptable.statusCode()).isEqualTo(406);
        assertThat(new String(notAcceptable.body(), StandardCharsets.UTF_8)).contains("application/dicom+json");
        assertThat(ingest.received).isEmpty();
    }

    @Test
    void xmlResponseWhenAskedAndUnquotedTypeParameterAccepted() throws Exception {
        HttpResponse<byte[]> r = server.post("/studies", multipart("b", new Object[]{null, null, instance("1.2.3.1.1.1")}),
                "Content-Type", "multipart/related; type=application/dicom; boundary=b",
                "Accept", "application/dicom+xml");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/dicom+xml");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<NativeDicomModel")
                .contains("keyword=\"ReferencedSOPSequence\"");
    }

    @Test
    void partsOfAnotherMediaTypeFailAlone() throws Exception {
        HttpResponse<byte[]> r = server.post("/studies", multipart("b",
                        new Object[]{"application/dicom", null, instance("1.2.3.1.1.1")},
                        new Object[]{"image/jpeg", null, new byte[]{1, 2}}),
                "Content-Type", DICOM_PARTS + "b");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(items(body(r), StoreResponse.FailedSOPSequence)).hasSize(1);
        assertThat(ingest.received).hasSize(1);
    }

    @Test
    void aTruncatedBodyKeepsThePartsBeforeIt() throws Exception {
        byte[] good = multipart("b", new Object[]{"application/dicom", null, instance("1.2.3.1.1.1")});
        String cut = new String(good, StandardCharsets.ISO_8859_1).replace("--b--\r\n", "--b\r\n\r\nhalf an instance");
        HttpResponse<byte[]> r = server.post("/studies", cut.getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type", DICOM_PARTS + "b");
        assertThat(r.statusCode()).isEqualTo(202);
        Attributes ds = body(r);
        assertThat(items(ds, StoreResponse.ReferencedSOPSequence)).hasSize(1);
        assertThat(items(ds, StoreResponse.FailedSOPSequence).get(0).ints(StoreResponse.FailureReason))
                .containsExactly(0xC000);
        assertThat(r.headers().firstValue("Warning").orElseThrow()).contains("not well-formed multipart");
        HttpResponse<byte[]> none = server.post("/studies", "no multipart".getBytes(StandardCharsets.US_ASCII),
                "Content-Type", DICOM_PARTS + "b");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(server.post("/studies", "--b--\r\n".getBytes(StandardCharsets.US_ASCII), "Content-Type",
                DICOM_PARTS + "b").statusCode()).as("no parts").isEqualTo(400);
    }

    @Test
    void jsonMetadataWithNativeBulkDataBecomesAPart10Instance() throws Exception {
        byte[] pixels = TestDicom.nativePixels(1, 4, 4);
        byte[] document = TestDicom.document(5000);
        String json = "[{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"" + TestDicom.CT_IMAGE_STORAGE + "\"]},"
                + "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.1.1.7\"]},"
                + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + ST + "\"]},"
                + "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"" + SE + "\"]},"
                + "\"00280010\":{\"vr\":\"US\",\"Value\":[4]},\"00280011\":{\"vr\":\"US\",\"Value\":[4]},"
                + "\"00420011\":{\"vr\":\"OB\",\"BulkDataURI\":\"http://client/bulk/doc\"},"
                + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"bulk/pixels\"}}]";
        HttpResponse<byte[]> r = server.post("/studies", multipart("j",
                        new Object[]{"application/dicom+json", null, json.getBytes(StandardCharsets.UTF_8)},
                        new Object[]{"application/octet-stream", "http://client/bulk/pixels", pixels},
                        new Object[]{"application/octet-stream", "/bulk/doc", document}),
                "Content-Type", "multipart/related; type=\"application/dicom+json\"; boundary=j");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        DicomFile f = DicomReader.read(new ByteArrayInputStream(ingest.received.get(0)), "x", ReadOptions.EVERYTHING);
        assertThat(f.parse().transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(f.fileMetaInformation().string(Tag.MediaStorageSOPInstanceUID)).contains("1.2.3.1.1.7");
        assertThat(f.dataset().bytes(Tag.PixelData)).contains(pixels);
        assertThat(f.dataset().vr(Tag.PixelData)).contains(Vr.OW);
        assertThat(f.dataset().bytes(TestDicom.ENCAPSULATED_DOCUMENT)).contains(document);
    }

    @Test
    void jsonMetadataWithCompressedFramesBecomesEncapsulatedPixelData() throws Exception {
        byte[] f1 = TestDicom.jpegFrame(1, 60);
        byte[] f2 = TestDicom.jpegFrame(2, 41);
        String json = "[{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"" + TestDicom.CT_IMAGE_STORAGE + "\"]},"
                + "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.1.1.8\"]},"
                + "\"00280008\":{\"vr\":\"IS\",\"Value\":[2]},"
                + "\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"frames\"}},"
                + "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.1.1.9\"]},"
                + "\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"missing\"}}]";
        String jpeg = "image/jpeg; transfer-syntax=" + TransferSyntax.JPEG_BASELINE.uid();
        ingest.policy = ds -> new IngestResult.Stored(InstanceRecord.pending(ST, SE, "1.2.3.1.1.8",
                TestDicom.CT_IMAGE_STORAGE, "ts", "k", 1, "s"), ds, List.of());
        HttpResponse<byte[]> r = server.post("/studies", multipart("j",
                        new Object[]{"application/dicom+json", null, json.getBytes(StandardCharsets.UTF_8)},
                        new Object[]{jpeg, "frames", f1},
                        new Object[]{jpeg, "frames", f2}),
                "Content-Type", "multipart/related; type=\"application/dicom+json\"; boundary=j");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(ingest.received).hasSize(1);
        DicomFile f = DicomReader.read(new ByteArrayInputStream(ingest.received.get(0)), "x", ReadOptions.EVERYTHING);
        assertThat(f.parse().transferSyntax()).isEqualTo(TransferSyntax.JPEG_BASELINE);
        Fragments fragments = f.dataset().fragments(Tag.PixelData).orElseThrow();
        assertThat(fragments.items()).hasSize(3);
        assertThat(fragments.offsetTable().length()).isZero();
        assertThat(fragments.items().get(1).bytesOrNull()).isEqualTo(f1);
        assertThat(fragments.items().get(2).bytesOrNull()).startsWith(f2).hasSize(42);
        List<Attributes> failed = items(body(r), StoreResponse.FailedSOPSequence);
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).string(StoreResponse.ReferencedSOPInstanceUID)).contains("1.2.3.1.1.9");
        assertThat(r.headers().firstValue("Warning").orElseThrow()).contains("'missing'");
    }

    @Test
    void unreadableJsonMetadataIs400() throws Exception {
        HttpResponse<byte[]> r = server.post("/studies", multipart("j",
                        new Object[]{"application/dicom+json", null, "[{\"0008\":".getBytes(StandardCharsets.UTF_8)}),
                "Content-Type", "multipart/related; type=\"application/dicom+json\"; boundary=j");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(ingest.received).isEmpty();
    }
}
