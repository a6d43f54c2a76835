package org.dpacs.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpacs.server.index.TestInstances.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyIndexTest {
    private static final int STUDY_DESCRIPTION = 0x00081030;
    private static final int SERIES_DESCRIPTION = 0x0008103E;
    private static final int ACCESSION = 0x00080050;
    private static final int MODALITIES = 0x00080061;
    private static final int SOP_CLASSES = 0x00080062;
    private static final int STUDY_SERIES = 0x00201206;
    private static final int STUDY_INSTANCES = 0x00201208;
    private static final int SERIES_INSTANCES = 0x00201209;
    private static final int AVAILABILITY = 0x00080056;
    private static final int PROCEDURE_CODE = 0x00081032;

    @TempDir
    Path dir;
    private StudyIndex index;
    private long seq;

    @BeforeEach
    void open() throws IOException {
        index = StudyIndex.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private void add(TestInstances.Spec... specs) throws IOException {
        List<IndexedInstance> batch = new ArrayList<>();
        for (TestInstances.Spec s : specs) {
            batch.add(s.build(++seq));
        }
        index.add(batch);
    }

    private QidoResult search(QidoLevel level, String... keyValues) throws IOException {
        return search(level, Optional.empty(), Optional.empty(), keyValues);
    }

    private QidoResult search(QidoLevel level, Optional<String> study, Optional<String> series, String... keyValues)
            throws IOException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.computeIfAbsent(keyValues[i], k -> new ArrayList<>()).add(keyValues[i + 1]);
        }
        return index.search(QidoQuery.parse(level, params, study, series, 100, 1000));
    }

    private static List<String> studies(QidoResult r) {
        return r.matches().stream().map(a -> a.string(Tag.StudyInstanceUID, "")).toList();
    }

    /** Three studies: 1.1 (CT+MR, 2 series, 3 instances), 1.2 (one SR), 1.3 (undated). */
    private void threeStudies() throws IOException {
        add(spec().study("1.1").series("1.1.1").sop("1.1.1.1").numbers(1, 2).date("20200115", "101500"),
                spec().study("1.1").series("1.1.1").sop("1.1.1.2").numbers(1, 1).date("20200115", "101500"),
                spec().study("1.1").series("1.1.2").sop("1.1.2.1").numbers(2, 1).modality("MR").sopClass(
                        TestInstances.MR_IMAGE).date("20200115", "101500").description("CT Chest", "T1"),
                spec().study("1.2").series("1.2.1").sop("1.2.1.1").modality("SR").sopClass(TestInstances.SR_DOC)
                        .patient("Smith^Anna", "P2").date("20210301", "080000").description("Report", "SR")
                        .accession(null),
                spec().study("1.3").series("1.3.1").sop("1.3.1.1").patient("Doe^Jane", "P3").date(null, null)
                        .description("Undated", "X"));
    }

    @Test
    void studySearchReturnsTheDefaultAttributesAndAggregates() throws IOException {
        threeStudies();
        QidoResult r = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1");
        assertThat(r.matches()).hasSize(1);
        Attributes s = r.matches().get(0);
        assertThat(s.strings(MODALITIES)).containsExactly("CT", "MR");
        assertThat(s.strings(SOP_CLASSES)).containsExactly(TestInstances.CT_IMAGE, TestInstances.MR_IMAGE);
        assertThat(s.string(STUDY_SERIES, "")).isEqualTo("2");
        assertThat(s.string(STUDY_INSTANCES, "")).isEqualTo("3");
        assertThat(s.string(Tag.PatientName, "")).isEqualTo("Doe^John");
        assertThat(s.string(AVAILABILITY, "")).isEqualTo("ONLINE");
        assertThat(s.string(STUDY_DESCRIPTION, "")).isEqualTo("CT Chest");
        // Series and instance attributes are not study results.
        assertThat(s.contains(SERIES_DESCRIPTION)).isFalse();
        assertThat(s.contains(Tag.SOPInstanceUID)).isFalse();
        assertThat(s.contains(Tag.Modality)).isFalse();
    }

    @Test
    void requiredStudyKeysArePresentWithZeroLengthWhenUnknown() throws IOException {
        threeStudies();
        Attributes s = search(QidoLevel.STUDY, "StudyInstanceUID", "1.2").matches().get(0);
        assertThat(s.contains(ACCESSION)).isTrue();
        assertThat(s.string(ACCESSION)).isEmpty();
    }

    @Test
    void studiesComeNewestFirstWithUndatedLast() throws IOException {
        threeStudies();
        assertThat(studies(search(QidoLevel.STUDY))).containsExactly("1.2", "1.1", "1.3");
    }

    @Test
    void limitAndOffsetPageThroughAndTellWhenTruncated() throws IOException {
        threeStudies();
        QidoResult first = search(QidoLevel.STUDY, "limit", "2");
        assertThat(studies(first)).containsExactly("1.2", "1.1");
        assertThat(first.truncated()).isTrue();
        QidoResult rest = search(QidoLevel.STUDY, "limit", "2", "offset", "2");
        assertThat(studies(rest)).containsExactly("1.3");
        assertThat(rest.truncated()).isFalse();
        assertThat(search(QidoLevel.STUDY, "offset", "10").matches()).isEmpty();
    }

    @Test
    void countsStayRightWhenInstancesAreSentAgain() throws IOException {
        threeStudies();
        // The same two CT instances again, in a separate batch and twice within one batch.
        add(spec().study("1.1").series("1.1.1").sop("1.1.1.1").numbers(1, 2));
        add(spec().study("1.1").series("1.1.1").sop("1.1.1.2").numbers(1, 1),
                spec().study("1.1").series("1.1.1").sop("1.1.1.2").numbers(1, 1));
        Attributes s = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1").matches().get(0);
        assertThat(s.string(STUDY_SERIES, "")).isEqualTo("2");
        assertThat(s.string(STUDY_INSTANCES, "")).isEqualTo("3");
        Attributes series = search(QidoLevel.SERIES, Optional.of("1.1"), Optional.empty(), "SeriesInstanceUID",
                "1.1.1").matches().get(0);
        assertThat(series.string(SERIES_INSTANCES, "")).isEqualTo("2");
        assertThat(search(QidoLevel.INSTANCE).matches()).hasSize(5);
    }

    @Test
    void anInstanceSentIntoAnotherSeriesLeavesTheOldOne() throws IOException {
        threeStudies();
        // The only MR instance moves to the CT series: the MR series disappears, and MR with it.
        add(spec().study("1.1").series("1.1.1").sop("1.1.2.1").numbers(1, 3));
        Attributes s = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1").matches().get(0);
        assertThat(s.string(STUDY_SERIES, "")).isEqualTo("1");
        assertThat(s.string(STUDY_INSTANCES, "")).isEqualTo("3");
        assertThat(s.strings(MODALITIES)).containsExactly("CT");
        assertThat(search(QidoLevel.SERIES, Optional.of("1.1"), Optional.empty()).matches()).hasSize(1);
        // And into another study: study 1.3 loses its only instance and is gone.
        add(spec().study("1.1").series("1.1.1").sop("1.3.1.1").numbers(1, 4));
        assertThat(studies(search(QidoLevel.STUDY))).containsExactly("1.2", "1.1");
    }

    /**
     * The writer computes series and studies from its searcher plus what it wrote since its last refresh: batch
     * after batch without a search between them, moves included, and with a reader's refresh in the middle
     * (which shows the writer some of those instances twice).
     */
    @Test
    void aggregatesStayRightOverManyBatchesBetweenRefreshes() throws IOException {
        for (int b = 0; b < 5; b++) {
            add(spec().study("7.1").series("7.1.1").sop("7.1.1." + (2 * b)).numbers(1, 2 * b),
                    spec().study("7.1").series("7.1.1").sop("7.1.1." + (2 * b + 1)).numbers(1, 2 * b + 1));
        }
        add(spec().study("7.1").series("7.1.2").sop("7.1.1.0").numbers(2, 1).modality("MR")
                .sopClass(TestInstances.MR_IMAGE)); // moved to a new series
        assertThat(search(QidoLevel.INSTANCE, Optional.of("7.1"), Optional.empty()).matches()).hasSize(10);
        add(spec().study("7.2").series("7.2.1").sop("7.1.1.1").numbers(1, 1)); // moved to another study
        add(spec().study("7.1").series("7.1.1").sop("7.1.1.2").numbers(1, 2).description("Newest", "S"));
        Attributes s = search(QidoLevel.STUDY, "StudyInstanceUID", "7.1").matches().get(0);
        assertThat(s.string(STUDY_INSTANCES, "")).isEqualTo("9");
        assertThat(s.string(STUDY_SERIES, "")).isEqualTo("2");
        assertThat(s.strings(MODALITIES)).containsExactly("CT", "MR");
        assertThat(s.string(STUDY_DESCRIPTION, "")).isEqualTo("Newest");
        List<Attributes> series = search(QidoLevel.SERIES, Optional.of("7.1"), Optional.empty()).matches();
        assertThat(series).extracting(a -> a.string(SERIES_INSTANCES, "")).containsExactlyInAnyOrder("8", "1");
        assertThat(search(QidoLevel.STUDY, "StudyInstanceUID", "7.2").matches().get(0).string(STUDY_INSTANCES, ""))
                .isEqualTo("1");
    }

    @Test
    void theNewestInstanceDefinesTheStudyAttributes() throws IOException {
        threeStudies();
        add(spec().study("1.1").series("1.1.1").sop("1.1.1.9").description("CT Chest corrected", "Axial"));
        Attributes s = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1").matches().get(0);
        assertThat(s.string(STUDY_DESCRIPTION, "")).isEqualTo("CT Chest corrected");
        assertThat(search(QidoLevel.STUDY, "StudyDescription", "CT Chest").matches()).isEmpty();
    }

    @Test
    void singleValueMatchingIsExactButCaseInsensitiveForPersonNames() throws IOException {
        threeStudies();
        assertThat(studies(search(QidoLevel.STUDY, "PatientID", "P2"))).containsExactly("1.2");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDescription", "report"))).isEmpty();
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "SMITH^ANNA"))).containsExactly("1.2");
        // Trailing empty components do not matter.
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "smith^anna^^"))).containsExactly("1.2");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "Smith"))).isEmpty();
    }

    @Test
    void listOfUidsMatchesAnyOfThem() throws IOException {
        threeStudies();
        assertThat(studies(search(QidoLevel.STUDY, "StudyInstanceUID", "1.1\\1.3"))).containsExactly("1.1", "1.3");
        assertThat(studies(search(QidoLevel.STUDY, "0020000D", "1.2,1.3"))).containsExactly("1.2", "1.3");
        assertThat(studies(search(QidoLevel.STUDY, "StudyInstanceUID", "1.1", "StudyInstanceUID", "1.2")))
                .containsExactly("1.2", "1.1");
    }

    @Test
    void universalMatchingReturnsTheAttribute() throws IOException {
        threeStudies();
        // Patient's Age is not in the data: it comes back with zero length.
        Attributes a = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1", "PatientAge", "").matches().get(0);
        assertThat(a.contains(0x00101010)).isTrue();
        assertThat(a.string(0x00101010)).isEmpty();
    }

    @Test
    void wildcardsMatchAnySequenceOrOneCharacter() throws IOException {
        threeStudies();
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "doe*"))).containsExactly("1.1", "1.3");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "Doe^J?ne"))).containsExactly("1.3");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDescription", "*Chest"))).containsExactly("1.1");
        // Case-sensitive for other VRs (PS3.4 C.2.2.2.4).
        assertThat(studies(search(QidoLevel.STUDY, "StudyDescription", "*chest"))).isEmpty();
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "*"))).hasSize(3);
    }

    @Test
    void dateRangesIncludeTheirEndsAndMayBeOpen() throws IOException {
        threeStudies();
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20200101-20201231"))).containsExactly("1.1");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20200115-20210301"))).containsExactly("1.2", "1.1");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "-20200115"))).containsExactly("1.1");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20200116-"))).containsExactly("1.2");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20210301"))).containsExactly("1.2");
        assertThat(studies(search(QidoLevel.STUDY, "StudyTime", "10"))).containsExactly("1.1");
        assertThat(studies(search(QidoLevel.STUDY, "StudyTime", "0700-0900"))).containsExactly("1.2");
    }

    @Test
    void dateAndTimeRangesCombineIntoOneDateTimeRange() throws IOException {
        // PS3.4 C.2.2.2.5.1: 1 Jan 10:00 to 2 Jan 18:00.
        add(spec().study("2.1").series("2.1.1").sop("2.1.1.1").date("20200101", "090000"),
                spec().study("2.2").series("2.2.1").sop("2.2.1.1").date("20200101", "200000"),
                spec().study("2.3").series("2.3.1").sop("2.3.1.1").date("20200102", "070000"),
                spec().study("2.4").series("2.4.1").sop("2.4.1.1").date("20200102", "190000"));
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20200101-20200102", "StudyTime", "1000-1800")))
                .containsExactly("2.3", "2.2");
    }

    @Test
    void sequenceMatchingLooksIntoItems() throws IOException {
        add(spec().study("3.1").series("3.1.1").sop("3.1.1.1").with(b -> b.set(PROCEDURE_CODE, Vr.SQ,
                        TestInstances.code("CTCHEST", "99LOCAL", "CT of the chest"))),
                spec().study("3.2").series("3.2.1").sop("3.2.1.1").with(b -> b.set(PROCEDURE_CODE, Vr.SQ,
                        TestInstances.code("MRBRAIN", "99LOCAL", "MR of the brain"))));
        QidoResult r = search(QidoLevel.STUDY, "00081032.00080100", "CTCHEST");
        assertThat(studies(r)).containsExactly("3.1");
        // The sequence is returned, since it is a match key.
        Sequence seq = r.matches().get(0).sequence(PROCEDURE_CODE).orElseThrow();
        assertThat(seq.item(0).string(0x00080104, "")).isEqualTo("CT of the chest");
        assertThat(studies(search(QidoLevel.STUDY, "ProcedureCodeSequence.CodeMeaning", "MR*")))
                .containsExactly("3.2");
    }

    @Test
    void fuzzyMatchingComparesNameComponentPrefixesIgnoringCase() throws IOException {
        threeStudies();
        add(spec().study("4.1").series("4.1.1").sop("4.1.1.1").patient("van der Berg^Piet", "P4"));
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "do jo", "fuzzymatching", "true")))
                .containsExactly("1.1");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "j", "fuzzymatching", "true")))
                .containsExactly("1.1", "1.3");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "BERG", "fuzzymatching", "true")))
                .containsExactly("4.1");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "berg^pi", "fuzzymatching", "true")))
                .containsExactly("4.1");
        // Without fuzzy matching the same value matches nothing.
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "do jo"))).isEmpty();
    }

    @Test
    void japanesePersonNamesMatchByAnyComponentGroup() throws IOException {
        // PS3.5 H.3.1 example, stored in ISO 2022 IR 87 (JIS X 0208 with escape sequences).
        add(spec().study("5.1").series("5.1.1").sop("5.1.1.1").charset("\\ISO 2022 IR 87")
                .patient("Yamada^Tarou=山田^太郎=やまだ^たろう", "J1"));
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "山田^太郎"))).containsExactly("5.1");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "YAMADA^TAROU"))).containsExactly("5.1");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "やまだ*"))).containsExactly("5.1");
        assertThat(studies(search(QidoLevel.STUDY, "PatientName", "山", "fuzzymatching", "true")))
                .containsExactly("5.1");
        Attributes s = search(QidoLevel.STUDY, "PatientID", "J1").matches().get(0);
        assertThat(s.string(Tag.PatientName, "")).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
    }

    @Test
    void includefieldAddsStudyAttributesAndAnswersModalityFromModalitiesInStudy() throws IOException {
        threeStudies();
        // What OHIF asks.
        Attributes s = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1", "includefield", "00081030,00080060")
                .matches().get(0);
        assertThat(s.strings(Tag.Modality)).containsExactly("CT", "MR");
        assertThat(s.string(STUDY_DESCRIPTION, "")).isEqualTo("CT Chest");
        // A series attribute in includefield of a study search is not returned (PS3.18 10.6.3.3.1).
        Attributes t = search(QidoLevel.STUDY, "StudyInstanceUID", "1.1", "includefield", "SeriesDescription")
                .matches().get(0);
        assertThat(t.contains(SERIES_DESCRIPTION)).isFalse();
        // Modality as a match key of a study search matches Modalities in Study.
        assertThat(studies(search(QidoLevel.STUDY, "Modality", "MR"))).containsExactly("1.1");
        assertThat(studies(search(QidoLevel.STUDY, "ModalitiesInStudy", "SR\\MR"))).containsExactly("1.2", "1.1");
    }

    @Test
    void includefieldAllReturnsEveryStudyAttributeHeld() throws IOException {
        add(spec().study("6.1").series("6.1.1").sop("6.1.1.1").with(b -> b.setString(0x00101010, Vr.AS, "050Y")));
        Attributes s = search(QidoLevel.STUDY, "includefield", "all").matches().get(0);
        assertThat(s.string(0x00101010, "")).isEqualTo("050Y");
        assertThat(s.contains(SERIES_DESCRIPTION)).isFalse();
    }

    @Test
    void seriesOfAStudyComeBySeriesNumberWithTheirCounts() throws IOException {
        threeStudies();
        QidoResult r = search(QidoLevel.SERIES, Optional.of("1.1"), Optional.empty());
        assertThat(r.matches()).extracting(a -> a.string(Tag.SeriesInstanceUID, "")).containsExactly("1.1.1", "1.1.2");
        Attributes first = r.matches().get(0);
        assertThat(first.string(SERIES_INSTANCES, "")).isEqualTo("2");
        assertThat(first.string(Tag.Modality, "")).isEqualTo("CT");
        assertThat(first.string(SERIES_DESCRIPTION, "")).isEqualTo("Axial");
        // Study defaults belong to /series (all series) only.
        assertThat(first.contains(Tag.PatientName)).isFalse();
        assertThat(search(QidoLevel.SERIES, Optional.of("1.1"), Optional.empty(), "Modality", "MR").matches())
                .extracting(a -> a.string(Tag.SeriesInstanceUID, "")).containsExactly("1.1.2");
    }

    @Test
    void allSeriesIncludeTheStudyAttributes() throws IOException {
        threeStudies();
        QidoResult r = search(QidoLevel.SERIES, "PatientID", "P2");
        assertThat(r.matches()).hasSize(1);
        Attributes a = r.matches().get(0);
        assertThat(a.string(Tag.PatientName, "")).isEqualTo("Smith^Anna");
        assertThat(a.string(STUDY_INSTANCES, "")).isEqualTo("1");
        assertThat(a.string(Tag.Modality, "")).isEqualTo("SR");
    }

    @Test
    void modalitiesInStudyMatchesSeriesThroughTheirStudy() throws IOException {
        threeStudies();
        QidoResult r = search(QidoLevel.SERIES, "ModalitiesInStudy", "MR");
        assertThat(r.matches()).extracting(a -> a.string(Tag.SeriesInstanceUID, ""))
                .containsExactly("1.1.1", "1.1.2");
    }

    @Test
    void instancesComeByInstanceNumberWithTheirImageAttributes() throws IOException {
        threeStudies();
        QidoResult r = search(QidoLevel.INSTANCE, Optional.of("1.1"), Optional.of("1.1.1"));
        assertThat(r.matches()).extracting(a -> a.string(Tag.SOPInstanceUID, "")).containsExactly("1.1.1.2", "1.1.1.1");
        Attributes a = r.matches().get(0);
        assertThat(a.integer(Tag.Rows, 0)).isEqualTo(512);
        assertThat(a.string(Tag.SOPClassUID, "")).isEqualTo(TestInstances.CT_IMAGE);
        assertThat(a.contains(Tag.PixelData)).isFalse();
        assertThat(a.contains(Tag.PatientName)).isFalse();
        // All instances: with the study's and the series' attributes.
        Attributes all = search(QidoLevel.INSTANCE, "SOPInstanceUID", "1.2.1.1").matches().get(0);
        assertThat(all.string(Tag.PatientName, "")).isEqualTo("Smith^Anna");
        assertThat(all.string(SERIES_INSTANCES, "")).isEqualTo("1");
        assertThat(all.string(Tag.Modality, "")).isEqualTo("SR");
        // Instance keys of any level match.
        assertThat(search(QidoLevel.INSTANCE, "Rows", "512", "InstanceNumber", "2").matches())
                .extracting(x -> x.string(Tag.SOPInstanceUID, "")).containsExactly("1.1.1.1");
    }

    @Test
    void emptyValueMatching() throws IOException {
        threeStudies();
        assertThat(studies(search(QidoLevel.STUDY, "AccessionNumber", "\"\""))).containsExactly("1.2");
        assertThat(studies(search(QidoLevel.STUDY, "AccessionNumber", "A1", "emptyvaluematching", "true")))
                .containsExactly("1.2", "1.1", "1.3");
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20190101", "emptyvaluematching", "false"))).isEmpty();
        assertThat(studies(search(QidoLevel.STUDY, "StudyDate", "20190101", "emptyvaluematching", "true")))
                .containsExactly("1.3");
    }

    @Test
    void seriesMetadataIsTheStoredJsonInInstanceOrderWithRelativeBulkDataUris() throws IOException {
        threeStudies();
        List<byte[]> json = index.seriesMetadata("1.1", "1.1.1");
        assertThat(json).hasSize(2);
        String first = new String(json.get(0), StandardCharsets.UTF_8);
        assertThat(first).contains("\"1.1.1.2\"");
        assertThat(first).contains("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":"
                + "\"studies/1.1/series/1.1.1/instances/1.1.1.2/bulk/7FE00010\"}");
        assertThat(index.studyMetadata("1.1")).hasSize(3);
        assertThat(index.instanceMetadata("1.1", "1.1.2", "1.1.2.1")).isPresent();
        assertThat(index.instanceMetadata("1.1", "1.1.1", "1.1.2.1")).isEmpty();
        assertThat(index.seriesMetadata("9.9", "9.9.9")).isEmpty();
        assertThat(index.studyMetadata("9.9")).isEmpty();
    }

    @Test
    void largeValuesBecomeBulkDataUrisWithTheirPath() throws IOException {
        byte[] lut = new byte[4096];
        Attributes item = new Attributes.Builder().set(0x00283006, Vr.OW, lut).build();
        add(spec().study("7.1").series("7.1.1").sop("7.1.1.1").with(b -> b.set(0x00283010, Vr.SQ,
                new Sequence(List.of(item)))));
        String json = new String(index.instanceMetadata("7.1", "7.1.1", "7.1.1.1").orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(json).contains("studies/7.1/series/7.1.1/instances/7.1.1.1/bulk/00283010/0/00283006");
    }

    @Test
    void theCheckpointIsTheHighestSeqCommittedAndSurvivesReopening() throws IOException {
        assertThat(index.checkpoint()).isZero();
        threeStudies();
        assertThat(index.checkpoint()).isZero();
        index.commit();
        assertThat(index.checkpoint()).isEqualTo(5);
        index.close();
        index = StudyIndex.open(dir);
        assertThat(index.checkpoint()).isEqualTo(5);
        assertThat(studies(search(QidoLevel.STUDY))).containsExactly("1.2", "1.1", "1.3");
        index.deleteAll();
        assertThat(search(QidoLevel.STUDY).matches()).isEmpty();
        index.commit();
        assertThat(index.checkpoint()).isZero();
    }

    @Test
    void anUnreadableIndexIsReplacedByAnEmptyOne() throws IOException {
        threeStudies();
        index.close();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("segments")).toList()) {
                java.nio.file.Files.write(f, new byte[]{1, 2, 3});
            }
        }
        index = StudyIndex.open(dir);
        assertThat(index.checkpoint()).isZero();
        assertThat(search(QidoLevel.STUDY).matches()).isEmpty();
    }

    @Test
    void studyAttributesInAnotherCharacterSetAreReencodedWhenMerged() throws IOException {
        // Two instances of one study disagree on the character set; an instance result merges both.
        add(spec().study("8.1").series("8.1.1").sop("8.1.1.1").charset("ISO_IR 100").patient("Müller^Jürgen", "M1"),
                spec().study("8.1").series("8.1.1").sop("8.1.1.2").charset("ISO_IR 192").patient("Müller^Jürgen", "M1")
                        .with(b -> b.setString(0x00080008, Vr.CS, "ORIGINAL")));
        index.add(List.of(spec().study("8.1").series("8.1.1").sop("8.1.1.1").charset("ISO_IR 100")
                .patient("Müller^Jürgen", "M1").numbers(1, 5).build(100)));
        Attributes a = search(QidoLevel.INSTANCE, "SOPInstanceUID", "8.1.1.2").matches().get(0);
        assertThat(a.string(Tag.PatientName, "")).isEqualTo("Müller^Jürgen");
    }

    @Test
    void privateIncludefieldsComeWithTheirCreatorAtInstanceLevel() throws IOException {
        add(spec().study("9.1").series("9.1.1").sop("9.1.1.1").with(b -> b
                .setString(0x00290010, Vr.LO, "ACME 1.0")
                .setString(0x00291010, Vr.LO, "secret")));
        Attributes a = search(QidoLevel.INSTANCE, "includefield", "00291010").matches().get(0);
        assertThat(a.string(0x00290010, "")).isEqualTo("ACME 1.0");
        assertThat(a.string(0x00291010, "")).isEqualTo("secret");
        assertThat(search(QidoLevel.STUDY, "includefield", "00291010").matches().get(0).contains(0x00291010))
                .isFalse();
    }

    @Test
    void anInstanceThatCannotBeIndexedDoesNotStopItsBatch() throws IOException {
        IndexedInstance good = spec().study("10.1").series("10.1.1").sop("10.1.1.1").build(1);
        IndexedInstance bad = spec().study("10.1").series("10.1.1").sop("10.1.1.2").build(2);
        bad = new IndexedInstance(new org.dpacs.server.catalog.InstanceRecord(2, "10.1", "10.1.1", "10.1.1.2", null,
                "1.2.840.10008.1.2.1", "k", 1, "sha", java.time.Instant.EPOCH), bad.header());
        index.add(List.of(good, bad));
        assertThat(search(QidoLevel.INSTANCE).matches()).extracting(x -> x.string(Tag.SOPInstanceUID, ""))
                .containsExactly("10.1.1.1");
        index.commit();
        assertThat(index.checkpoint()).isEqualTo(2);
    }
}
