package org.dpacs.dicom.frame;

import java.io.IOException;
import java.util.Objects;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.DicomValueException;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.frame.FrameException.Reason;
import org.dpacs.dicom.io.BulkDataResolver;

/**
 * The byte ranges of every frame of a data set's pixel data, found without reading any frame, so that frame N
 * (1-based, as WADO-RS numbers them) can be served by range reads of the stored object.
 *
 * <p>The data set must have been read with its pixel data left in the source ({@code ReadOptions.DEFAULT}):
 * native pixel data as a {@link BulkDataRef}, encapsulated pixel data as {@link Fragments} (loaded or not,
 * their offsets address the source). Pixel data held in memory as bytes cannot be located and gives
 * {@link Reason#UNSUPPORTED}; so do deflated data sets when their transfer syntax is given (their fragment
 * offsets address the inflated stream, which {@link #of(Attributes)} cannot tell).
 *
 * <p>Native frames (PS3.5 8.1.1) are Rows × Columns × SamplesPerPixel × BitsAllocated bits each, for
 * (7FE0,0010), (7FE0,0008) and (7FE0,0009). Encapsulated frames (PS3.5 A.4) are found, in this order, from the
 * Extended Offset Table; one fragment per frame when there are as many fragments as frames; all fragments
 * when there is one frame; the Basic Offset Table; and finally by scanning fragment starts for the codec's
 * start-of-image marker (see {@link FrameMarkers}). Offsets that do not point at fragment items, and scans that
 * find a different number of frames than Number of Frames, are {@link Reason#CORRUPT}: a wrong frame is never
 * served.
 *
 * <p>Building the index reads nothing for native data, and for encapsulated data at most the Basic Offset
 * Table and the first 12 bytes of each fragment (the latter only when scanning). Immutable and thread-safe.
 *
 * <pre>{@code
 * DicomFile f = DicomReader.readFile(path, ReadOptions.DEFAULT);
 * FrameIndex index = FrameIndex.of(f.dataset(), f.parse().transferSyntax());
 * byte[] frame = FrameReader.read(index.frame(3), BulkDataResolver.FILES);
 * }</pre>
 */
public final class FrameIndex {

    /** How one kind of pixel data maps a frame index (0-based) to its location. */
    interface Layout {
        FrameLocation frame(int index);

        boolean encapsulated();
    }

    private final String source;
    private final int frameCount;
    private final Layout layout;

    private FrameIndex(String source, int frameCount, Layout layout) {
        this.source = source;
        this.frameCount = frameCount;
        this.layout = layout;
    }

    /**
     * Indexes a data set whose transfer syntax is not known (markers of every codec are accepted when
     * scanning) and whose source is a file path ({@link BulkDataResolver#FILES}).
     *
     * @throws FrameException when there is no pixel data or it cannot be indexed
     * @throws IOException    when reading the Basic Offset Table or fragment starts fails
     */
    public static FrameIndex of(Attributes dataset) throws IOException {
        return build(dataset, null, BulkDataResolver.FILES);
    }

    /** Indexes a data set read from a file in {@code transferSyntax} (see {@link #of(Attributes)}). */
    public static FrameIndex of(Attributes dataset, TransferSyntax transferSyntax) throws IOException {
        return of(dataset, transferSyntax, BulkDataResolver.FILES);
    }

    /**
     * Indexes a data set read in {@code transferSyntax} from sources that {@code resolver} opens; the resolver
     * is used only for the Basic Offset Table and fragment starts.
     */
    public static FrameIndex of(Attributes dataset, TransferSyntax transferSyntax, BulkDataResolver resolver)
            throws IOException {
        return build(dataset, Objects.requireNonNull(transferSyntax, "transferSyntax"),
                Objects.requireNonNull(resolver, "resolver"));
    }

    private static FrameIndex build(Attributes dataset, TransferSyntax tsOrNull, BulkDataResolver resolver)
            throws IOException {
        int tag = pixelDataTag(dataset);
        Object value = dataset.valueAt(dataset.indexOf(tag));
        int frames = numberOfFrames(dataset);
        if (tsOrNull != null && tsOrNull.deflated()) {
            throw new FrameException(Reason.UNSUPPORTED, "Frames of a deflated data set (" + tsOrNull.uid()
                    + ") cannot be located in the file: its offsets address the inflated stream");
        }
        return switch (value) {
            case BulkDataRef ref -> new FrameIndex(ref.source(), frames, NativeFrames.of(dataset, tag, ref, frames));
            case Fragments f -> new FrameIndex(f.source(), frames,
                    EncapsulatedFrames.locate(dataset, f, frames, tsOrNull, resolver));
            default -> throw new FrameException(Reason.UNSUPPORTED, Tag.toString(tag)
                    + " is held in memory, so its frames have no place in a source; read the data set with"
                    + " ReadOptions.DEFAULT to leave pixel data in the file");
        };
    }

    /** (7FE0,0010), else (7FE0,0008), else (7FE0,0009): PS3.3 C.7.6.3 allows only one of them. */
    private static int pixelDataTag(Attributes dataset) {
        for (int tag : new int[]{Tag.PixelData, Tag.FloatPixelData, Tag.DoubleFloatPixelData}) {
            if (dataset.contains(tag)) {
                return tag;
            }
        }
        throw new FrameException(Reason.NO_PIXEL_DATA,
                "The data set has no Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009)");
    }

    /** Number of Frames (0028,0008), 1 when absent (PS3.3 C.7.6.6: single-frame objects may omit it). */
    private static int numberOfFrames(Attributes dataset) {
        int frames;
        try {
            frames = dataset.integer(Tag.NumberOfFrames, 1);
        } catch (DicomValueException e) {
            throw new FrameException(Reason.CORRUPT, "Number of Frames (0028,0008) is not a number: " + e.getMessage());
        }
        if (frames < 1) {
            throw new FrameException(Reason.CORRUPT, "Number of Frames (0028,0008) is " + frames + "; it must be at least 1");
        }
        return frames;
    }

    /** The number of frames, at least 1. */
    public int frameCount() {
        return frameCount;
    }

    /** The source the frames are in, as the reader named it (a file path for files). */
    public String source() {
        return source;
    }

    /** True for encapsulated (compressed) pixel data, whose frames are codec streams rather than pixels. */
    public boolean isEncapsulated() {
        return layout.encapsulated();
    }

    /**
     * The location of frame {@code number}, counted from 1.
     *
     * @throws FrameException with {@link Reason#NO_SUCH_FRAME} when {@code number} is not in 1 to {@link #frameCount()}
     */
    public FrameLocation frame(int number) {
        if (number < 1 || number > frameCount) {
            throw new FrameException(Reason.NO_SUCH_FRAME, "Frame " + number + " does not exist: " + source
                    + (frameCount == 1 ? " has only frame 1" : " has frames 1 to " + frameCount));
        }
        return layout.frame(number - 1);
    }

    @Override
    public String toString() {
        return "FrameIndex[" + source + ", " + frameCount + (layout.encapsulated() ? " encapsulated" : " native")
                + " frames]";
    }
}
