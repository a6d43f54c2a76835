package org.dpacs.dicom.data;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A transfer syntax and the encoding facts the codec needs (PS3.5 Section 10 and Annex A).
 *
 * <p>Every transfer syntax that is not one of the three native ones (implicit VR LE, explicit VR LE,
 * explicit VR BE) or deflate is explicit VR little endian with encapsulated pixel data (PS3.5 A.4), so an
 * unknown UID is read that way; {@link #of(String)} returns such a record for it.
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated) {

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);
    public static final TransferSyntax ENCAPSULATED_UNCOMPRESSED =
            encapsulated("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian");
    public static final TransferSyntax JPEG_BASELINE = encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)");
    public static final TransferSyntax JPEG_EXTENDED = encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)");
    public static final TransferSyntax JPEG_LOSSLESS =
            encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");
    public static final TransferSyntax JPEG_LOSSLESS_SV1 =
            encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction");
    public static final TransferSyntax JPEG_LS_LOSSLESS = encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless");
    public static final TransferSyntax JPEG_LS_NEAR_LOSSLESS = encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless");
    public static final TransferSyntax JPEG_2000_LOSSLESS = encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)");
    public static final TransferSyntax JPEG_2000 = encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000");
    public static final TransferSyntax MPEG2_MAIN = encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level");
    public static final TransferSyntax MPEG4_HP41 = encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1");
    public static final TransferSyntax HTJ2K_LOSSLESS = encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)");
    public static final TransferSyntax HTJ2K_RPCL =
            encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)");
    public static final TransferSyntax HTJ2K = encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000");
    public static final TransferSyntax RLE_LOSSLESS = encapsulated("1.2.840.10008.1.2.5", "RLE Lossless");

    private static final Map<String, TransferSyntax> KNOWN = List.of(
                    IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
                    EXPLICIT_VR_BIG_ENDIAN, ENCAPSULATED_UNCOMPRESSED, JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS,
                    JPEG_LOSSLESS_SV1, JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS, JPEG_2000_LOSSLESS, JPEG_2000,
                    MPEG2_MAIN, MPEG4_HP41, HTJ2K_LOSSLESS, HTJ2K_RPCL, HTJ2K, RLE_LOSSLESS,
                    encapsulated("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)"),
                    encapsulated("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component"),
                    encapsulated("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
                    encapsulated("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
                    encapsulated("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
                    encapsulated("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
                    encapsulated("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
                    encapsulated("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
                    encapsulated("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
                    encapsulated("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
                    encapsulated("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
                    encapsulated("1.2.840.10008.1.2.4.112", "JPEG XL"))
            .stream().collect(Collectors.toUnmodifiableMap(TransferSyntax::uid, Function.identity()));

    private static TransferSyntax encapsulated(String uid, String name) {
        return new TransferSyntax(uid, name, true, false, false, true);
    }

    /** The known transfer syntax with this UID, or an explicit VR LE encapsulated one named by its UID. */
    public static TransferSyntax of(String uid) {
        TransferSyntax known = KNOWN.get(uid);
        return known != null ? known : new TransferSyntax(uid, uid, true, false, false, true);
    }

    public static boolean isKnown(String uid) {
        return KNOWN.containsKey(uid);
    }

    /** Native (not encapsulated) pixel data: the three uncompressed syntaxes and deflate. */
    public boolean isNative() {
        return !encapsulated;
    }
}
