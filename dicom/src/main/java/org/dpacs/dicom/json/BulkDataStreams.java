package org.dpacs.dicom.json;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.List;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.BulkDataResolver;

/**
 * Streams over values that are not in memory, in the byte order of the data model (little endian), so writers can
 * copy them with a fixed-size buffer.
 */
public final class BulkDataStreams {
    private static final int ITEM_HEADER = 8;

    private BulkDataStreams() {
    }

    /** The referenced value, little endian whatever its byte order at the source. */
    public static InputStream open(BulkDataRef ref, Vr vr, BulkDataResolver resolver) throws IOException {
        InputStream in = resolver.open(ref);
        return ref.bigEndian() && vr.isSwapped() ? new SwappingInputStream(in, vr == Vr.AT ? 2 : vr.unitSize()) : in;
    }

    /** The whole referenced value in memory, little endian; for text and numbers, which must be decoded anyway. */
    public static byte[] readAll(BulkDataRef ref, Vr vr, BulkDataResolver resolver) throws IOException {
        if (ref.length() > Integer.MAX_VALUE - 8) {
            throw new IOException("Value of " + ref.length() + " bytes is too long to hold in memory");
        }
        try (InputStream in = resolver.open(ref)) {
            byte[] b = in.readNBytes((int) ref.length());
            if (b.length != ref.length()) {
                throw new IOException("Bulk data " + ref + " ended after " + b.length + " bytes");
            }
            if (ref.bigEndian()) {
                BinaryValues.swap(b, 0, b.length, vr);
            }
            return b;
        }
    }

    /**
     * Length of the encapsulated value as stored: every item with its 8-byte header, without the Sequence
     * Delimitation Item. This is the value pydicom holds for encapsulated pixel data and encodes as InlineBinary.
     */
    public static long encapsulatedLength(Fragments fragments) {
        long total = 0;
        for (Fragment f : fragments.items()) {
            total += ITEM_HEADER + (long) f.length();
        }
        return total;
    }

    /** The encapsulated value (see {@link #encapsulatedLength}); unloaded fragments are opened one at a time. */
    public static InputStream openEncapsulated(Fragments fragments, BulkDataResolver resolver) {
        List<Fragment> items = fragments.items();
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next < items.size() * 2;
            }

            @Override
            public InputStream nextElement() {
                Fragment f = items.get(next / 2);
                boolean header = next % 2 == 0;
                next++;
                if (header) {
                    // PS3.5 A.4: (FFFE,E000) and the item length, little endian
                    int len = f.length();
                    return new ByteArrayInputStream(new byte[]{(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0,
                            (byte) len, (byte) (len >>> 8), (byte) (len >>> 16), (byte) (len >>> 24)});
                }
                if (f.isLoaded()) {
                    return new ByteArrayInputStream(f.bytesOrNull());
                }
                try {
                    return resolver.open(new BulkDataRef(fragments.source(), f.offset(), f.length(), false));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return new SequenceInputStream(parts) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        };
    }

    /** Reverses the bytes of each {@code unit}-byte value; a trailing partial unit passes unchanged. */
    static final class SwappingInputStream extends FilterInputStream {
        private final int unit;
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int limit;

        SwappingInputStream(InputStream in, int unit) {
            super(in);
            this.unit = unit;
        }

        private boolean fill() throws IOException {
            int n = in.readNBytes(buffer, 0, buffer.length - buffer.length % unit);
            int whole = n - n % unit;
            for (int i = 0; i < whole; i += unit) {
                for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                    byte t = buffer[lo];
                    buffer[lo] = buffer[hi];
                    buffer[hi] = t;
                }
            }
            pos = 0;
            limit = n;
            return n > 0;
        }

        @Override
        public int read() throws IOException {
            if (pos == limit && !fill()) {
                return -1;
            }
            return buffer[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == limit && !fill()) {
                return -1;
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && (pos < limit || fill())) {
                int step = (int) Math.min(n - skipped, limit - pos);
                pos += step;
                skipped += step;
            }
            return skipped;
        }

        @Override
        public int available() {
            return limit - pos;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
