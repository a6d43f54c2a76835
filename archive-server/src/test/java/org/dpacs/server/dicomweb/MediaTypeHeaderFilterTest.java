package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;

class MediaTypeHeaderFilterTest {

    /** Cornerstone's wadors loader and dicomweb-client with omitQuotationForMultipartRequest send these. */
    @Test
    void quotesWhatJerseyCannotParseAndKeepsTheMeaning() {
        String ohif = "multipart/related; type=application/octet-stream; transfer-syntax=*";
        String fixed = MediaTypeHeaderFilter.normalizeList(ohif);
        assertThat(fixed).isEqualTo("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertThat(MediaType.valueOf(fixed).getParameters()).containsEntry("type", "application/octet-stream");
        assertThat(MediaTypeHeaderFilter.normalizeList("application/dicom+json, " + ohif + ";q=0.5"))
                .isEqualTo("application/dicom+json, multipart/related; type=\"application/octet-stream\"; "
                        + "transfer-syntax=*; q=0.5");
        assertThat(MediaTypeHeaderFilter.normalize("multipart/related; type=application/dicom; boundary=a:b"))
                .contains("multipart/related; type=\"application/dicom\"; boundary=\"a:b\"");
    }

    @Test
    void leavesWhatItCannotParse() {
        assertThat(MediaTypeHeaderFilter.normalizeList("garbage, text/html")).isEqualTo("garbage, text/html");
    }
}
