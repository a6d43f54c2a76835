package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QIDO-RS (PS3.18 10.6) over the stored samples: matching per PS3.4 C.2.2.2 (single value, UID list, wildcard, range,
 * case-insensitive PN with fuzzymatching), the default and included return attributes (Tables 10.6.3-3/4/5), the
 * related-entity counts, limit/offset, parameter errors, and person names in other character sets decoded.
 * Expected results are computed from what pydicom read out of the very files the server acknowledged.
 */
class QidoRsIT {

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget();

    private static List<Sample> stored;
    private static Map<String, List<Sample>> studies;
    private static Map<String, List<Sample>> series;

    /** The answer to one search: the request, the DICOM JSON objects, and what was wrong with the response. */
    record Found(String request, List<JsonNode> results, List<String> problems) {

        Set<String> values(String tag) {
            return results.stream().map(o -> DicomJson.string(o, tag).orElse("(none)"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        Optional<JsonNode> byValue(String tag, String value) {
            return results.stream().filter(o -> DicomJson.string(o, tag).filter(value::equals).isPresent()).findFirst();
        }
    }

    @BeforeAll
    static void storeCorpus() {
        Corpus corpus = Corpus.get();
        stored = Stow.storeAll(target, corpus.toStore());
        assertThat(stored).as("instances the server acknowledged; StowRsIT says why others were not").isNotEmpty();
        studies = group(stored, Sample::studyInstanceUid);
        series = group(stored, Sample::seriesInstanceUid);
    }

    // ------------------------------------------------------------------------------------------ study level

    @Test
    void studiesAreFoundByStudyInstanceUid() {
        List<String> problems = new ArrayList<>();
        studies.forEach((uid, members) -> {
            Sample s = members.get(0);
            Found f = search("studies", "StudyInstanceUID", uid);
            problems.addAll(f.problems());
            if (f.results().size() != 1) {
                problems.add(f.request() + ": " + f.results().size() + " results, expected 1");
                return;
            }
            JsonNode r = f.results().get(0);
            expectString(problems, f, r, Tags.StudyInstanceUID, uid);
            expectString(problems, f, r, Tags.PatientID, s.patientId());
            expectString(problems, f, r, Tags.StudyDate, s.studyDate());
            // PS3.18 Table 10.6.3-3: RetrieveURL is a default return attribute of a study.
            if (DicomJson.string(r, Tags.RetrieveURL).isEmpty()) {
                problems.add(f.request() + ": no RetrieveURL (0008,1190)");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void studyResultsCountTheirSeriesAndInstances() {
        List<String> problems = new ArrayList<>();
        studies.forEach((uid, members) -> {
            Found f = search("studies", "StudyInstanceUID", uid);
            problems.addAll(f.problems());
            if (f.results().size() != 1) {
                return;
            }
            JsonNode r = f.results().get(0);
            long seriesCount = members.stream().map(Sample::seriesInstanceUid).distinct().count();
            expectNumber(problems, f, r, Tags.NumberOfStudyRelatedSeries, seriesCount);
            expectNumber(problems, f, r, Tags.NumberOfStudyRelatedInstances, members.size());
            Set<String> modalities = members.stream().map(Sample::modality).filter(m -> !m.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> got = new TreeSet<>(DicomJson.strings(r, Tags.ModalitiesInStudy));
            got.remove("");
            if (!got.equals(modalities)) {
                problems.add(f.request() + ": ModalitiesInStudy " + got + ", expected " + modalities);
            }
        });
        assertThat(problems).as("PS3.18 Table 10.6.3-3 and PS3.4 C.6.1.1.4 related-entity attributes").isEmpty();
    }

    @Test
    void studiesMatchAListOfUids() {
        // PS3.18 8.3.4.1 uid-list-match: attribute "=" 1#value, a comma separated list (PS3.4 C.2.2.2.2).
        List<String> uids = studies.keySet().stream().limit(3).toList();
        Found f = search("studies", "StudyInstanceUID", String.join(",", uids));
        assertThat(f.problems()).isEmpty();
        assertThat(f.values(Tags.StudyInstanceUID)).as(f.request()).isEqualTo(new TreeSet<>(uids));
    }

    @Test
    void studiesAreFoundByPatientId() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = stored.stream().map(Sample::patientId).filter(i -> !i.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        for (String id : ids) {
            expectStudies(problems, search("studies", "PatientID", id), s -> s.patientId().equals(id));
        }
        assertThat(problems).as("PS3.4 C.2.2.2.1 single value matching").isEmpty();
    }

    @Test
    void patientNameWildcardsMatch() {
        // PS3.4 C.2.2.2.4: "*" matches any sequence of characters, "?" any single character.
        List<String> problems = new ArrayList<>();
        for (String pattern : List.of("Doe*", "Doe^P?ter", "*^G", "CompressedSamples^??1")) {
            Pattern regex = glob(pattern);
            expectStudies(problems, search("studies", "PatientName", pattern),
                    s -> regex.matcher(s.patientNameString()).matches());
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void patientNameFuzzyMatchingIgnoresCase() {
        // PS3.18 8.3.4.2 / PS3.4 C.2.2.2.1: with fuzzymatching=true PN matching may ignore case; the project's
        // contract (issue 3) is that it does, so the exact-case names must be among the results.
        List<String> problems = new ArrayList<>();
        for (String query : List.of("doe^peter", "DOE*", "lestrade^g")) {
            Pattern regex = Pattern.compile(glob(query).pattern(), Pattern.CASE_INSENSITIVE);
            Found f = search("studies", "PatientName", query, "fuzzymatching", "true");
            problems.addAll(f.problems());
            Set<String> want = studyUids(s -> regex.matcher(s.patientNameString()).matches());
            Set<String> got = f.values(Tags.StudyInstanceUID);
            if (want.isEmpty() || !got.containsAll(want)) {
                problems.add(f.request() + ": studies " + got + " miss " + difference(want, got));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void studyDateRangesMatchInclusively() {
        // PS3.4 C.2.2.2.5: "a-b" matches a <= date <= b, "-b" up to b, "a-" from a; a single date is single value
        // matching. An empty StudyDate matches no range. The sample with the pre-3.0 date "1997.04.24" may match or
        // not (PS3.5 6.2 only recommends accepting that form), so it is left out of the comparison.
        List<String> problems = new ArrayList<>();
        Map<String, Predicate<String>> ranges = new LinkedHashMap<>();
        ranges.put("20030101-20031231", d -> d.compareTo("20030101") >= 0 && d.compareTo("20031231") <= 0);
        ranges.put("-19991231", d -> d.compareTo("19991231") <= 0);
        ranges.put("20170101-", d -> d.compareTo("20170101") >= 0);
        ranges.put("20030505", d -> d.equals("20030505"));
        ranges.put("20030505-20030505", d -> d.equals("20030505"));
        Pattern da = Pattern.compile("\\d{8}");
        Set<String> legacy = studyUids(s -> !s.studyDate().isEmpty() && !da.matcher(s.studyDate()).matches());
        ranges.forEach((range, inRange) -> {
            Found f = search("studies", "StudyDate", range);
            problems.addAll(f.problems());
            Set<String> want = studyUids(s -> da.matcher(s.studyDate()).matches() && inRange.test(s.studyDate()));
            Set<String> got = new TreeSet<>(ours(f.values(Tags.StudyInstanceUID)));
            got.removeAll(legacy);
            if (!got.equals(want)) {
                problems.add(f.request() + ": missing " + difference(want, got) + ", unexpected " + difference(got, want));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void modalitiesInStudyMatchesAnySeriesModality() {
        // PS3.4 C.6.1.1.4: a study matches when any of its series has the modality.
        List<String> problems = new ArrayList<>();
        for (String m : modalities()) {
            expectStudies(problems, search("studies", "ModalitiesInStudy", m),
                    study -> studies.get(study.studyInstanceUid()).stream().anyMatch(s -> s.modality().equals(m)));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void studiesAcceptTheIncludefieldListOhifSends() {
        // OHIF's study list: includefield=00081030,00080060 (PS3.18 8.3.4.3: 1#attribute, comma separated) plus
        // fuzzymatching=false, limit and offset. StudyDescription is not a default attribute, so it is there only
        // because it was asked for.
        List<String> problems = new ArrayList<>();
        studies.forEach((uid, members) -> {
            String description = members.get(0).studyDescription();
            if (description.isEmpty()) {
                return;
            }
            for (String include : List.of("00081030,00080060", "StudyDescription", "00081030", "all")) {
                Found f = search("studies", "StudyInstanceUID", uid, "includefield", include, "fuzzymatching", "false",
                        "limit", "101", "offset", "0");
                problems.addAll(f.problems());
                if (f.results().size() != 1) {
                    problems.add(f.request() + ": " + f.results().size() + " results, expected 1");
                } else {
                    expectString(problems, f, f.results().get(0), Tags.StudyDescription, description.strip());
                }
            }
        });
        assertThat(problems).as("PS3.18 8.3.4.3 includefield").isEmpty();
    }

    // ----------------------------------------------------------------------------------------- series level

    @Test
    void seriesOfAStudyAreListedWithTheirInstanceCounts() {
        List<String> problems = new ArrayList<>();
        studies.forEach((uid, members) -> {
            Found f = search("studies/" + uid + "/series");
            problems.addAll(f.problems());
            Map<String, Long> want = members.stream()
                    .collect(Collectors.groupingBy(Sample::seriesInstanceUid, TreeMap::new, Collectors.counting()));
            if (!f.values(Tags.SeriesInstanceUID).equals(want.keySet())) {
                problems.add(f.request() + ": series " + f.values(Tags.SeriesInstanceUID) + ", expected " + want.keySet());
                return;
            }
            want.forEach((se, n) -> {
                JsonNode r = f.byValue(Tags.SeriesInstanceUID, se).orElseThrow();
                expectNumber(problems, f, r, Tags.NumberOfSeriesRelatedInstances, n);
                expectString(problems, f, r, Tags.Modality, series.get(se).get(0).modality());
            });
        });
        assertThat(problems).as("PS3.18 10.6.1.1.2 and Table 10.6.3-4").isEmpty();
    }

    @Test
    void seriesAreFoundByModality() {
        List<String> problems = new ArrayList<>();
        for (String m : modalities()) {
            Found f = search("series", "Modality", m);
            problems.addAll(f.problems());
            Set<String> want = series.entrySet().stream().filter(e -> e.getValue().get(0).modality().equals(m))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            Set<String> got = f.values(Tags.SeriesInstanceUID);
            if (target.isShared() ? !got.containsAll(want) : !got.equals(want)) {
                problems.add(f.request() + ": missing " + difference(want, got) + ", unexpected " + difference(got, want));
            }
        }
        assertThat(problems).isEmpty();
    }

    // --------------------------------------------------------------------------------------- instance level

    @Test
    void instancesAreFoundAtEveryLevel() {
        List<String> problems = new ArrayList<>();
        series.forEach((se, members) -> {
            Sample first = members.get(0);
            Set<String> want = members.stream().map(Sample::sopInstanceUid).collect(Collectors.toCollection(TreeSet::new));
            Found f = search(first.seriesPath() + "/instances");
            problems.addAll(f.problems());
            if (!f.values(Tags.SOPInstanceUID).equals(want)) {
                problems.add(f.request() + ": " + f.values(Tags.SOPInstanceUID) + ", expected " + want);
            }
        });
        studies.forEach((uid, members) -> {
            Set<String> want = members.stream().map(Sample::sopInstanceUid).collect(Collectors.toCollection(TreeSet::new));
            Found f = search("studies/" + uid + "/instances");
            problems.addAll(f.problems());
            if (!f.values(Tags.SOPInstanceUID).equals(want)) {
                problems.add(f.request() + ": " + f.values(Tags.SOPInstanceUID) + ", expected " + want);
            }
        });
        for (Sample s : stored) {
            Found f = search("instances", "SOPInstanceUID", s.sopInstanceUid());
            problems.addAll(f.problems());
            if (f.results().size() != 1) {
                problems.add(f.request() + ": " + f.results().size() + " results, expected 1");
            } else {
                expectString(problems, f, f.results().get(0), Tags.SOPClassUID, s.sopClassUid());
                expectString(problems, f, f.results().get(0), Tags.SeriesInstanceUID, s.seriesInstanceUid());
            }
        }
        assertThat(problems).as("PS3.18 10.6.1.1.3 and Table 10.6.3-5").isEmpty();
    }

    // ------------------------------------------------------------------------------------ limit and offset

    @Test
    void limitAndOffsetPageThroughTheResults() {
        // PS3.18 8.3.4.4: limit caps the results, offset skips that many; with a stable order the pages add up to
        // the whole result without gaps or repeats.
        Map.Entry<String, List<Sample>> biggest = studies.entrySet().stream()
                .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size())).orElseThrow();
        String path = "studies/" + biggest.getKey() + "/instances";
        Found all = search(path);
        assertThat(all.problems()).isEmpty();
        int total = all.results().size();
        assertThat(total).as(all.request()).isEqualTo(biggest.getValue().size());
        int pageSize = Math.max(2, total / 4);
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < total + pageSize; offset += pageSize) {
            Found page = search(path, "limit", Integer.toString(pageSize), "offset", Integer.toString(offset));
            assertThat(page.problems()).isEmpty();
            int expected = Math.max(0, Math.min(pageSize, total - offset));
            assertThat(page.results()).as(page.request()).hasSize(expected);
            page.results().forEach(r -> paged.add(DicomJson.string(r, Tags.SOPInstanceUID).orElse("?")));
        }
        assertThat(paged).as("pages of %d over %s", pageSize, path).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.values(Tags.SOPInstanceUID));
    }

    // ------------------------------------------------------------------------------------------- parameters

    @Test
    void unsupportedQueryParameterIsIgnored() {
        // PS3.18 8.3: "The origin server shall ignore any unsupported Query Parameters ... and may return a response
        // containing appropriate warning and/or error messages." NoSuchKeyword is no PS3.6 keyword, so it is no
        // match parameter (8.3.4.1) but an unsupported one: the search runs as if it were absent.
        String uid = studies.keySet().iterator().next();
        Found f = search("studies", "StudyInstanceUID", uid, "NoSuchKeyword", "1");
        assertThat(f.problems()).as("PS3.18 8.3 unsupported parameter").isEmpty();
        assertThat(f.values(Tags.StudyInstanceUID)).as(f.request()).containsExactly(uid);
    }

    @Test
    void invalidQueryParameterValueIsRejectedWith400NamingIt() {
        // PS3.18 8.3: "If a supported Query Parameter has an invalid value, the origin server shall return a 400".
        List<String> problems = new ArrayList<>();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("limit", "abc");
        bad.put("offset", "-1");
        bad.put("fuzzymatching", "maybe");
        bad.put("StudyDate", "2003-13-45x");
        bad.put("includefield", "NoSuchKeyword");
        bad.forEach((name, value) -> {
            Retrieved r = Retrieved.query(target, target.url("studies"), Accept.DICOM_JSON, name, value);
            if (r.status() != 400) {
                problems.add(r.request() + " -> " + r.status() + ", expected 400");
            } else if (!r.text().contains(name)) {
                problems.add(r.request() + " -> 400 whose body does not name " + name + ": " + Retrieved.shorten(r.text()));
            }
        });
        assertThat(problems).isEmpty();
    }

    // --------------------------------------------------------------------------------------- character sets

    @Test
    void patientNamesInOtherCharacterSetsComeBackDecoded() {
        // PS3.18 F.2.2: PN values are objects of Alphabetic, Ideographic and Phonetic strings, in UTF-8 JSON, whatever
        // Specific Character Set (ISO 2022 escapes, GB18030, ISO 8859-x...) the stored instance used.
        List<Sample> charsets = charsetSamples();
        assertThat(charsets).as("charset_files samples stored").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Sample s : charsets) {
            Found f = search("studies", "StudyInstanceUID", s.studyInstanceUid());
            problems.addAll(f.problems());
            if (f.results().size() != 1) {
                problems.add(f.request() + ": " + f.results().size() + " results");
                continue;
            }
            Map<String, String> got = personName(f.results().get(0));
            if (!got.equals(s.patientName())) {
                problems.add(s.name() + " " + s.specificCharacterSet() + ": PatientName " + got + ", pydicom reads "
                        + s.patientName());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void nonAsciiPatientNamesAreMatched() {
        // Query values are UTF-8 percent-encoded (PS3.18 8.3.1) and match the decoded names, exactly and by wildcard.
        List<String> problems = new ArrayList<>();
        for (Sample s : charsetSamples()) {
            String name = s.patientName().get("Alphabetic");
            if (name == null || s.patientName().size() != 1 || name.chars().allMatch(c -> c < 128)) {
                continue;
            }
            for (String query : List.of(name, name.substring(0, Math.min(3, name.length())) + "*")) {
                Found f = search("studies", "PatientName", query);
                problems.addAll(f.problems());
                if (!f.values(Tags.StudyInstanceUID).contains(s.studyInstanceUid())) {
                    problems.add(f.request() + ": " + s.name() + " not found");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** GET {root}/{path} with the query parameters given as name, value pairs; checks the DICOM JSON answer. */
    private static Found search(String path, String... params) {
        Retrieved r = Retrieved.query(target, target.url(path), Accept.DICOM_JSON, params);
        List<String> problems = new ArrayList<>();
        List<JsonNode> results = new ArrayList<>();
        if (r.status() == 204) {
            // PS3.18 Table 10.6.3-1: "The search completed successfully, but there were zero results."
            if (r.body().length > 0) {
                problems.add(r.request() + " -> 204 with a body of " + r.body().length + " bytes");
            }
            return new Found(r.request(), results, problems);
        }
        WadoRsIT.jsonArray(r, problems).ifPresent(a -> a.forEach(results::add));
        return new Found(r.request(), results, problems);
    }

    /** The studies found are exactly those of the stored samples that satisfy {@code expected} (on a shared target,
     * only our studies are looked at). */
    private static void expectStudies(List<String> problems, Found f, Predicate<Sample> expected) {
        problems.addAll(f.problems());
        Set<String> want = studyUids(expected);
        Set<String> got = ours(f.values(Tags.StudyInstanceUID));
        if (!got.equals(want)) {
            problems.add(f.request() + ": missing " + difference(want, got) + ", unexpected " + difference(got, want));
        }
    }

    private static void expectString(List<String> problems, Found f, JsonNode r, String tag, String want) {
        String got = DicomJson.string(r, tag).orElse("");
        if (!Objects.equals(got.strip(), want == null ? "" : want.strip())) {
            problems.add(f.request() + ": (" + tag.substring(0, 4) + "," + tag.substring(4) + ") '" + got + "', expected '"
                    + want + "'");
        }
    }

    private static void expectNumber(List<String> problems, Found f, JsonNode r, String tag, long want) {
        Optional<Long> got = DicomJson.integer(r, tag);
        if (got.isEmpty() || got.get() != want) {
            problems.add(f.request() + ": (" + tag.substring(0, 4) + "," + tag.substring(4) + ") "
                    + got.map(String::valueOf).orElse("missing") + ", expected " + want);
        }
    }

    private static Map<String, String> personName(JsonNode result) {
        Map<String, String> out = new TreeMap<>();
        List<JsonNode> v = DicomJson.values(result, Tags.PatientName);
        if (!v.isEmpty() && v.get(0).isObject()) {
            v.get(0).fields().forEachRemaining(e -> {
                if (!e.getValue().asText().isEmpty()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return out;
    }

    private static List<Sample> charsetSamples() {
        return stored.stream().filter(s -> (s.source() != null ? s.source() : s.path()).contains("/charset_files/"))
                .toList();
    }

    private static Set<String> modalities() {
        return stored.stream().map(Sample::modality).filter(m -> !m.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> studyUids(Predicate<Sample> p) {
        return stored.stream().filter(p).map(Sample::studyInstanceUid).collect(Collectors.toCollection(TreeSet::new));
    }

    /** On a deployment shared with other data, only the studies this suite stored are compared. */
    private static Set<String> ours(Set<String> uids) {
        if (!target.isShared()) {
            return uids;
        }
        return uids.stream().filter(studies::containsKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new LinkedHashSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** PS3.4 C.2.2.2.4 wildcards as a regular expression over the whole value. */
    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    private static Map<String, List<Sample>> group(List<Sample> samples, Function<Sample, String> key) {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        samples.forEach(s -> out.computeIfAbsent(key.apply(s), k -> new ArrayList<>()).add(s));
        return out;
    }
}
