package org.dpacs.dicom.frame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.frame.FrameException.Reason;
import org.dpacs.dicom.frame.FrameLocation.ByteRange;
import org.dpacs.dicom.io.BulkDataResolver;

/**
 * Encapsulated pixel data (PS3.5 A.4): each frame is a run of consecutive fragments, given by the index of its
 * first fragment; the last frame runs to the last fragment. With an Extended Offset Table the frame's length
 * is known too and trims the padding of its last fragment.
 */
final class EncapsulatedFrames implements FrameIndex.Layout {
    /** Item tag and length: PS3.5 A.4 offsets point at the item tag, fragment offsets at the value. */
    private static final int ITEM_HEADER = 8;

    private final String source;
    private final List<Fragment> fragments;
    private final int[] firstFragment;
    private final long[] lengthsOrNull;

    private EncapsulatedFrames(String source, List<Fragment> fragments, int[] firstFragment, long[] lengthsOrNull) {
        this.source = source;
        this.fragments = fragments;
        this.firstFragment = firstFragment;
        this.lengthsOrNull = lengthsOrNull;
    }

    static EncapsulatedFrames locate(Attributes ds, Fragments pixelData, int frames, TransferSyntax tsOrNull,
                                     BulkDataResolver resolver) throws IOException {
        String source = pixelData.source();
        List<Fragment> fragments = pixelData.dataFragments();
        if (fragments.isEmpty()) {
            throw new FrameException(Reason.CORRUPT, "Encapsulated pixel data in " + source + " has no fragments");
        }
        if (FrameMarkers.isVideo(tsOrNull)) {
            throw new FrameException(Reason.UNSUPPORTED, "Frames of " + tsOrNull.name()
                    + " are one video stream (PS3.5 8.2); they cannot be located one by one");
        }
        if (ds.contains(Tag.ExtendedOffsetTable)) {
            long[] offsets = longs(ds, Tag.ExtendedOffsetTable, resolver);
            int[] starts = startsFromOffsets(offsets, fragments, frames, "Extended Offset Table (7FE0,0001)", source);
            long[] lengths = ds.contains(Tag.ExtendedOffsetTableLengths)
                    ? checkedLengths(longs(ds, Tag.ExtendedOffsetTableLengths, resolver), starts, fragments, source)
                    : null;
            return new EncapsulatedFrames(source, fragments, starts, lengths);
        }
        if (fragments.size() < frames) {
            throw new FrameException(Reason.CORRUPT, source + " has " + frames + " frames but only "
                    + fragments.size() + " fragments; PS3.5 A.4 needs at least one fragment per frame");
        }
        if (fragments.size() == frames) {
            // Every frame has at least one fragment, so this is the only possible split (and RLE's rule, A.4.2).
            return new EncapsulatedFrames(source, fragments, identity(frames), null);
        }
        if (frames == 1) {
            return new EncapsulatedFrames(source, fragments, new int[]{0}, null);
        }
        Fragment bot = pixelData.offsetTable();
        if (bot.length() > 0) {
            long[] offsets = basicOffsets(bytes(bot, source, resolver), source);
            return new EncapsulatedFrames(source, fragments,
                    startsFromOffsets(offsets, fragments, frames, "Basic Offset Table", source), null);
        }
        return new EncapsulatedFrames(source, fragments, scan(fragments, frames, tsOrNull, source, resolver), null);
    }

    private static int[] identity(int n) {
        int[] starts = new int[n];
        Arrays.setAll(starts, i -> i);
        return starts;
    }

    /** PS3.5 A.4 Table A.4-1: the Basic Offset Table is 32-bit little endian offsets. */
    private static long[] basicOffsets(byte[] bot, String source) {
        if (bot.length % 4 != 0) {
            throw new FrameException(Reason.CORRUPT, "Basic Offset Table of " + source + " is " + bot.length
                    + " bytes long, not a multiple of 4");
        }
        return BinaryValues.longs(bot, Vr.UL);
    }

    /** The 64-bit values of (7FE0,0001) or (7FE0,0002), held in memory or left in the source. */
    private static long[] longs(Attributes ds, int tag, BulkDataResolver resolver) throws IOException {
        Object value = ds.valueAt(ds.indexOf(tag));
        byte[] bytes;
        if (value instanceof byte[] b) {
            bytes = b;
        } else if (value instanceof BulkDataRef ref) {
            bytes = FrameReader.readRange(resolver, ref.source(), ref.offset(), ref.length());
        } else {
            throw new FrameException(Reason.CORRUPT, Tag.toString(tag) + " is not an OV value");
        }
        if (bytes.length % 8 != 0) {
            throw new FrameException(Reason.CORRUPT, Tag.toString(tag) + " is " + bytes.length
                    + " bytes long, not a multiple of 8");
        }
        return BinaryValues.longs(bytes, Vr.OV);
    }

