package org.dpacs.bench.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpacs.bench.SyntheticCt;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;

/**
 * The studies that fill the index: the full CT header on a small image, so the index grows by realistic
 * documents while disk use and transfer stay small. Study {@code k} belongs to patient
 * {@code FILL^PATIENT<k, 4 digits>} and is dated {@link #FIRST_DATE} plus 3k days, which gives the QIDO-RS
 * queries known answers: {@code *PATIENT000*} matches studies 0-9, a first-quarter-2023 StudyDate range
 * matches studies 0-29.
 */
record FillSet(Workload workload) {
    static final LocalDate FIRST_DATE = LocalDate.of(2023, 1, 1);
    private static final int SERIES_NUMBER = 0x00200011;

    String studyUid(int study) {
        return SyntheticCt.uid("fill/study/" + study);
    }

    String seriesUid(int study, int series) {
        return SyntheticCt.uid("fill/study/" + study + "/series/" + series);
    }

    static String patientName(int study) {
        return String.format(Locale.ROOT, "FILL^PATIENT%04d", study);
    }

    static String studyDate(int study) {
        return FIRST_DATE.plusDays(3L * study).format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** One request per study: its instances spread over {@link Workload#FILL_SERIES} series. */
    List<StowBatch> batches() {
        int remaining = workload.fillInstances();
        List<StowBatch> batches = new ArrayList<>();
        for (int k = 0; remaining > 0; k++) {
            int count = Math.min(workload.fillBatch(), remaining);
            int study = k;
            batches.add(new StowBatch(count, () -> study(study, count), List.of()));
            remaining -= count;
        }
        return batches;
    }

    private List<HttpRequest.BodyPublisher> study(int study, int count) {
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int series = i % Workload.FILL_SERIES;
            parts.add(HttpRequest.BodyPublishers.ofByteArray(instance(study, series, i / Workload.FILL_SERIES + 1)));
        }
        return parts;
    }

    private byte[] instance(int study, int series, int number) {
        int size = workload.fillSize();
        Attributes header = SyntheticCt.header(studyUid(study), seriesUid(study, series), number);
        Attributes ds = header.toBuilder()
                .setString(Tag.PatientName, Vr.PN, patientName(study))
                .setString(Tag.PatientID, Vr.LO, String.format(Locale.ROOT, "FILL%07d", study))
                .setString(Tag.StudyDate, Vr.DA, studyDate(study))
                .setString(SERIES_NUMBER, Vr.IS, Integer.toString(series + 1))
                .setInts(Tag.Rows, Vr.US, size)
                .setInts(Tag.Columns, Vr.US, size)
                .set(Tag.PixelData, Vr.OW, pixels(size, number))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192 + size * size * 2);
        try {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A diagonal ramp: cheap to make, not all zeros. */
    private static byte[] pixels(int size, int seed) {
        byte[] b = new byte[size * size * 2];
        for (int i = 0; i < size * size; i++) {
            int v = (i / size + i % size + seed) & 0x7FF;
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }
}
