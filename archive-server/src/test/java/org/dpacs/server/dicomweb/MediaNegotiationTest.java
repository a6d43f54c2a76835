package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dpacs.server.dicomweb.MediaNegotiation.Offer;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.junit.jupiter.api.Test;

class MediaNegotiationTest {
    private static final String EXPLICIT = "1.2.840.10008.1.2.1";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";

    /** What OHIF v3 (cornerstone wadors loader) sends for frames. */
    private static final String OHIF_FRAMES = "multipart/related; type=application/octet-stream; transfer-syntax=*";
    /** dicomweb-client with OHIF's configured mediaTypes, quoted type parameter. */
    private static final String OHIF_QUOTED = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    /** dicomweb-client retrieveSeriesMetadata / retrieveStudyMetadata. */
    private static final String OHIF_METADATA = "application/dicom+json";
    private static final String OHIF_MIXED =
            "application/dicom+json, multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    private static final Offer JSON = Offer.of(DicomMediaTypes.DICOM_JSON);
    private static final Offer XML = Offer.multipart(DicomMediaTypes.DICOM_XML);

    private static List<Offer> framesOfJpeg() {
        return List.of(Offer.multipart("image/jpeg", JPEG_BASELINE, true),
                Offer.multipart(DicomMediaTypes.OCTET_STREAM, JPEG_BASELINE, true));
    }

    private static List<Offer> framesOfNative() {
        return List.of(Offer.multipart(DicomMediaTypes.OCTET_STREAM, EXPLICIT, false));
    }

    @Test
    void ohifFramesHeaderGetsTheStoredFormAsOctetStream() {
        for (String accept : List.of(OHIF_FRAMES, OHIF_QUOTED, OHIF_MIXED)) {
            Offer chosen = MediaNegotiation.select(accept, framesOfJpeg(), "frames");
            assertThat(chosen.contentTypeHeader()).isEqualTo("application/octet-stream; transfer-syntax=" + JPEG_BASELINE);
            assertThat(MediaNegotiation.select(accept, framesOfNative(), "frames").contentTypeHeader())
                    .isEqualTo("application/octet-stream; transfer-syntax=" + EXPLICIT);
        }
    }

    @Test
    void ohifMetadataHeaderGetsJson() {
        assertThat(MediaNegotiation.select(OHIF_METADATA, List.of(JSON, XML), "metadata")).isEqualTo(JSON);
        assertThat(MediaNegotiation.select(OHIF_MIXED, List.of(JSON, XML), "metadata")).isEqualTo(JSON);
    }

    @Test
    void anythingOrNoHeaderGetsOurPreference() {
        assertThat(MediaNegotiation.select("*/*", framesOfJpeg(), "frames")).isEqualTo(framesOfJpeg().get(0));
        assertThat(MediaNegotiation.select(null, List.of(JSON, XML), "metadata")).isEqualTo(JSON);
        assertThat(MediaNegotiation.select("", List.of(XML, JSON), "metadata")).isEqualTo(XML);
        assertThat(MediaNegotiation.select("text/html,application/xhtml+xml,*/*;q=0.8", List.of(JSON), "x"))
                .isEqualTo(JSON);
    }

    @Test
    void qualityThenSpecificityThenPreference() {
        String accept = "multipart/related; type=\"application/dicom+xml\"; q=0.9, application/dicom+json; q=0.5";
        assertThat(MediaNegotiation.select(accept, List.of(JSON, XML), "metadata")).isEqualTo(XML);
        // Same q: the more specific range wins over the wildcard.
        assertThat(MediaNegotiation.select("*/*, multipart/related; type=\"application/dicom+xml\"",
                List.of(JSON, XML), "metadata")).isEqualTo(XML);
    }