    /**
     * Maps offsets (relative to the item tag of the first fragment, PS3.5 A.4) to the fragments they point at,
     * checking that each points exactly at a fragment item, the first at the first fragment, and that they
     * increase.
     */
    private static int[] startsFromOffsets(long[] offsets, List<Fragment> fragments, int frames, String table,
                                           String source) {
        if (offsets.length != frames) {
            throw new FrameException(Reason.CORRUPT, table + " of " + source + " lists " + offsets.length
                    + " frames but Number of Frames is " + frames);
        }
        long base = fragments.get(0).offset() - ITEM_HEADER;
        int[] starts = new int[frames];
        for (int i = 0; i < frames; i++) {
            int fragment = offsets[i] < 0 ? -1 : fragmentAt(fragments, base + offsets[i]);
            if (fragment < 0) {
                throw new FrameException(Reason.CORRUPT, table + " of " + source + " gives frame " + (i + 1)
                        + " offset " + Long.toUnsignedString(offsets[i]) + ", which is not the start of a fragment item");
            }
            if (i == 0 && fragment != 0) {
                throw new FrameException(Reason.CORRUPT, table + " of " + source + " gives frame 1 offset "
                        + offsets[0] + "; the first frame starts at the first fragment (offset 0)");
            }
            if (i > 0 && fragment <= starts[i - 1]) {
                throw new FrameException(Reason.CORRUPT, table + " of " + source + " gives frame " + (i + 1)
                        + " offset " + offsets[i] + ", not after frame " + i + "'s offset " + offsets[i - 1]);
            }
            starts[i] = fragment;
        }
        return starts;
    }

    /** The index of the fragment whose item tag is at {@code itemStart}, or -1. */
    private static int fragmentAt(List<Fragment> fragments, long itemStart) {
        int lo = 0;
        int hi = fragments.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long start = fragments.get(mid).offset() - ITEM_HEADER;
            if (start < itemStart) {
                lo = mid + 1;
            } else if (start > itemStart) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** PS3.3 C.7.6.3.1.8: the Extended Offset Table Lengths give each frame's byte length; it must fit its fragments. */
    private static long[] checkedLengths(long[] lengths, int[] starts, List<Fragment> fragments, String source) {
        if (lengths.length != starts.length) {
            throw new FrameException(Reason.CORRUPT, "Extended Offset Table Lengths (7FE0,0002) of " + source
                    + " lists " + lengths.length + " frames but the Extended Offset Table " + starts.length);
        }
        for (int i = 0; i < starts.length; i++) {
            long available = 0;
            for (int f = starts[i]; f < end(starts, i, fragments.size()); f++) {
                available += fragments.get(f).length();
            }
            if (lengths[i] <= 0 || lengths[i] > available) {
                throw new FrameException(Reason.CORRUPT, "Extended Offset Table Lengths (7FE0,0002) of " + source
                        + " gives frame " + (i + 1) + " " + Long.toUnsignedString(lengths[i])
                        + " bytes, but its fragments hold " + available);
            }
        }
        return lengths;
    }

    private static int end(int[] starts, int frame, int fragmentCount) {
        return frame + 1 < starts.length ? starts[frame + 1] : fragmentCount;
    }

    /**
     * Finds frame starts by the codec's start marker at the beginning of each fragment. Trusted only when the
     * first fragment starts with it and exactly {@code frames} fragments do; otherwise the split is ambiguous
     * and refused rather than guessed.
     */
    private static int[] scan(List<Fragment> fragments, int frames, TransferSyntax tsOrNull, String source,
                              BulkDataResolver resolver) throws IOException {
        FrameMarkers markers = FrameMarkers.of(tsOrNull);
        String syntax = tsOrNull == null ? "an unknown transfer syntax" : tsOrNull.name();
        if (markers == FrameMarkers.NONE) {
            throw new FrameException(Reason.CORRUPT, source + " has " + fragments.size() + " fragments for "
                    + frames + " frames, but " + syntax + " puts each frame in exactly one fragment (PS3.5 A.4)");
        }
        List<Integer> starts = new ArrayList<>(frames);
        for (int i = 0; i < fragments.size(); i++) {
            if (markers.startsFrame(head(fragments.get(i), source, resolver))) {
                starts.add(i);
            }
        }
        if (starts.size() != frames || starts.get(0) != 0) {
            throw new FrameException(Reason.CORRUPT, "Cannot tell where the " + frames + " frames of " + source
                    + " start: the Basic Offset Table is empty and " + starts.size() + " of its "
                    + fragments.size() + " fragments start with a " + markers.describe()
                    + (starts.isEmpty() || starts.get(0) == 0 ? "" : ", the first fragment not among them"));
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] head(Fragment fragment, String source, BulkDataResolver resolver) throws IOException {
        int n = Math.min(FrameMarkers.HEAD, fragment.length());
        return fragment.isLoaded() ? Arrays.copyOf(fragment.bytesOrNull(), n)
                : FrameReader.readRange(resolver, source, fragment.offset(), n);
    }

    private static byte[] bytes(Fragment fragment, String source, BulkDataResolver resolver) throws IOException {
        return fragment.isLoaded() ? fragment.bytesOrNull()
                : FrameReader.readRange(resolver, source, fragment.offset(), fragment.length());
    }

    @Override
    public FrameLocation frame(int index) {
        long left = lengthsOrNull == null ? Long.MAX_VALUE : lengthsOrNull[index];
        List<ByteRange> ranges = new ArrayList<>();
        for (int f = firstFragment[index]; f < end(firstFragment, index, fragments.size()) && left > 0; f++) {
            Fragment fragment = fragments.get(f);
            long length = Math.min(fragment.length(), left);
            ranges.add(new ByteRange(fragment.offset(), length));
            left -= length;
        }
        return FrameLocation.of(source, ranges);
    }

    @Override
    public boolean encapsulated() {
        return true;
    }
}
