package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.server.dimse.QueryModel.Level;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.index.MatchKey;
import org.dpacs.server.index.QidoLevel;
import org.dpacs.server.index.QidoQuery;
import org.junit.jupiter.api.Test;

/** A C-FIND identifier becomes the QIDO-RS search it means (PS3.4 C.4.1.1.3.1, C.2.2.2). */
class IdentifierQueryTest {
    private static final int STUDY_DATE = 0x00080020;
    private static final int PROCEDURE_CODE_SEQUENCE = 0x00081032;
    private static final int CODE_VALUE = 0x00080100;
    private static final int OTHER_PATIENT_IDS_SEQUENCE = 0x00101002;

    @Test
    void keysWithValuesMatchAndEmptyKeysAreReturned() {
        Attributes code = new Attributes.Builder().setString(CODE_VALUE, Vr.SH, "X1").build();
        Attributes id = new Attributes.Builder()
                .setString(QueryModel.QUERY_RETRIEVE_LEVEL, Vr.CS, "STUDY")
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192")
                .setString(Tag.PatientName, Vr.PN, "Mül*")
                .setString(STUDY_DATE, Vr.DA, "20200101-")
                .set(Tag.StudyInstanceUID, Vr.UI, new byte[0])
                .set(PROCEDURE_CODE_SEQUENCE, Vr.SQ, new Sequence(List.of(code)))
                .set(OTHER_PATIENT_IDS_SEQUENCE, Vr.SQ, Sequence.EMPTY)
                .set(IdentifierQuery.RETRIEVE_AE_TITLE, Vr.AE, new byte[0])
                .build();
        QidoQuery q = IdentifierQuery.toQuery(Level.STUDY, id, 50);
        assertThat(q.level()).isEqualTo(QidoLevel.STUDY);
        assertThat(q.limit()).isEqualTo(50);
        assertThat(q.keys()).extracting(MatchKey::name).containsExactlyInAnyOrder("00100010", "00080020",
                "00081032.00080100");
        assertThat(q.keys()).filteredOn(k -> k.tag() == Tag.PatientName).first()
                .extracting(MatchKey::condition).isEqualTo(new MatchKey.Values(List.of("Mül*")));
        assertThat(q.includeFields()).contains(Tag.StudyInstanceUID, PROCEDURE_CODE_SEQUENCE,
                OTHER_PATIENT_IDS_SEQUENCE);
    }

    @Test
    void aMatchingKeyBelowTheLevelIsRefusedAsQidoRefusesIt() {
        Attributes id = new Attributes.Builder().setString(0x0008103E, Vr.LO, "AX*").build();
        assertThatThrownBy(() -> IdentifierQuery.toQuery(Level.STUDY, id, 10))
                .isInstanceOfSatisfying(DpacsException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_REQUEST));
        // Without a value it is a return key of a lower level: ignored, as QIDO-RS ignores it in includefield.
        Attributes empty = new Attributes.Builder().set(0x0008103E, Vr.LO, new byte[0]).build();
        assertThat(IdentifierQuery.toQuery(Level.STUDY, empty, 10).includeFields()).doesNotContain(0x0008103E);
    }

    @Test
    void patientLevelTakesPatientKeysOnly() {
        Attributes id = new Attributes.Builder().setString(STUDY_DATE, Vr.DA, "20200101").build();
        assertThatThrownBy(() -> IdentifierQuery.toQuery(Level.PATIENT, id, 10))
                .isInstanceOf(IdentifierException.class).hasMessageContaining("not a Patient level key");
        QidoQuery q = IdentifierQuery.toQuery(Level.PATIENT,
                new Attributes.Builder().setString(Tag.PatientID, Vr.LO, "P1").build(), 10);
        assertThat(q.level()).isEqualTo(QidoLevel.STUDY);
        assertThat(q.includeFields()).contains(IdentifierQuery.NUMBER_OF_STUDY_RELATED_SERIES,
                IdentifierQuery.NUMBER_OF_STUDY_RELATED_INSTANCES);
    }

    @Test
    void studyRootHasNoPatientLevel() {
        Attributes id = new Attributes.Builder().setString(QueryModel.QUERY_RETRIEVE_LEVEL, Vr.CS, "PATIENT").build();
        assertThat(QueryModel.PATIENT_ROOT.level(id)).isEqualTo(Level.PATIENT);
        assertThatThrownBy(() -> QueryModel.STUDY_ROOT.level(id)).isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> QueryModel.STUDY_ROOT.level(Attributes.EMPTY)).isInstanceOf(IdentifierException.class);
    }
}
