package org.dpacs.server.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ParseResult;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;

/**
 * The rest of an instance after its header: Pixel Data, copied to storage byte for byte while it is parsed (so a
 * lying length or a truncated stream rejects the object instead of storing a broken one), then whatever follows
 * it (private groups above 7FE0, Digital Signatures, padding), which is small, read into memory, de-identified
 * like the header and written again. Without that second part, identifying attributes placed after the pixels
 * would reach storage untouched.
 *
 * <p>The copy lags the parse by {@link #LAG} bytes: the reader looks ahead of the element it parses, so the bytes
 * it has read are not all Pixel Data; only once the parse stops at the first element after Pixel Data is the
 * boundary known, and the copy ends exactly there.
 */
final class PixelDataTail {
    /** More than the reader ever reads ahead of the element it is on (its buffer is 16 KB). */
    static final int LAG = 64 * 1024;
    /** The first tag after Pixel Data: the parse of the pixels stops there. */
    private static final int AFTER_PIXEL_DATA = Tag.PixelData + 1;
    /** Values of the pixel part above this stay references (for BulkDataURIs); they are never held. */
    private static final int BULK_THRESHOLD = 1024;

    private PixelDataTail() {
    }

    /**
     * Copies the tail to {@code out}; returns its attributes for the index (Pixel Data as a reference, trailing
     * attributes as stored). {@code deidentify} is applied to the trailing attributes; anything it adds below
     * Pixel Data (the header already has the de-identification record) is left out.
     */
    static Attributes copy(InputStream tail, OutputStream out, TransferSyntax ts, String source,
                           UnaryOperator<Attributes> deidentify, long maxTrailingBytes) throws IOException {
        LaggingCopy lagging = new LaggingCopy(tail, out);
        AttributesCollector pixels = new AttributesCollector();
        DicomReader reader = DicomReader.forDataset(lagging, source, ts,
                ReadOptions.DEFAULT.withBulkThreshold(BULK_THRESHOLD).withStopAt(AFTER_PIXEL_DATA));
        ParseResult parsed = reader.parse(pixels);
        if (!parsed.stopped()) {
            lagging.flushAll();
            return pixels.dataset();
        }
        lagging.flushUpTo(parsed.endOffset());
        AttributesCollector trailing = new AttributesCollector();
        DicomReader.forDataset(reader.remainingInput(), source, ts, ReadOptions.EVERYTHING.withMaxBytes(maxTrailingBytes))
                .parse(trailing);
        Attributes kept = afterPixelData(deidentify.apply(trailing.dataset()));
        DicomWriter.writeDataset(out, kept, ts, WriteOptions.DEFAULT);
        Attributes.Builder all = pixels.dataset().toBuilder();
        for (int i = 0; i < kept.size(); i++) {
            all.set(kept.tagAt(i), kept.vrAt(i), kept.valueAt(i));
        }
        return all.build();
    }

    private static Attributes afterPixelData(Attributes a) {
        Attributes.Builder b = a.toBuilder();
        for (int i = 0; i < a.size(); i++) {
            if (Integer.compareUnsigned(a.tagAt(i), Tag.PixelData) <= 0) {
                b.remove(a.tagAt(i));
            }
        }
        return b.build();
    }

    /**
     * Passes reads through and copies the bytes to {@code out}, holding back the last {@link #LAG} of them until
     * the caller says where the copy ends. Skips read (and so copy) instead of skipping.
     */
    static final class LaggingCopy extends FilterInputStream {
        private final OutputStream out;
        /** Grows to what is held (at most LAG plus one read): a small instance never allocates a large buffer. */
        private byte[] pending = new byte[16 * 1024];
        private int head;
        private int tail;
        /** Bytes read so far, and bytes already handed to {@code out}. */
        private long read;
        private long written;

        LaggingCopy(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                hold(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(64 * 1024, Math.max(1, n))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        private void hold(byte[] b, int off, int n) throws IOException {
            if (tail + n > pending.length) {
                int count = tail - head;
                if (count + n > pending.length) {
                    pending = Arrays.copyOfRange(pending, head, head + Math.max(2 * pending.length, count + n));
                } else {
                    System.arraycopy(pending, head, pending, 0, count);
                }
                head = 0;
                tail = count;
            }
            System.arraycopy(b, off, pending, tail, n);
            tail += n;
            read += n;
            int over = tail - head - LAG;
            if (over > 0) {
                out.write(pending, head, over);
                head += over;
                written += over;
            }
        }

        /** Copies the held bytes up to absolute position {@code end} and drops the rest (read ahead, not ours). */
        void flushUpTo(long end) throws IOException {
            if (end < written || end > read) {
                throw new IllegalStateException("Pixel Data ends at byte " + end + " of the tail, but " + written
                        + " bytes were already copied and " + read + " read; the reader looked ahead more than "
                        + LAG + " bytes");
            }
            int n = (int) (end - written);
            out.write(pending, head, n);
            head += n;
            written += n;
            head = tail;
        }

        /** Reads to the end of the input and copies everything held. */
        void flushAll() throws IOException {
            transferTo(OutputStream.nullOutputStream());
            out.write(pending, head, tail - head);
            written += tail - head;
            head = tail;
        }
    }
}
