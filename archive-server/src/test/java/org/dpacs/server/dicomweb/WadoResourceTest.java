package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.frame.FrameIndex;
import org.dpacs.dicom.frame.FrameReader;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.TestServer.ReadPart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WadoResourceTest {
    private static final String ST = "1.2.3.1";
    private static final String SE = "1.2.3.1.1";
    private static final String OHIF_FRAMES = "multipart/related; type=application/octet-stream; transfer-syntax=*";
    private static final String JPEG_BASELINE = TransferSyntax.JPEG_BASELINE.uid();

    private final WadoFixture f = new WadoFixture(WadoFixture.tempDir());

    @AfterEach
    void stop() {
        f.close();
    }

    private String instancePath(InstanceRecord r) {
        return "/studies/" + r.studyInstanceUid() + "/series/" + r.seriesInstanceUid() + "/instances/"
                + r.sopInstanceUid();
    }

    @Test
    void retrievesStudyAsStoredObjectsOnePartEach() throws Exception {
        byte[] a = TestDicom.part10(TestDicom.image(ST, SE, "1.2.3.1.1.1", 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] b = TestDicom.part10(TestDicom.image(ST, "1.2.3.1.2", "1.2.3.1.2.1", 2, 4, 4),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        InstanceRecord ra = f.put(a);
        f.put(b);
        HttpResponse<byte[]> r = f.server.get("/studies/" + ST, "Accept", "multipart/related; type=\"application/dicom\"");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("multipart/related; type=\"application/dicom\"");
        List<ReadPart> parts = TestServer.parts(r);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).body()).isEqualTo(a);
        assertThat(parts.get(1).body()).isEqualTo(b);
        assertThat(parts.get(0).contentType()).isEqualTo("application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(parts.get(0).contentLocation()).isEqualTo(f.server.dicomweb() + instancePath(ra));
        assertThat(TestServer.parts(f.server.get("/studies/" + ST + "/series/1.2.3.1.2"))).hasSize(1);
    }

    @Test
    void unknownUidsAndInstancesOutsideTheirPathAre404() throws Exception {
        InstanceRecord r = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.1", 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(f.server.get("/studies/9.9").statusCode()).isEqualTo(404);
        assertThat(f.server.get("/studies/" + ST + "/series/9.9").statusCode()).isEqualTo(404);
        assertThat(f.server.get("/studies/9.9/series/" + SE + "/instances/" + r.sopInstanceUid()).statusCode()).isEqualTo(404);
        assertThat(f.server.get("/studies/" + ST + "/series/9.9/instances/" + r.sopInstanceUid() + "/metadata")
                .statusCode()).isEqualTo(404);
        assertThat(f.server.get("/studies/9.9/metadata").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> missing = f.server.get(instancePath(r).replace(r.sopInstanceUid(), "7.7") + "/frames/1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("7.7");
    }

    @Test
    void transcodesImplicitAndBigEndianToExplicitLittleEndianByDefault() throws Exception {
        Attributes ds = TestDicom.image(ST, SE, "1.2.3.1.1.5", 2, 4, 4);
        for (TransferSyntax stored : List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
            InstanceRecord r = f.put(ds, stored);
            HttpResponse<byte[]> resp = f.server.get(instancePath(r), "Accept", "multipart/related; type=\"application/dicom\"");
            assertThat(resp.statusCode()).isEqualTo(200);
            ReadPart part = TestServer.parts(resp).get(0);
            assertThat(part.contentType()).endsWith("transfer-syntax=1.2.840.10008.1.2.1");
            DicomFile back = DicomReader.read(new ByteArrayInputStream(part.body()), "x", ReadOptions.EVERYTHING);
            assertThat(back.parse().transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(back.fileMetaInformation().string(Tag.TransferSyntaxUID)).contains("1.2.840.10008.1.2.1");
            assertThat(back.dataset()).isEqualTo(ds);
            // Asked for explicitly, the stored syntax comes as it is.
            HttpResponse<byte[]> asIs = f.server.get(instancePath(r), "Accept",
                    "multipart/related; type=\"application/dicom\"; transfer-syntax=" + stored.uid());
            assertThat(TestServer.parts(asIs).get(0).body()).isEqualTo(TestDicom.part10(ds, stored));
        }
    }

    @Test
    void anObjectDamagedAfterStoringIsNeverSentAsAWholeOne() throws Exception {
        InstanceRecord r = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.11", 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] whole = f.store.open(r.objectKey()).readAllBytes();
        f.store.put(r.objectKey(), java.util.Arrays.copyOf(whole, whole.length - 10));
        String any = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
        // The status line is sent before the copy finds the damage, so the response breaks instead of ending.
        assertThatThrownBy(() -> TestServer.parts(f.server.get(instancePath(r), "Accept", any)))
                .isInstanceOfAny(IOException.class, IllegalStateException.class, RuntimeException.class);
    }

    @Test
    void compressedObjectsComeAsStoredOr406() throws Exception {
        InstanceRecord r = f.put(TestDicom.encapsulated(ST, SE, "1.2.3.1.1.9",
                List.of(TestDicom.jpegFrame(1, 100), TestDicom.jpegFrame(2, 51))), TransferSyntax.JPEG_BASELINE);
        HttpResponse<byte[]> explicit = f.server.get(instancePath(r), "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(explicit.statusCode()).isEqualTo(406);
        assertThat(new String(explicit.body(), StandardCharsets.UTF_8)).contains(JPEG_BASELINE);
        HttpResponse<byte[]> any = f.server.get(instancePath(r), "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertThat(TestServer.parts(any).get(0).contentType()).isEqualTo("application/dicom; transfer-syntax=" + JPEG_BASELINE);
        HttpResponse<byte[]> single = f.server.get(instancePath(r), "Accept", "application/dicom");
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(single.headers().firstValue("Content-Type")).contains("application/dicom; transfer-syntax=" + JPEG_BASELINE);
    }

    @Test
    void losslessCompressedObjectsAreNotSentAsStoredUnderTheDefaultSyntax() throws Exception {
        // PS3.18 8.7.3.4: only lossy pixel data may come back as stored when no transfer-syntax is asked for.
        InstanceRecord r = f.put(TestDicom.encapsulated(ST, SE, "1.2.3.1.1.10",
                List.of(TestDicom.jpegFrame(1, 100))), TransferSyntax.RLE_LOSSLESS);
        String dicom = "multipart/related; type=\"application/dicom\"";
        assertThat(f.server.get(instancePath(r), "Accept", dicom).statusCode()).isEqualTo(406);
        HttpResponse<byte[]> any = f.server.get(instancePath(r), "Accept", dicom + "; transfer-syntax=*");
        assertThat(any.statusCode()).isEqualTo(200);
        assertThat(TestServer.parts(any).get(0).contentType())
                .isEqualTo("application/dicom; transfer-syntax=" + TransferSyntax.RLE_LOSSLESS.uid());
    }

    @Test
    void metadataIsAJsonArrayWithAbsoluteBulkDataUrisAndAnEtag() throws Exception {
        InstanceRecord r1 = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.1", 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        f.put(TestDicom.image(ST, SE, "1.2.3.1.1.2", 1, 4, 4), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<byte[]> resp = f.server.get("/studies/" + ST + "/series/" + SE + "/metadata",
                "Accept", "application/dicom+json");
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("Content-Type")).contains("application/dicom+json");
        String json = new String(resp.body(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("[{").endsWith("}]").contains("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Test^Patient\"}]}");
        List<String> uris = bulkDataUris(resp.body());
        String prefix = f.server.dicomweb() + instancePath(r1) + "/bulk/";
        assertThat(uris).contains(prefix + "00420011", prefix + "7FE00010", prefix + "00081115/0/00420011");
        assertThat(uris).hasSize(6);
        String etag = resp.headers().firstValue("ETag").orElseThrow();
        assertThat(f.server.get("/studies/" + ST + "/series/" + SE + "/metadata", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        f.put(TestDicom.image(ST, SE, "1.2.3.1.1.3", 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<byte[]> changed = f.server.get("/studies/" + ST + "/metadata", "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(bulkDataUris(changed.body())).hasSize(9);
    }

    @Test
    void metadataAsMultipartXml() throws Exception {
        InstanceRecord r = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.1", 1, 4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<byte[]> resp = f.server.get(instancePath(r) + "/metadata", "Accept",
                "multipart/related; type=\"application/dicom+xml\"");
        List<ReadPart> parts = TestServer.parts(resp);
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).contentType()).isEqualTo("application/dicom+xml");
        assertThat(new String(parts.get(0).body(), StandardCharsets.UTF_8)).contains("<NativeDicomModel")
                .contains("BulkData uri=\"" + f.server.dicomweb() + instancePath(r) + "/bulk/7FE00010\"");
        assertThat(f.server.get(instancePath(r) + "/metadata", "Accept", "text/html").statusCode()).isEqualTo(406);
        // PS3.18 8.3.3.1: a hyperlink names the media type in the accept query parameter.
        String query = URLEncoder.encode("multipart/related; type=\"application/dicom+xml\"", StandardCharsets.UTF_8);
        HttpResponse<byte[]> linked = f.server.get(instancePath(r) + "/metadata?accept=" + query, "Accept", "*/*");
        assertThat(linked.headers().firstValue("Content-Type").orElseThrow()).contains("application/dicom+xml");
    }

    @Test
    void videoPixelDataIsOneStreamInItsMediaType() throws Exception {
        byte[] a = TestDicom.document(1000);
        byte[] b = TestDicom.document(501);
        InstanceRecord r = f.put(TestDicom.encapsulated(ST, SE, "1.2.3.1.1.20", List.of(a, b)),
                TransferSyntax.MPEG4_HP41);
        HttpResponse<byte[]> resp = f.server.get(instancePath(r) + "/bulk/7FE00010", "Accept", "video/mp4");
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("Content-Type"))
                .contains("video/mp4; transfer-syntax=" + TransferSyntax.MPEG4_HP41.uid());
        assertThat(resp.body()).hasSize(1000 + 502).startsWith(a);
        assertThat(f.server.get(instancePath(r) + "/bulk/7FE00010", "Accept", "video/mpeg").statusCode())
                .isEqualTo(406);
    }

    @Test
    void bulkDataUrisServeTheValueBytes() throws Exception {
        InstanceRecord r = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.1", 2, 4, 4), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        String prefix = instancePath(r) + "/bulk/";
        HttpResponse<byte[]> doc = f.server.get(prefix + "00420011");
        List<ReadPart> parts = TestServer.parts(doc);
        assertThat(parts.get(0).body()).isEqualTo(TestDicom.document(3000));
        assertThat(parts.get(0).contentLocation()).isEqualTo(f.server.dicomweb() + prefix + "00420011");
        HttpResponse<byte[]> nested = f.server.get(prefix + "00081115/0/00420011", "Accept", "application/octet-stream");
        assertThat(nested.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(nested.body()).isEqualTo(TestDicom.document(2000));
        // Big endian pixel data is served little endian (PS3.18 8.7.3.3.1).
        HttpResponse<byte[]> pixels = f.server.get(prefix + "7FE00010", "Accept", OHIF_FRAMES);
        assertThat(TestServer.parts(pixels).get(0).body()).isEqualTo(TestDicom.nativePixels(2, 4, 4));
        assertThat(f.server.get(prefix + "00081115/1/00420011").statusCode()).isEqualTo(404);
        assertThat(f.server.get(prefix + "00100010x").statusCode()).isEqualTo(400);
        assertThat(f.server.get(prefix + "00991234").statusCode()).isEqualTo(404);
    }

    @Test
    void nativeFramesAreOctetStreamPartsWithExactlyTheirBytes() throws Exception {
        InstanceRecord r = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.1", 3, 4, 4), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<byte[]> resp = f.server.get(instancePath(r) + "/frames/3,1", "Accept", OHIF_FRAMES);
        assertThat(resp.statusCode()).isEqualTo(200);
        List<ReadPart> parts = TestServer.parts(resp);
        assertThat(parts).extracting(ReadPart::contentType)
                .containsOnly("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(parts.get(0).body()).isEqualTo(TestDicom.nativeFrame(3, 4, 4, 3));
        assertThat(parts.get(1).body()).isEqualTo(TestDicom.nativeFrame(1, 4, 4, 3));
        assertThat(parts.get(1).contentLocation()).endsWith(instancePath(r) + "/frames/1");
        HttpResponse<byte[]> single = f.server.get(instancePath(r) + "/frames/2", "Accept", "application/octet-stream");
        assertThat(single.body()).isEqualTo(TestDicom.nativeFrame(2, 4, 4, 3));
        assertThat(f.server.get(instancePath(r) + "/frames/4").statusCode()).isEqualTo(404);
        assertThat(f.server.get(instancePath(r) + "/frames/1,4").statusCode()).isEqualTo(404);
        assertThat(f.server.get(instancePath(r) + "/frames/0").statusCode()).isEqualTo(400);
        assertThat(f.server.get(instancePath(r) + "/frames/1,x").statusCode()).isEqualTo(400);
        assertThat(f.server.get(instancePath(r) + "/frames/1", "Accept", "multipart/related; type=\"image/jpeg\"")
                .statusCode()).isEqualTo(406);
    }

    @Test
    void compressedFramesComeInTheirMediaTypeOrAsOctetStream() throws Exception {
        byte[] f1 = TestDicom.jpegFrame(1, 100);
        byte[] f2 = TestDicom.jpegFrame(2, 51);
        InstanceRecord r = f.put(TestDicom.encapsulated(ST, SE, "1.2.3.1.1.9", List.of(f1, f2)), TransferSyntax.JPEG_BASELINE);
        List<ReadPart> ohif = TestServer.parts(f.server.get(instancePath(r) + "/frames/1,2", "Accept", OHIF_FRAMES));
        assertThat(ohif).extracting(ReadPart::contentType)
                .containsOnly("application/octet-stream; transfer-syntax=" + JPEG_BASELINE);
        assertThat(ohif.get(0).body()).isEqualTo(f1);
        // A frame of odd length carries its fragment's padding byte (PS3.5 A.4: fragments have even length).
        assertThat(ohif.get(1).body()).startsWith(f2).hasSize(52);
        List<ReadPart> jpeg = TestServer.parts(f.server.get(instancePath(r) + "/frames/2",
                "Accept", "multipart/related; type=\"image/jpeg\""));
        assertThat(jpeg.get(0).contentType()).isEqualTo("image/jpeg; transfer-syntax=" + JPEG_BASELINE);
        HttpResponse<byte[]> any = f.server.get(instancePath(r) + "/frames/1");
        assertThat(TestServer.parts(any).get(0).contentType()).startsWith("image/jpeg");
        HttpResponse<byte[]> single = f.server.get(instancePath(r) + "/frames/1", "Accept", "image/jpeg");
        assertThat(single.headers().firstValue("Content-Type")).contains("image/jpeg; transfer-syntax=" + JPEG_BASELINE);
        assertThat(single.body()).isEqualTo(f1);
        assertThat(TestServer.parts(f.server.get(instancePath(r) + "/pixeldata", "Accept", OHIF_FRAMES))).hasSize(2);
    }

    @Test
    void aFrameReadsOnlyItsOwnBytesFromTheStore() throws Exception {
        int rows = 512;
        int cols = 512;
        InstanceRecord r = f.put(TestDicom.image(ST, SE, "1.2.3.1.1.1", 8, rows, cols), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        f.store.bytesRead.set(0);
        HttpResponse<byte[]> resp = f.server.get(instancePath(r) + "/frames/5", "Accept", OHIF_FRAMES);
        assertThat(TestServer.parts(resp).get(0).body()).isEqualTo(TestDicom.nativeFrame(5, rows, cols, 8));
        long frameBytes = rows * cols * 2L;
        assertThat(r.size()).isGreaterThan(8 * frameBytes);
        assertThat(f.store.bytesRead.get()).isLessThan(frameBytes + 64 * 1024);
        f.store.bytesRead.set(0);
        f.server.get(instancePath(r) + "/metadata");
        assertThat(f.store.bytesRead.get()).as("metadata skips pixel data").isLessThan(64 * 1024);
    }

    @Test
    void pydicomFramesMatchTheToolkitReadingTheFile() throws Exception {
        assumeTrue(TestDicom.hasPydicom(), "python3-pydicom test files not installed");
        for (String name : List.of("SC_rgb_rle_2frame.dcm", "JPEG-lossy.dcm", "rtdose.dcm", "SC_rgb_small_odd_jpeg.dcm",
                "JPEG2000.dcm", "MR_small_RLE.dcm")) {
            byte[] bytes = TestDicom.pydicom(name);
            InstanceRecord r = f.put(bytes);
            DicomFile file = DicomReader.readFile(TestDicom.PYDICOM.resolve(name), ReadOptions.DEFAULT);
            FrameIndex index = FrameIndex.of(file.dataset(), file.parse().transferSyntax());
            List<Integer> all = new ArrayList<>();
            for (int i = 1; i <= index.frameCount(); i++) {
                all.add(i);
            }
            HttpResponse<byte[]> resp = f.server.get(instancePath(r) + "/frames/"
                    + String.join(",", all.stream().map(String::valueOf).toList()), "Accept", OHIF_FRAMES);
            assertThat(resp.statusCode()).as(name).isEqualTo(200);
            List<ReadPart> parts = TestServer.parts(resp);
            for (int i = 0; i < parts.size(); i++) {
                assertThat(parts.get(i).body()).as(name + " frame " + (i + 1))
                        .isEqualTo(FrameReader.read(index.frame(i + 1), BulkDataResolver.FILES));
            }
        }
    }

    @Test
    void bigEndianAndImplicitFramesEqualTheLittleEndianOnes() throws Exception {
        assumeTrue(TestDicom.hasPydicom(), "python3-pydicom test files not installed");
        List<byte[]> frames = new ArrayList<>();
        for (String name : List.of("MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm")) {
            // The three files share their UIDs: each replaces the previous one in the catalog.
            InstanceRecord r = f.put(TestDicom.pydicom(name));
            frames.add(f.server.get(instancePath(r) + "/frames/1", "Accept", "application/octet-stream").body());
        }
        assertThat(frames.get(0)).hasSize(8192);
        assertThat(frames.get(1)).isEqualTo(frames.get(0));
        assertThat(frames.get(2)).isEqualTo(frames.get(0));
    }

    static List<String> bulkDataUris(byte[] json) throws IOException {
        List<String> uris = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("BulkDataURI")) {
                    p.nextToken();
                    uris.add(p.getText());
                }
            }
        }
        return uris;
    }
}
