package org.dpacs.dicom.frame;

import java.util.List;
import java.util.OptionalInt;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.frame.FrameException.Reason;
import org.dpacs.dicom.frame.FrameLocation.ByteRange;

/**
 * Native pixel data: frames follow each other without gaps (PS3.5 8.1.1), {@code frameBits} bits each. Frames of
 * 1-bit data are bit-packed across byte boundaries, so a frame whose size is not a multiple of 8 bits is given
 * as the bytes covering it plus the bit where it starts.
 */
record NativeFrames(String source, long offset, long frameBits, boolean bigEndian) implements FrameIndex.Layout {
    private static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;

    static NativeFrames of(Attributes ds, int tag, BulkDataRef ref, int frames) {
        long rows = required(ds, Tag.Rows);
        long columns = required(ds, Tag.Columns);
        long samples = samplesPerPixel(ds);
        int bitsAllocated = bitsAllocated(ds, tag);
        long frameBits = rows * columns * samples * bitsAllocated;
        if (frameBits <= 0) {
            throw new FrameException(Reason.CORRUPT, "Frames of " + rows + " x " + columns + " x " + samples
                    + " samples are empty");
        }
        long needed = (Math.multiplyExact(frameBits, frames) + 7) / 8;
        if (needed > ref.length()) {
            throw new FrameException(Reason.CORRUPT, Tag.toString(tag) + " in " + ref.source() + " holds "
                    + ref.length() + " bytes, but " + frames + " frame(s) of " + rows + " rows x " + columns
                    + " columns x " + samples + " samples x " + bitsAllocated + " bits need " + needed);
        }
        if (ref.bigEndian() && frameBits % 16 != 0 && frames > 1) {
            // Big endian OW swaps 16-bit words, so a frame that does not end on a word boundary shares a word
            // with the next one in an order PS3.5 does not define for bit-packed data.
            throw new FrameException(Reason.UNSUPPORTED, "Frames of " + frameBits + " bits in big endian OW do"
                    + " not start on 16-bit word boundaries; such frames cannot be separated");
        }
        return new NativeFrames(ref.source(), ref.offset(), frameBits, ref.bigEndian());
    }

    private static long required(Attributes ds, int tag) {
        OptionalInt value = ds.integer(tag);
        if (value.isEmpty() || value.getAsInt() <= 0) {
            throw new FrameException(Reason.CORRUPT, (value.isEmpty() ? "Missing " : "Invalid ")
                    + Tag.toString(tag) + ", needed to size native frames");
        }
        return value.getAsInt();
    }

    /**
     * PS3.3 C.7.6.3.1.2: native YBR_FULL_422 (and the retired YBR_PARTIAL_422) stores two luminance samples per
     * pair of chrominance samples, so each pixel takes two samples, not three.
     */
    private static long samplesPerPixel(Attributes ds) {
        int samples = ds.integer(Tag.SamplesPerPixel, 1);
        String photometric = ds.string(PHOTOMETRIC_INTERPRETATION, "");
        return samples == 3 && photometric.startsWith("YBR_") && photometric.endsWith("_422") ? 2 : samples;
    }

    /** PS3.3 C.7.6.3.1: BitsAllocated is 1 or a multiple of 8; float pixel data is 32 and double 64 bits. */
    private static int bitsAllocated(Attributes ds, int tag) {
        int fixed = tag == Tag.FloatPixelData ? 32 : tag == Tag.DoubleFloatPixelData ? 64 : 0;
        if (fixed != 0) {
            int declared = ds.integer(Tag.BitsAllocated, fixed);
            if (declared != fixed) {
                throw new FrameException(Reason.CORRUPT, Tag.toString(tag) + " has " + fixed
                        + " bits per sample but Bits Allocated (0028,0100) is " + declared);
            }
            return fixed;
        }
        int bits = (int) required(ds, Tag.BitsAllocated);
        if (bits != 1 && bits % 8 != 0) {
            throw new FrameException(Reason.UNSUPPORTED, "Bits Allocated (0028,0100) is " + bits
                    + "; native frames need 1 or a multiple of 8");
        }
        return bits;
    }

    @Override
    public FrameLocation frame(int index) {
        long startBit = index * frameBits;
        long start = offset + startBit / 8;
        if (frameBits % 8 == 0) {
            return new FrameLocation(source, List.of(new ByteRange(start, frameBits / 8)), 0, frameBits, bigEndian);
        }
        int bitOffset = (int) (startBit % 8);
        long covering = (bitOffset + frameBits + 7) / 8;
        return new FrameLocation(source, List.of(new ByteRange(start, covering)), bitOffset, frameBits, bigEndian);
    }

    @Override
    public boolean encapsulated() {
        return false;
    }
}
