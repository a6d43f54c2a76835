package org.dpacs.dicom.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;

/**
 * Writes data sets in any transfer syntax the reader reads, as Part 10 files or bare data sets. It is also a
 * {@link DicomHandler}, so a reader can be piped straight into it (sequences then have undefined length).
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(path)) {
 *     DicomWriter.writeFile(out, dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
 * }
 * }</pre>
 */
public final class DicomWriter implements DicomHandler {
    private static final int UNDEFINED = 0xFFFFFFFF;

    private final OutputStream out;
    private final boolean explicit;
    private final boolean bigEndian;
    private final boolean encapsulated;
    private final WriteOptions options;
    private final byte[] header = new byte[12];
    private byte[] copyBuffer;

    private DicomWriter(OutputStream out, TransferSyntax ts, WriteOptions options) {
        this.out = out;
        this.explicit = ts.explicitVr();
        this.bigEndian = ts.bigEndian();
        this.encapsulated = ts.encapsulated();
        this.options = options;
    }

    /** Writes preamble, File Meta Information (built from the data set's SOP UIDs) and the data set. */
    public static void writeFile(OutputStream out, Attributes dataset, TransferSyntax ts, WriteOptions options)
            throws IOException {
        writeFile(out, FileMetaInformation.of(dataset, ts.uid()), dataset, ts, options);
    }

    /**
     * Writes preamble, {@code fmi} (its group length recomputed; its Transfer Syntax UID must name {@code ts})
     * and the data set.
     */
    public static void writeFile(OutputStream out, Attributes fmi, Attributes dataset, TransferSyntax ts,
                                 WriteOptions options) throws IOException {
        String declared = fmi.string(Tag.TransferSyntaxUID).orElse("");
        if (!declared.equals(ts.uid())) {
            throw new IllegalArgumentException("File Meta Information names transfer syntax '" + declared
                    + "' but the data set is to be written in " + ts.uid());
        }
        BufferedOutputStream buffered = new BufferedOutputStream(out, 8 * 1024);
        buffered.write(new byte[128]);
        buffered.write(new byte[]{'D', 'I', 'C', 'M'});
        writeFileMetaInformation(buffered, fmi, options);
        writeDataset(buffered, dataset, ts, options);
        buffered.flush();
    }

    /** PS3.10 7.1: group 0002 is explicit VR little endian and starts with its group length. */
    private static void writeFileMetaInformation(OutputStream out, Attributes fmi, WriteOptions options) throws IOException {
        ByteArrayOutputStream group = new ByteArrayOutputStream(256);
        DicomWriter w = new DicomWriter(group, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, options);
        for (int i = 0; i < fmi.size(); i++) {
            if (Tag.group(fmi.tagAt(i)) == 0x0002 && fmi.tagAt(i) != Tag.FileMetaInformationGroupLength) {
                w.writeElement(fmi, i);
            }
        }
        w.out.flush();
        DicomWriter head = new DicomWriter(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, options);
        head.writeHeader(Tag.FileMetaInformationGroupLength, Vr.UL, 4);
        head.writeInt(group.size());
        group.writeTo(out);
    }

