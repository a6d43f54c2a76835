package org.dpacs.server.index;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.server.catalog.InstanceRecord;

/** Builds instance headers for index tests: a CT-like image with the attributes QIDO cares about. */
final class TestInstances {
    static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
    static final String SR_DOC = "1.2.840.10008.5.1.4.1.1.88.11";

    private TestInstances() {
    }

    /** Fluent description of one instance; {@link #build(long)} makes it with a catalog seq. */
    static final class Spec {
        String study = "1.2.3";
        String series = "1.2.3.1";
        String sop = "1.2.3.1.1";
        String sopClass = CT_IMAGE;
        String modality = "CT";
        String patientName = "Doe^John";
        String patientId = "P1";
        String studyDate = "20200115";
        String studyTime = "101500";
        String studyDescription = "CT Chest";
        String seriesDescription = "Axial";
        String accession = "A1";
        String charset = null;
        int seriesNumber = 1;
        int instanceNumber = 1;
        Consumer<Attributes.Builder> extra = b -> { };

        Spec study(String uid) {
            study = uid;
            return this;
        }

        Spec series(String uid) {
            series = uid;
            return this;
        }

        Spec sop(String uid) {
            sop = uid;
            return this;
        }

        Spec sopClass(String uid) {
            sopClass = uid;
            return this;
        }

        Spec modality(String m) {
            modality = m;
            return this;
        }

        Spec patient(String name, String id) {
            patientName = name;
            patientId = id;
            return this;
        }

        Spec date(String date, String time) {
            studyDate = date;
            studyTime = time;
            return this;
        }

        Spec description(String study, String series) {
            studyDescription = study;
            seriesDescription = series;
            return this;
        }

        Spec accession(String a) {
            accession = a;
            return this;
        }

        Spec numbers(int seriesNo, int instanceNo) {
            seriesNumber = seriesNo;
            instanceNumber = instanceNo;
            return this;
        }

        Spec charset(String terms) {
            charset = terms;
            return this;
        }

        Spec with(Consumer<Attributes.Builder> more) {
            extra = extra.andThen(more);
            return this;
        }

        IndexedInstance build(long seq) {
            Attributes.Builder b = new Attributes.Builder();
            if (charset != null) {
                b.setString(Tag.SpecificCharacterSet, Vr.CS, charset.split("\\\\", -1));
            }
            b.setString(Tag.SOPClassUID, Vr.UI, sopClass);
            b.setString(Tag.SOPInstanceUID, Vr.UI, sop);
            if (studyDate != null) {
                b.setString(Tag.StudyDate, Vr.DA, studyDate);
            }
            if (studyTime != null) {
                b.setString(0x00080030, Vr.TM, studyTime);
            }
            if (accession != null) {
                b.setString(0x00080050, Vr.SH, accession);
            }
            b.setString(Tag.Modality, Vr.CS, modality);
            b.setString(0x00080090, Vr.PN, "Welby^Marcus");
            if (studyDescription != null) {
                b.setString(0x00081030, Vr.LO, studyDescription);
            }
            if (seriesDescription != null) {
                b.setString(0x0008103E, Vr.LO, seriesDescription);
            }
            b.setString(Tag.PatientName, Vr.PN, patientName);
            b.setString(Tag.PatientID, Vr.LO, patientId);
            b.setString(0x00100030, Vr.DA, "19700101");
            b.setString(0x00100040, Vr.CS, "M");
            b.setString(Tag.StudyInstanceUID, Vr.UI, study);
            b.setString(Tag.SeriesInstanceUID, Vr.UI, series);
            b.setString(0x00200010, Vr.SH, "S1");
            b.setString(0x00200011, Vr.IS, Integer.toString(seriesNumber));
            b.setString(0x00200013, Vr.IS, Integer.toString(instanceNumber));
            b.setInts(Tag.Rows, Vr.US, 512);
            b.setInts(Tag.Columns, Vr.US, 512);
            b.setInts(Tag.BitsAllocated, Vr.US, 16);
            b.set(Tag.PixelData, Vr.OW, new BulkDataRef("objects/" + sop, 1000, 512 * 512 * 2, false));
            extra.accept(b);
            InstanceRecord r = new InstanceRecord(seq, study, series, sop, sopClass, "1.2.840.10008.1.2.1",
                    "objects/" + sop, 1000 + 512 * 512 * 2, "sha", Instant.EPOCH);
            return new IndexedInstance(r, b.build());
        }
    }

    static Spec spec() {
        return new Spec();
    }

    /** A code sequence item (Code Value, Coding Scheme Designator, Code Meaning). */
    static Sequence code(String value, String scheme, String meaning) {
        Attributes item = new Attributes.Builder()
                .setString(0x00080100, Vr.SH, value)
                .setString(0x00080102, Vr.SH, scheme)
                .setString(0x00080104, Vr.LO, meaning)
                .build();
        return new Sequence(List.of(item));
    }
}
