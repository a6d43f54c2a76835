package org.dpacs.server.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Copies stored DICOM JSON (as the index keeps it, with BulkDataURIs relative to the DICOMweb root such as
 * {@code studies/1/series/2/instances/3/bulk/7FE00010}) to a response, making every BulkDataURI absolute under
 * the base URL the client sees. Token by token: nothing but the current token is held.
 */
final class MetadataJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private MetadataJson() {
    }

    /** Writes the JSON value in {@code json} to {@code out}, BulkDataURIs resolved against {@code base}. */
    static void copyWithBase(byte[] json, String base, JsonGenerator out) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            boolean uriNext = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (uriNext && t == JsonToken.VALUE_STRING) {
                    out.writeString(absolute(base, p.getText()));
                } else {
                    out.copyCurrentEvent(p);
                }
                uriNext = t == JsonToken.FIELD_NAME && p.currentName().equals("BulkDataURI");
            }
        }
    }

    /** A URI with a scheme is kept; anything else is relative to the DICOMweb root (RFC 3986 5.2). */
    static String absolute(String base, String uri) {
        if (uri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return uri;
        }
        return base + (uri.startsWith("/") ? "" : "/") + uri;
    }
}
