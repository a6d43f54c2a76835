package org.dpacs.server.dicomweb;

import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.TransferSyntax;

/**
 * The DICOMweb media types (PS3.18 8.7.3) and which transfer syntaxes go with them: the media type a compressed
 * frame is served in (Table 8.7.3-5) and the default transfer syntax of each media type, which applies when a
 * request names a media type without a {@code transfer-syntax} parameter.
 */
public final class DicomMediaTypes {
    public static final String MULTIPART_RELATED = "multipart/related";
    public static final String DICOM = "application/dicom";
    public static final String DICOM_JSON = "application/dicom+json";
    public static final String DICOM_XML = "application/dicom+xml";
    public static final String JSON = "application/json";
    public static final String OCTET_STREAM = "application/octet-stream";

    public static final String EXPLICIT_VR_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    /** PS3.18 Table 8.7.3-5: compressed Bulkdata (frames) by transfer syntax. */
    private static final Map<String, String> BY_TRANSFER_SYNTAX = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.4.50", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.51", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.57", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.70", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.80", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.81", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.90", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.91", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.92", "image/jpx"),
            Map.entry("1.2.840.10008.1.2.4.93", "image/jpx"),
            Map.entry("1.2.840.10008.1.2.4.201", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.202", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.203", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.110", "image/jxl"),
            Map.entry("1.2.840.10008.1.2.4.111", "image/jxl"),
            Map.entry("1.2.840.10008.1.2.4.112", "image/jxl"),
            Map.entry("1.2.840.10008.1.2.5", "image/dicom-rle"),
            Map.entry("1.2.840.10008.1.2.4.100", "video/mpeg"),
            Map.entry("1.2.840.10008.1.2.4.101", "video/mpeg"),
            Map.entry("1.2.840.10008.1.2.4.102", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.103", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.104", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.105", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.106", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.107", "video/H265"),
            Map.entry("1.2.840.10008.1.2.4.108", "video/H265"));

    /** The "D" (default) rows of PS3.18 Tables 8.7.3-2, -4 and -5. */
    private static final Map<String, String> DEFAULT_TRANSFER_SYNTAX = Map.ofEntries(
            Map.entry(DICOM, EXPLICIT_VR_LE),
            Map.entry(OCTET_STREAM, EXPLICIT_VR_LE),
            Map.entry("image/jpeg", "1.2.840.10008.1.2.4.70"),
            Map.entry("image/jls", "1.2.840.10008.1.2.4.80"),
            Map.entry("image/jp2", "1.2.840.10008.1.2.4.90"),
            Map.entry("image/jpx", "1.2.840.10008.1.2.4.92"),
            Map.entry("image/jphc", "1.2.840.10008.1.2.4.201"),
            Map.entry("image/jxl", "1.2.840.10008.1.2.4.110"),
            Map.entry("image/dicom-rle", "1.2.840.10008.1.2.5"),
            Map.entry("video/mpeg", "1.2.840.10008.1.2.4.100"),
            Map.entry("video/mp4", "1.2.840.10008.1.2.4.102"),
            Map.entry("video/h265", "1.2.840.10008.1.2.4.107"));

    private DicomMediaTypes() {
    }

    /** The media type of a compressed frame in {@code transferSyntaxUid}; empty for native and unknown syntaxes. */
    public static Optional<String> ofCompressed(String transferSyntaxUid) {
        return Optional.ofNullable(BY_TRANSFER_SYNTAX.get(transferSyntaxUid));
    }

    /** The transfer syntax a media type means when no {@code transfer-syntax} parameter is given. */
    public static Optional<String> defaultTransferSyntax(String essence) {
        return Optional.ofNullable(DEFAULT_TRANSFER_SYNTAX.get(essence.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The transfer syntax a compressed bulk data part means: its parameter, else its media type's default. */
    public static Optional<String> transferSyntaxOf(MediaRange part) {
        return part.parameter("transfer-syntax").or(() -> defaultTransferSyntax(part.essence()));
    }
}