    /** Writes a bare data set (no preamble, no File Meta Information), deflating when {@code ts} says so. */
    public static void writeDataset(OutputStream out, Attributes dataset, TransferSyntax ts, WriteOptions options)
            throws IOException {
        if (ts.deflated()) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // PS3.5 A.5: raw deflate
            try {
                DeflaterOutputStream deflating = new DeflaterOutputStream(nonClosing(out), deflater, 8192);
                new DicomWriter(deflating, ts, options).writeElements(dataset, true);
                deflating.finish();
            } finally {
                deflater.end();
            }
        } else {
            new DicomWriter(out, ts, options).writeElements(dataset, true);
        }
        out.flush();
    }

    /** A writer of handler events onto {@code out}, in {@code ts} (not deflated), sequences of undefined length. */
    public static DicomWriter forEvents(OutputStream out, TransferSyntax ts, WriteOptions options) {
        if (ts.deflated()) {
            throw new IllegalArgumentException("Deflate the stream around the event writer yourself: " + ts.uid());
        }
        return new DicomWriter(out, ts, options.withUndefinedLengthSequences(true));
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * Writes a data set's elements except group lengths, which are retired (PS3.5 7.2) and wrong as soon as the
     * encoding changes, and except group 0002 at the top level, which belongs in the File Meta Information only
     * (a stray (0002,0010) in the data set would redefine the transfer syntax for the next reader).
     */
    private void writeElements(Attributes dataset, boolean topLevel) throws IOException {
        for (int i = 0; i < dataset.size(); i++) {
            int tag = dataset.tagAt(i);
            if (Tag.isGroupLength(tag) || (topLevel && Tag.group(tag) == 0x0002)) {
                continue;
            }
            writeElement(dataset, i);
        }
    }

    private void writeElement(Attributes dataset, int i) throws IOException {
        int tag = dataset.tagAt(i);
        Vr vr = dataset.vrAt(i);
        switch (dataset.valueAt(i)) {
            case byte[] b -> element(tag, vr, b);
            case BulkDataRef ref -> bulkData(tag, vr, ref);
            case Fragments f -> fragments(tag, vr, f);
            case Sequence s -> writeSequence(tag, s);
            default -> throw new IllegalStateException("Unexpected value at " + Tag.toString(tag));
        }
    }

    private void writeSequence(int tag, Sequence s) throws IOException {
        boolean undefined = options.undefinedLengthSequences();
        writeHeader(tag, Vr.SQ, undefined ? UNDEFINED : (int) Sizes.sequenceContent(s, explicit, false));
        for (Attributes item : s.items()) {
            writeTagAndLength(Tag.Item, undefined ? UNDEFINED : (int) Sizes.dataset(item, explicit, false));
            writeElements(item, false);
            if (undefined) {
                writeTagAndLength(Tag.ItemDelimitationItem, 0);
            }
        }
        if (undefined) {
            writeTagAndLength(Tag.SequenceDelimitationItem, 0);
        }
    }

    @Override
    public void element(int tag, Vr vr, byte[] value) throws IOException {
        if (Tag.isGroupLength(tag) && Tag.group(tag) != 0x0002) {
            return; // retired (PS3.5 7.2) and wrong once re-encoded; see writeElements
        }
        int length = value.length;
        Vr written = Sizes.headerVr(vr, length, explicit);
        writeHeader(tag, written, length + (length & 1));
        // Swap by the VR actually written: a value demoted to UN keeps its little endian bytes.
        if (bigEndian && written.isSwapped()) {
            byte[] swapped = value.clone();
            BinaryValues.swap(swapped, 0, length, vr);
            out.write(swapped);
        } else {
            out.write(value);
        }
        if ((length & 1) == 1) {
            out.write(vr.padding());
        }
    }

    @Override
    public void bulkData(int tag, Vr vr, BulkDataRef ref) throws IOException {
        if (ref.length() > 0xFFFFFFFEL) {
            throw new IllegalArgumentException("Bulk data of " + Tag.toString(tag) + " is too long for one element");
        }
        int length = (int) ref.length();
        Vr written = Sizes.headerVr(vr, length, explicit);
        writeHeader(tag, written, length + (length & 1));
        copy(ref, written.isSwapped() && ref.bigEndian() != bigEndian ? written : null);
        if ((length & 1) == 1) {
            out.write(vr.padding());
        }
    }

    private void copy(BulkDataRef ref, Vr swapAs) throws IOException {
        if (copyBuffer == null) {
            copyBuffer = new byte[64 * 1024];
        }
        long left = ref.length();
        try (InputStream in = options.resolver().open(ref)) {
            int carry = 0;
            while (left > 0) {
                int n = in.read(copyBuffer, carry, (int) Math.min(copyBuffer.length - carry, left));
                if (n < 0) {
                    throw new IOException("Bulk data source " + ref.source() + " ended " + left
                            + " bytes before the referenced length");
                }
                left -= n;
                int have = carry + n;
                int whole = swapAs == null || left == 0 ? have : have - have % 8;
                if (swapAs != null) {
                    BinaryValues.swap(copyBuffer, 0, whole, swapAs);
                }
                out.write(copyBuffer, 0, whole);
                carry = have - whole;
                System.arraycopy(copyBuffer, whole, copyBuffer, 0, carry);
            }
        }
    }

    @Override
    public void fragments(int tag, Vr vr, Fragments fragments) throws IOException {
        if (!encapsulated) {
            throw new IllegalArgumentException("Encapsulated pixel data cannot be written in a native transfer syntax; "
                    + "decompress it first or keep the stored transfer syntax");
        }
        writeHeader(tag, Vr.OB, UNDEFINED);
        for (Fragment f : fragments.items()) {
            int length = f.length();
            writeTagAndLength(Tag.Item, length + (length & 1));
            if (f.isLoaded()) {
                out.write(f.bytesOrNull());
            } else {
                copy(new BulkDataRef(fragments.source(), f.offset(), length, false), null);
            }
            if ((length & 1) == 1) {
                out.write(0);
            }
        }
        writeTagAndLength(Tag.SequenceDelimitationItem, 0);
    }

    @Override
    public void startSequence(int tag, Vr vr) throws IOException {
        writeHeader(tag, Vr.SQ, UNDEFINED);
    }

    @Override
    public void startItem() throws IOException {
        writeTagAndLength(Tag.Item, UNDEFINED);
    }

    @Override
    public void endItem() throws IOException {
        writeTagAndLength(Tag.ItemDelimitationItem, 0);
    }

    @Override
    public void endSequence() throws IOException {
        writeTagAndLength(Tag.SequenceDelimitationItem, 0);
    }

    @Override
    public void endDataset() throws IOException {
        out.flush();
    }

    /** PS3.5 7.1.2/7.1.3: tag, then VR and a 16- or 32-bit length in explicit VR, a 32-bit length in implicit. */
    private void writeHeader(int tag, Vr vr, int length) throws IOException {
        putShort(0, Tag.group(tag));
        putShort(2, Tag.element(tag));
        if (!explicit) {
            putInt(4, length);
            out.write(header, 0, 8);
        } else if (vr.isLongHeader()) {
            header[4] = (byte) vr.name().charAt(0);
            header[5] = (byte) vr.name().charAt(1);
            header[6] = 0;
            header[7] = 0;
            putInt(8, length);
            out.write(header, 0, 12);
        } else {
            header[4] = (byte) vr.name().charAt(0);
            header[5] = (byte) vr.name().charAt(1);
            putShort(6, length);
            out.write(header, 0, 8);
        }
    }

    /** PS3.5 7.5: items and delimiters have no VR in any transfer syntax. */
    private void writeTagAndLength(int tag, int length) throws IOException {
        putShort(0, Tag.group(tag));
        putShort(2, Tag.element(tag));
        putInt(4, length);
        out.write(header, 0, 8);
    }

    private void writeInt(int v) throws IOException {
        putInt(0, v);
        out.write(header, 0, 4);
    }

    private void putShort(int at, int v) {
        if (bigEndian) {
            header[at] = (byte) (v >> 8);
            header[at + 1] = (byte) v;
        } else {
            header[at] = (byte) v;
            header[at + 1] = (byte) (v >> 8);
        }
    }

    private void putInt(int at, int v) {
        if (bigEndian) {
            header[at] = (byte) (v >> 24);
            header[at + 1] = (byte) (v >> 16);
            header[at + 2] = (byte) (v >> 8);
            header[at + 3] = (byte) v;
        } else {
            header[at] = (byte) v;
            header[at + 1] = (byte) (v >> 8);
            header[at + 2] = (byte) (v >> 16);
            header[at + 3] = (byte) (v >> 24);
        }
    }
}
