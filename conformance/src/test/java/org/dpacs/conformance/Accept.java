package org.dpacs.conformance;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Accept header values the suite sends (PS3.18 8.7), and the media type of each compressed transfer syntax. */
final class Accept {

    static final String DICOM_JSON = "application/dicom+json";
    /** PS3.18 Table 8.7.3-2: without a transfer-syntax parameter the default is Explicit VR Little Endian. */
    static final String INSTANCES = "multipart/related; type=\"application/dicom\"";
    /** PS3.18 8.7.3.5.2: "*" lets the origin server pick, so the stored transfer syntax can be sent unchanged. */
    static final String INSTANCES_ANY_TS = INSTANCES + "; transfer-syntax=*";
    /** PS3.18 Table 8.7.3-4: uncompressed bulk data, default Explicit VR Little Endian. */
    static final String OCTET_STREAM = "multipart/related; type=\"application/octet-stream\"";
    static final String OCTET_STREAM_ANY_TS = OCTET_STREAM + "; transfer-syntax=*";
    /** What OHIF's dicomweb-client sends for metadata and frames alike. */
    static final String OHIF = DICOM_JSON + ", " + OCTET_STREAM_ANY_TS;

    /** PS3.18 Table 8.7.3-5: the single-frame media type of each compressed transfer syntax. */
    private static final Map<String, String> PIXEL_MEDIA_TYPES = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.4.50", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.51", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.57", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.70", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.5", "image/dicom-rle"),
            Map.entry("1.2.840.10008.1.2.4.80", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.81", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.90", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.91", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.92", "image/jpx"),
            Map.entry("1.2.840.10008.1.2.4.93", "image/jpx"));

    /** Lossless transfer syntaxes an origin server must be able to decode to Explicit VR Little Endian (8.7.3.4). */
    static final Set<String> LOSSLESS_COMPRESSED = Set.of(
            "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.92");

    private Accept() {
    }

    static Optional<String> pixelMediaType(String transferSyntax) {
        return Optional.ofNullable(PIXEL_MEDIA_TYPES.get(transferSyntax));
    }
}