    @Test
    void zeroQualityOnASpecificRangeRefusesWhatAWildcardWouldAllow() {
        String accept = "multipart/related; type=\"image/jpeg\"; q=0, */*";
        assertThat(MediaNegotiation.select(accept, framesOfJpeg(), "frames")).isEqualTo(framesOfJpeg().get(1));
    }

    @Test
    void explicitOtherTransferSyntaxIsNotAcceptable() {
        String accept = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + EXPLICIT;
        assertThatThrownBy(() -> MediaNegotiation.select(accept, framesOfJpeg(), "frame 1 of 1.2.3"))
                .isInstanceOfSatisfying(DpacsException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_ACCEPTABLE))
                .hasMessageContaining(accept).hasMessageContaining("frame 1 of 1.2.3")
                .hasMessageContaining("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE);
    }

    @Test
    void missingTransferSyntaxMeansTheDefaultUnlessOnlyTheStoredFormExists() {
        Offer transcoded = Offer.multipart(DicomMediaTypes.DICOM, EXPLICIT, false);
        Offer stored = Offer.multipart(DicomMediaTypes.DICOM, "1.2.840.10008.1.2", false);
        String accept = "multipart/related; type=\"application/dicom\"";
        assertThat(MediaNegotiation.select(accept, List.of(stored, transcoded), "study")).isEqualTo(transcoded);
        assertThatThrownBy(() -> MediaNegotiation.select(accept, List.of(stored), "study"))
                .isInstanceOf(DpacsException.class);
        // JPEG Lossless SV1 is image/jpeg's default; baseline is acceptable only as the stored form.
        Offer lossless = Offer.multipart("image/jpeg", JPEG_LOSSLESS_SV1, false);
        assertThat(MediaNegotiation.select("multipart/related; type=\"image/jpeg\"", List.of(lossless), "f"))
                .isEqualTo(lossless);
        assertThat(MediaNegotiation.select("multipart/related; type=\"image/jpeg\"",
                List.of(Offer.multipart("image/jpeg", JPEG_BASELINE, true)), "f").transferSyntax()).contains(JPEG_BASELINE);
    }

    @Test
    void singlePartRangesDoNotMatchMultipartOffersAndBack() {
        Offer single = Offer.single(DicomMediaTypes.OCTET_STREAM, EXPLICIT, false);
        Offer multi = Offer.multipart(DicomMediaTypes.OCTET_STREAM, EXPLICIT, false);
        assertThat(MediaNegotiation.select("application/octet-stream", List.of(multi, single), "bulk")).isEqualTo(single);
        assertThat(MediaNegotiation.select("multipart/related; type=application/octet-stream", List.of(single, multi),
                "bulk")).isEqualTo(multi);
        assertThat(MediaNegotiation.select("multipart/related", List.of(single, multi), "bulk")).isEqualTo(multi);
        assertThat(MediaNegotiation.select("multipart/related; type=\"image/*\"", framesOfJpeg(), "f"))
                .isEqualTo(framesOfJpeg().get(0));
    }

    @Test
    void unparseableRangesAreSkipped() {
        assertThat(MediaRange.parseAll("garbage, ;;, application/dicom+json;q=abc, application/dicom+json"))
                .extracting(MediaRange::essence).containsExactly("application/dicom+json");
        assertThat(MediaNegotiation.select("garbage, application/dicom+json", List.of(XML, JSON), "m")).isEqualTo(JSON);
    }

    @Test
    void parsesQuotedParametersWithCommasAndEscapes() {
        List<MediaRange> ranges = MediaRange.parseAll("multipart/related; type=\"a/b\"; x=\"1,2;\\\"3\"; Q=0.4, text/plain");
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0).parameter("type")).contains("a/b");
        assertThat(ranges.get(0).parameter("X")).contains("1,2;\"3");
        assertThat(ranges.get(0).quality()).isEqualTo(0.4);
        assertThat(ranges.get(0).toString()).isEqualTo("multipart/related; type=\"a/b\"; x=\"1,2;\\\"3\"; q=0.4");
    }
}
