package org.dpacs.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.junit.jupiter.api.Test;

class QidoQueryTest {

    private static QidoQuery parse(QidoLevel level, String... keyValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.computeIfAbsent(keyValues[i], k -> new ArrayList<>()).add(keyValues[i + 1]);
        }
        return QidoQuery.parse(level, params, Optional.empty(), Optional.empty(), 100, 1000);
    }

    private static MatchKey onlyKey(QidoQuery q) {
        assertThat(q.keys()).hasSize(1);
        return q.keys().get(0);
    }

    private static void assertBadRequest(QidoLevel level, String message, String... keyValues) {
        assertThatThrownBy(() -> parse(level, keyValues))
                .isInstanceOfSatisfying(DpacsException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_REQUEST))
                .hasMessageContaining(message);
    }

    @Test
    void keywordsAndTagsNameTheSameAttribute() {
        MatchKey byKeyword = onlyKey(parse(QidoLevel.STUDY, "PatientID", "P1"));
        MatchKey byTag = onlyKey(parse(QidoLevel.STUDY, "00100020", "P1"));
        assertThat(byKeyword).isEqualTo(byTag);
        assertThat(byKeyword.tag()).isEqualTo(Tag.PatientID);
        assertThat(byKeyword.vr()).isEqualTo(Vr.LO);
        assertThat(byKeyword.condition()).isEqualTo(new MatchKey.Values(List.of("P1")));
    }

    @Test
    void anEmptyValueIsUniversalMatchingAndQuotesAskForEmptyValues() {
        assertThat(onlyKey(parse(QidoLevel.STUDY, "PatientName", "")).condition()).isInstanceOf(MatchKey.Universal.class);
        assertThat(onlyKey(parse(QidoLevel.STUDY, "PatientName", "*")).condition())
                .isInstanceOf(MatchKey.Universal.class);
        assertThat(onlyKey(parse(QidoLevel.STUDY, "AccessionNumber", "\"\"")).condition())
                .isInstanceOf(MatchKey.Empty.class);
    }

    @Test
    void uidListsAreSplitAtBackslashesAndCommas() {
        MatchKey k = onlyKey(parse(QidoLevel.STUDY, "StudyInstanceUID", "1.2.3\\1.2.4,1.2.5"));
        assertThat(k.condition()).isEqualTo(new MatchKey.Values(List.of("1.2.3", "1.2.4", "1.2.5")));
        MatchKey repeated = onlyKey(parse(QidoLevel.STUDY, "StudyInstanceUID", "1.2.3", "0020000D", "1.2.4"));
        assertThat(repeated.condition()).isEqualTo(new MatchKey.Values(List.of("1.2.3", "1.2.4")));
    }

    @Test
    void rangesOfDatesTimesAndDateTimes() {
        assertThat(onlyKey(parse(QidoLevel.STUDY, "StudyDate", "20200101-20201231")).condition())
                .isEqualTo(new MatchKey.Range(20200101, 20201231));
        assertThat(onlyKey(parse(QidoLevel.STUDY, "StudyDate", "-20201231")).condition())
                .isEqualTo(new MatchKey.Range(Long.MIN_VALUE, 20201231));
        assertThat(onlyKey(parse(QidoLevel.STUDY, "StudyDate", "20200101-")).condition())
                .isEqualTo(new MatchKey.Range(20200101, Long.MAX_VALUE));
        // A time is the range of its precision.
        assertThat(onlyKey(parse(QidoLevel.STUDY, "StudyTime", "1015")).condition())
                .isEqualTo(new MatchKey.Range(101_500_000, 101_559_999));
        assertThat(onlyKey(parse(QidoLevel.STUDY, "StudyTime", "10-113000.5")).condition())
                .isEqualTo(new MatchKey.Range(100_000_000, 113_000_599));
        // DT: "2020" is the whole year; a UTC offset is not a range.
        assertThat(onlyKey(parse(QidoLevel.INSTANCE, "AcquisitionDateTime", "2020")).condition())
                .isEqualTo(new MatchKey.Range(20200101000000000L, 20201231235959999L));
        assertThat(onlyKey(parse(QidoLevel.INSTANCE, "AcquisitionDateTime", "202002-202002")).condition())
                .isEqualTo(new MatchKey.Range(20200201000000000L, 20200229235959999L));
        assertThat(onlyKey(parse(QidoLevel.INSTANCE, "AcquisitionDateTime", "20200101120000-0500")).condition())
                .isEqualTo(new MatchKey.Range(20200101120000000L, 20200101120000999L));
    }

    @Test
    void badDatesAndRangesAreRefused() {
        assertBadRequest(QidoLevel.STUDY, "'StudyDate=2020-01-01': '2020' is not a valid DA value",
                "StudyDate", "2020-01-01");
        assertBadRequest(QidoLevel.STUDY, "'20201301' is not a valid DA", "StudyDate", "20201301");
        assertBadRequest(QidoLevel.STUDY, "the range ends before it starts", "StudyDate", "20201231-20200101");
        assertBadRequest(QidoLevel.STUDY, "a range needs at least one end", "StudyDate", "-");
        assertBadRequest(QidoLevel.STUDY, "wild cards (* and ?) are not allowed for DA", "StudyDate", "2020*");
        assertBadRequest(QidoLevel.STUDY, "'25' is not a valid TM", "StudyTime", "25");
        assertBadRequest(QidoLevel.STUDY, "'1130.5' is not a valid TM", "StudyTime", "1130.5");
    }

    @Test
    void wildcardsAreForTextOnly() {
        assertThat(onlyKey(parse(QidoLevel.STUDY, "PatientName", "Do?^J*")).condition())
                .isEqualTo(new MatchKey.Values(List.of("Do?^J*")));
        assertBadRequest(QidoLevel.STUDY, "wild cards (* and ?) are not allowed for UI", "StudyInstanceUID", "1.2.*");
        assertBadRequest(QidoLevel.INSTANCE, "not allowed for IS", "InstanceNumber", "1?");
    }

    @Test
    void valuesAreCheckedAgainstTheirVr() {
        assertBadRequest(QidoLevel.STUDY, "'1.2.03' is not a UID", "StudyInstanceUID", "1.2.03");
        assertBadRequest(QidoLevel.INSTANCE, "'abc' is not a number (IS)", "InstanceNumber", "abc");
        assertThat(onlyKey(parse(QidoLevel.INSTANCE, "InstanceNumber", "007")).condition())
                .isEqualTo(new MatchKey.Values(List.of("7")));
        assertThat(onlyKey(parse(QidoLevel.INSTANCE, "Rows", "512")).condition())
                .isEqualTo(new MatchKey.Values(List.of("512")));
        assertBadRequest(QidoLevel.STUDY, "'45' is not an age", "PatientAge", "45");
        assertBadRequest(QidoLevel.INSTANCE, "cannot be matched, only returned", "PixelData", "x");
    }

    @Test
    void unknownAttributesAreIgnoredWithAHintButABadIncludefieldIsRefused() {
        // PS3.18 8.3: unsupported parameters are ignored; the resource reports them in a Warning header.
        QidoQuery q = parse(QidoLevel.STUDY, "PatientNam", "x");
        assertThat(q.keys()).isEmpty();
        assertThat(q.ignored()).containsExactly("'PatientNam'");
        assertThat(parse(QidoLevel.STUDY, "patientname", "x").ignored()).singleElement().asString()
                .contains("did you mean 'PatientName'?");
        assertThat(parse(QidoLevel.STUDY, "00101234", "x").ignored()).singleElement().asString().startsWith("'00101234'");
        assertBadRequest(QidoLevel.STUDY, "Unknown query parameter 'includefield=Foo'", "includefield", "Foo");
    }

    @Test
    void keysOfALowerLevelAreRefusedButModalityWorksForStudies() {
        assertBadRequest(QidoLevel.STUDY, "SeriesDescription (0008,103E) is a series-level attribute; a study search",
                "SeriesDescription", "Axial");
        assertBadRequest(QidoLevel.SERIES, "SOPInstanceUID (0008,0018) is a instance-level attribute",
                "SOPInstanceUID", "1.2");
        assertThat(onlyKey(parse(QidoLevel.STUDY, "Modality", "CT")).tag()).isEqualTo(Tag.Modality);
        assertThat(parse(QidoLevel.INSTANCE, "PatientName", "x", "Modality", "CT", "SOPClassUID", "1.2").keys())
                .hasSize(3);
    }

    @Test
    void includefieldTakesKeywordsTagsListsAndAll() {
        QidoQuery q = parse(QidoLevel.STUDY, "includefield", "00081030,PatientAge", "includefield", "00080060");
        assertThat(q.includeFields()).containsExactly(0x00081030, 0x00101010, Tag.Modality);
        assertThat(q.includeAll()).isFalse();
        assertThat(parse(QidoLevel.STUDY, "includefield", "all").includeAll()).isTrue();
        // Lower-level attributes are ignored (PS3.18 10.6.3.3.1), not refused.
        assertThat(parse(QidoLevel.STUDY, "includefield", "SeriesDescription,SOPClassUID").includeFields()).isEmpty();
    }

    @Test
    void limitIsCappedAndOffsetDefaultsToZero() {
        QidoQuery q = parse(QidoLevel.STUDY);
        assertThat(q.limit()).isEqualTo(100);
        assertThat(q.offset()).isZero();
        assertThat(parse(QidoLevel.STUDY, "limit", "5000").limit()).isEqualTo(1000);
        assertThat(parse(QidoLevel.STUDY, "limit", "7", "offset", "20").offset()).isEqualTo(20);
        assertBadRequest(QidoLevel.STUDY, "'limit=-1': expected a whole number", "limit", "-1");
        assertBadRequest(QidoLevel.STUDY, "'offset=ten'", "offset", "ten");
        assertBadRequest(QidoLevel.STUDY, "'limit' is given 2 times", "limit", "1", "limit", "2");
    }

    @Test
    void flagsAreTrueOrFalse() {
        QidoQuery q = parse(QidoLevel.STUDY, "fuzzymatching", "true", "emptyvaluematching", "TRUE",
                "multiplevaluematching", "false");
        assertThat(q.fuzzyMatching()).isTrue();
        assertThat(q.emptyValueMatching()).isTrue();
        assertBadRequest(QidoLevel.STUDY, "'fuzzymatching=yes': expected true or false", "fuzzymatching", "yes");
    }

    @Test
    void acceptAndCharsetAreLeftToTheResource() {
        assertThat(parse(QidoLevel.STUDY, "accept", "application/dicom+json", "charset", "utf-8").keys()).isEmpty();
    }

    @Test
    void sequencePathsNeedSequencesAndAValueAtTheEnd() {
        MatchKey k = onlyKey(parse(QidoLevel.STUDY, "00081032.00080100", "CT"));
        assertThat(k.path()).containsExactly(0x00081032, 0x00080100);
        assertThat(k.name()).isEqualTo("00081032.00080100");
        assertThat(k.tag()).isEqualTo(0x00081032);
        assertThat(onlyKey(parse(QidoLevel.STUDY, "ProcedureCodeSequence", "")).condition())
                .isInstanceOf(MatchKey.Universal.class);
        assertBadRequest(QidoLevel.STUDY, "PatientID (0010,0020) is not a sequence", "PatientID.CodeValue", "x");
        assertBadRequest(QidoLevel.STUDY, "a sequence matches through its items", "ProcedureCodeSequence", "x");
    }

    @Test
    void repeatedNonUidKeysAndPrivateAttributesAreRefused() {
        assertBadRequest(QidoLevel.STUDY, "only UID keys may be repeated", "PatientID", "a", "PatientID", "b");
        assertBadRequest(QidoLevel.STUDY, "already a key of this query", "PatientID", "a", "00100020", "b");
        assertBadRequest(QidoLevel.INSTANCE, "private attribute (0009,1010) is not indexed", "00091010", "x");
    }

    @Test
    void computedAttributesAreReturnKeysOnly() {
        assertThat(onlyKey(parse(QidoLevel.STUDY, "NumberOfStudyRelatedInstances", "")).condition())
                .isInstanceOf(MatchKey.Universal.class);
        assertBadRequest(QidoLevel.STUDY, "supports universal matching only", "NumberOfStudyRelatedInstances", "5");
    }

    @Test
    void pathUidsAreChecked() {
        assertThatThrownBy(() -> QidoQuery.parse(QidoLevel.SERIES, Map.of(), Optional.of("1.2.x"), Optional.empty(),
                100, 1000)).hasMessageContaining("The study in the path, '1.2.x', is not a UID");
    }

    @Test
    void personNamesNormaliseCaseWidthAndTrailingDelimiters() {
        assertThat(MatchValues.personName("DOE^JOHN^^^")).isEqualTo("doe^john");
        assertThat(MatchValues.personName("Yamada^Tarou=山田^太郎=")).isEqualTo("yamada^tarou=山田^太郎");
        // NFKC: half-width katakana equal full-width.
        assertThat(MatchValues.personName("ﾔﾏﾀﾞ")).isEqualTo(MatchValues.personName("ヤマダ"));
        assertThat(MatchValues.personNameTerms("Doe^John=ドウ^ジョン"))
                .containsExactly("doe^john=ドウ^ジョン", "doe^john", "ドウ^ジョン");
        assertThat(MatchValues.personNameWords("van der Berg^Piet")).containsExactly("van der berg", "van", "der",
                "berg", "piet");
    }
}
