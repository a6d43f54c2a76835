package org.dpacs.dicom.frame;

import org.dpacs.dicom.data.TransferSyntax;

/**
 * The bytes a codec stream starts with, used to find where frames start when encapsulated pixel data has more
 * fragments than frames and no offset table (PS3.5 A.4: a fragment never holds data of two frames, so every
 * frame starts at the beginning of a fragment).
 *
 * <p>The markers are chosen so that they cannot occur at the start of a continuation fragment of a valid
 * stream: JPEG and JPEG-LS escape 0xFF in entropy-coded data (ITU T.81 B.1.1.5, T.87 A.1), so SOI followed by
 * another marker (FF D8 FF) is unambiguous; JPEG 2000 only guarantees that 0xFF is not followed by a byte
 * above 0x8F, so SOC must be followed by SIZ (FF 4F FF 51, ISO 15444-1 A.4.1, A.5.1), or the stream must start
 * with the JP2 signature box. A coincidental match in data is still possible for JPEG 2000 and JPEG XL, which
 * is why a scan must find exactly Number of Frames starts to be trusted.
 */
enum FrameMarkers {
    JPEG, JPEG_2000, JPEG_XL,
    /** The transfer syntax is not known: any of the markers above. */
    ANY,
    /** Syntaxes whose frames must each be one fragment: RLE (PS3.5 A.4.2), encapsulated uncompressed (A.4.11). */
    NONE;

    /** The longest prefix {@link #startsFrame} looks at. */
    static final int HEAD = 12;

    private static final byte[] SOI = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] SOC_SIZ = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
    private static final byte[] JP2 = {0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, (byte) 0x87, 0x0A};
    private static final byte[] JXL_CODESTREAM = {(byte) 0xFF, 0x0A};
    private static final byte[] JXL_CONTAINER = {0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A, (byte) 0x87, 0x0A};

    static FrameMarkers of(TransferSyntax tsOrNull) {
        if (tsOrNull == null) {
            return ANY;
        }
        String uid = tsOrNull.uid();
        if (uid.equals(TransferSyntax.RLE_LOSSLESS.uid()) || uid.equals(TransferSyntax.ENCAPSULATED_UNCOMPRESSED.uid())) {
            return NONE;
        }
        if (!uid.startsWith("1.2.840.10008.1.2.4.")) {
            return ANY;
        }
        int process = lastComponent(uid);
        if (process >= 50 && process <= 81) {
            return JPEG; // JPEG processes 1-29 (.50-.66, .70) and JPEG-LS (.80, .81) all open with SOI
        }
        if ((process >= 90 && process <= 93) || (process >= 201 && process <= 203)) {
            return JPEG_2000;
        }
        if (process >= 110 && process <= 112) {
            return JPEG_XL;
        }
        return ANY;
    }

    /** True for MPEG-2, MPEG-4 AVC and HEVC syntaxes, whose frames form one stream (PS3.5 8.2.5 to 8.2.8). */
    static boolean isVideo(TransferSyntax tsOrNull) {
        if (tsOrNull == null || !tsOrNull.uid().startsWith("1.2.840.10008.1.2.4.")) {
            return false;
        }
        int process = lastComponent(tsOrNull.uid());
        return process >= 100 && process <= 108;
    }

    private static int lastComponent(String uid) {
        try {
            return Integer.parseInt(uid.substring(uid.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a fragment starting with {@code head} (up to {@link #HEAD} bytes) starts a frame. */
    boolean startsFrame(byte[] head) {
        return switch (this) {
            case JPEG -> startsWith(head, SOI);
            case JPEG_2000 -> startsWith(head, SOC_SIZ) || startsWith(head, JP2);
            case JPEG_XL -> startsWith(head, JXL_CODESTREAM) || startsWith(head, JXL_CONTAINER);
            case ANY -> JPEG.startsFrame(head) || JPEG_2000.startsFrame(head) || JPEG_XL.startsFrame(head);
            case NONE -> false;
        };
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    String describe() {
        return switch (this) {
            case JPEG -> "JPEG SOI marker (FF D8 FF)";
            case JPEG_2000 -> "JPEG 2000 SOC and SIZ markers (FF 4F FF 51) or JP2 signature";
            case JPEG_XL -> "JPEG XL signature (FF 0A or container)";
            case ANY -> "JPEG, JPEG 2000 or JPEG XL start marker";
            case NONE -> "(none)";
        };
    }
}
