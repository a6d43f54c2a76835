package org.dpacs.server.dicomweb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;

/** Small generated instances and the pydicom sample files (Debian python3-pydicom), for the resource tests. */
final class TestDicom {
    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    /** (0042,0011) Encapsulated Document, OB: a bulk data value outside pixel data. */
    static final int ENCAPSULATED_DOCUMENT = 0x00420011;
    /** (0008,1115) Referenced Series Sequence, holding a bulk value one level down. */
    static final int REFERENCED_SERIES_SEQUENCE = 0x00081115;

    private TestDicom() {
    }

    /** Native 16-bit monochrome frames, {@code rows} x {@code cols}, pixel values from a formula. */
    static Attributes image(String study, String series, String sop, int frames, int rows, int cols) {
        return base(study, series, sop, frames, rows, cols, 16)
                .set(Tag.PixelData, Vr.OW, nativePixels(frames, rows, cols))
                .build();
    }

    static byte[] nativePixels(int frames, int rows, int cols) {
        byte[] px = new byte[frames * rows * cols * 2];
        for (int i = 0; i < px.length / 2; i++) {
            int v = (i * 7 + i / (rows * cols)) & 0xFFFF;
            px[2 * i] = (byte) v;
            px[2 * i + 1] = (byte) (v >> 8);
        }
        return px;
    }

    /** One native frame of {@link #image}, little endian. */
    static byte[] nativeFrame(int frame, int rows, int cols, int frames) {
        byte[] all = nativePixels(frames, rows, cols);
        int size = rows * cols * 2;
        return java.util.Arrays.copyOfRange(all, (frame - 1) * size, frame * size);
    }

    /** Encapsulated pixel data: one fragment per frame after an empty Basic Offset Table. */
    static Attributes encapsulated(String study, String series, String sop, List<byte[]> frames) {
        List<Fragment> items = new ArrayList<>();
        items.add(Fragment.loaded(0, new byte[0]));
        frames.forEach(f -> items.add(Fragment.loaded(0, f)));
        return base(study, series, sop, frames.size(), 8, 8, 8)
                .set(Tag.PixelData, Vr.OB, new Fragments(Vr.OB, "memory", items))
                .build();
    }

    /** A fake JPEG codestream: SOI, some bytes, EOI, so frame scanners see a frame start. */
    static byte[] jpegFrame(int n, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        b[3] = (byte) 0xE0;
        b[length - 2] = (byte) 0xFF;
        b[length - 1] = (byte) 0xD9;
        return b;
    }

    /** A value long enough to be bulk data in metadata (over 1 KB). */
    static byte[] document(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static Attributes.Builder base(String study, String series, String sop, int frames, int rows, int cols,
                                           int bits) {
        Attributes item = new Attributes.Builder()
                .setString(Tag.SeriesInstanceUID, Vr.UI, series)
                .set(ENCAPSULATED_DOCUMENT, Vr.OB, document(2000))
                .build();
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, CT_IMAGE_STORAGE)
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.Modality, Vr.CS, "CT")
                .set(REFERENCED_SERIES_SEQUENCE, Vr.SQ, new Sequence(List.of(item)))
                .setString(Tag.PatientName, Vr.PN, "Test^Patient")
                .setString(Tag.PatientID, Vr.LO, "P1")
                .setString(Tag.StudyInstanceUID, Vr.UI, study)
                .setString(Tag.SeriesInstanceUID, Vr.UI, series)
                .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                .setString(0x00280004, Vr.CS, "MONOCHROME2")
                .setString(Tag.NumberOfFrames, Vr.IS, Integer.toString(frames))
                .setInts(Tag.Rows, Vr.US, rows)
                .setInts(Tag.Columns, Vr.US, cols)
                .setInts(Tag.BitsAllocated, Vr.US, bits)
                .setInts(0x00280101, Vr.US, bits)
                .setInts(0x00280102, Vr.US, bits - 1)
                .setInts(Tag.PixelRepresentation, Vr.US, 0)
                .set(ENCAPSULATED_DOCUMENT, Vr.OB, document(3000));
    }

    static byte[] part10(Attributes ds, TransferSyntax ts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomWriter.writeFile(out, ds, ts, WriteOptions.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] pydicom(String name) throws IOException {
        return Files.readAllBytes(PYDICOM.resolve(name));
    }

    static boolean hasPydicom() {
        return Files.isDirectory(PYDICOM);
    }
}
