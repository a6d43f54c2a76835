package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STOW-RS (PS3.18 10.5) with the pydicom sample set: every valid file is stored and acknowledged; the status codes of
 * Table 10.5.3-1 for a repeat, a conflicting object, a study mismatch, a bad part, a wrong media type and a malformed
 * request; and the Store Instances Response Module (Annex I) that says what happened to each part.
 *
 * <p>Each test that needs a particular instance makes its own copy with UIDs of its own, so the tests do not depend
 * on each other's order.
 */
class StowRsIT {

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget();

    @Test
    void storeReturns200AndReferencesEveryInstance() {
        Corpus corpus = Corpus.get();
        List<Sample> all = corpus.toStore();
        List<String> problems = new ArrayList<>();
        corpus.notRenamed.forEach(s -> problems.add("pydicom could not write a renamed copy of " + s.source()
                + " (not stored, not the server's fault): " + s.reason()));
        for (int i = 0; i < all.size(); i += Stow.BATCH) {
            List<Sample> batch = all.subList(i, Math.min(all.size(), i + Stow.BATCH));
            StoreResponse r = Stow.store(target, "studies", batch.stream().map(Sample::file).toList());
            if (r.status() != 200) {
                problems.add("batch " + batch + ": " + r.describe());
            }
            if (!MediaType.parse(r.contentType()).is("application/dicom+json")) {
                problems.add("batch " + batch + ": Content-Type " + r.contentType() + ", expected application/dicom+json");
            }
            for (Sample s : batch) {
                Optional<JsonNode> item = r.referenced(s.sopInstanceUid());
                if (item.isEmpty()) {
                    problems.add(s.name() + " (" + s.transferSyntax() + ") not in ReferencedSOPSequence; FailedSOPSequence: "
                            + r.failed(s.sopInstanceUid()).map(JsonNode::toString).orElse("no item"));
                    continue;
                }
                if (!DicomJson.string(item.get(), Tags.ReferencedSOPClassUID).orElse("").equals(s.sopClassUid())) {
                    problems.add(s.name() + ": ReferencedSOPClassUID " + item.get().get(Tags.ReferencedSOPClassUID)
                            + ", expected " + s.sopClassUid());
                }
                if (DicomJson.string(item.get(), Tags.RetrieveURL).isEmpty()) {
                    problems.add(s.name() + ": ReferencedSOPSequence item without RetrieveURL (0008,1190)");
                }
            }
            if (!r.failed().isEmpty()) {
                problems.add("batch " + batch + ": FailedSOPSequence " + r.failed());
            }
        }
        assertThat(problems).as("PS3.18 10.5.3: %d valid sample files in batches of %d", all.size(), Stow.BATCH).isEmpty();
    }

    @Test
    void storeOfAnIdenticalInstanceAgainSucceeds() {
        // Idempotent (issue 3): the repeat is acknowledged again, in ReferencedSOPSequence, never as a failure, and
        // the instance exists once. PS3.18 leaves open how a duplicate is flagged; a WarningReason with 202 is
        // allowed (Table 10.5.3-1), 200 without one as well.
        Corpus corpus = Corpus.get();
        Sample s = corpus.copy(corpus.original("MR_small.dcm"), "stow/identical");
        StoreResponse first = Stow.store(target, List.of(s.file()));
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        StoreResponse again = Stow.store(target, List.of(s.file()));
        System.out.println("[StowRsIT] an identical instance stored again is answered: " + again.status() + " "
                + again.bodyText());
        assertThat(again.status()).as(again.describe()).isIn(200, 202);
        assertThat(again.referenced(s.sopInstanceUid())).as(again.describe()).isPresent();
        assertThat(again.failed(s.sopInstanceUid())).as(again.describe()).isEmpty();
        if (again.status() == 202) {
            assertThat(again.bodyText()).as("202 needs the warning that explains it: " + again.describe())
                    .contains(Tags.WarningReason);
        }
        Retrieved found = Retrieved.query(target, target.url("studies/" + s.studyInstanceUid() + "/instances"),
                Accept.DICOM_JSON);
        assertThat(WadoRsIT.jsonArray(found, new ArrayList<>()).map(JsonNode::size).orElse(-1))
                .as("%s: the instance exists once", found.request()).isEqualTo(1);
    }

    @Test
    void storeReturns409ForADifferentObjectUnderAStoredSopInstanceUid() {
        Corpus corpus = Corpus.get();
        Sample s = corpus.copy(corpus.original("CT_small.dcm"), "stow/conflict");
        Sample other = corpus.copyWithPatientName(s, "Conflict^Different");
        StoreResponse first = Stow.store(target, List.of(s.file()));
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        StoreResponse r = Stow.store(target, List.of(other.file()));
        assertThat(r.status()).as("PS3.18 Table 10.5.3-1: " + r.describe()).isEqualTo(409);
        assertThat(r.failed(s.sopInstanceUid())).as("FailedSOPSequence item: " + r.describe()).isPresent();
        assertThat(DicomJson.integer(r.failed(s.sopInstanceUid()).get(), Tags.FailureReason))
                .as("FailureReason (0008,1197): " + r.describe()).isPresent();
        assertThat(r.referenced()).as(r.describe()).isEmpty();
        Retrieved meta = Retrieved.get(target, target.url(s.instancePath() + "/metadata"), Accept.DICOM_JSON);
        assertThat(meta.text()).as("%s: the first object is kept", meta.request())
                .contains(s.patientName().get("Alphabetic")).doesNotContain("Conflict^Different");
    }

    @Test
    void storeNeverReplacesAStoredInstanceWithAnotherFileOfItsUid() {
        // The sample set has the same instance in several encodings and edits (MR_small.dcm in nine files).
        // Whether a second file under a stored SOP Instance UID is a duplicate or a conflict is the server's call,
        // but the answer must say which for each part, the status must follow Table 10.5.3-1, and the stored
        // instance must still be the first one.
        Corpus corpus = Corpus.get();
        List<Sample> variants = corpus.sameUidVariants;
        Map<String, Sample> originals = new LinkedHashMap<>();
        corpus.originals.forEach(o -> originals.put(o.sopInstanceUid(), o));
        List<Sample> firsts = variants.stream().map(v -> originals.get(v.sopInstanceUid())).distinct().toList();
        Stow.storeAll(target, firsts);
        List<String> problems = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        for (Sample v : variants) {
            StoreResponse r = Stow.store(target, List.of(v.file()));
            boolean failed = r.failed(v.sopInstanceUid()).isPresent();
            boolean referenced = r.referenced(v.sopInstanceUid()).isPresent();
            outcomes.add(v.name() + " -> " + r.status() + (failed ? " failed " : referenced ? " referenced " : " ? ")
                    + (failed ? DicomJson.string(r.failed(v.sopInstanceUid()).get(), Tags.FailureReason).orElse("") : ""));
            if (failed == referenced) {
                problems.add(v.name() + ": in " + (failed ? "both sequences" : "neither sequence") + ": " + r.describe());
            } else if (failed && (r.status() != 409
                    || DicomJson.integer(r.failed(v.sopInstanceUid()).get(), Tags.FailureReason).isEmpty())) {
                problems.add(v.name() + ": a failed single part needs 409 and a FailureReason: " + r.describe());
            } else if (referenced && r.status() != 200 && r.status() != 202) {
                problems.add(v.name() + ": acknowledged with status " + r.status() + ": " + r.describe());
            }
        }
        System.out.println("[StowRsIT] same-UID variants: " + outcomes);
        Map<Path, Path> pairs = new LinkedHashMap<>();
        Map<Path, Sample> byFile = new LinkedHashMap<>();
        for (Sample o : firsts) {
            Retrieved r = Retrieved.get(target, target.url(o.instancePath()), Accept.INSTANCES_ANY_TS);
            if (r.multipartProblem(Stow.APPLICATION_DICOM) != null || r.parts().size() != 1) {
                problems.add(o.name() + ": " + r.multipartProblem(Stow.APPLICATION_DICOM));
                continue;
            }
            Path f = r.writeParts(corpus.workDir, "variant-check-" + java.util.UUID.randomUUID()).get(0);
            pairs.put(f, o.file());
            byFile.put(f, o);
        }
        Pydicom.compare(pairs).forEach((f, c) -> {
            if (!c.differences().isEmpty()) {
                problems.add(byFile.get(f).name() + " changed after storing other files of its UID: " + c.differences());
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void storeReturns409WhenStudyUidDiffersFromTheTargetStudy() {
        Corpus corpus = Corpus.get();
        Sample s = corpus.copy(corpus.original("CT_small.dcm"), "stow/study-mismatch");
        String otherStudy = Corpus.randomUid();
        StoreResponse r = Stow.store(target, "studies/" + otherStudy, List.of(s.file()));
        assertThat(r.status()).as("PS3.18 Table 10.5.3-1 (Study Instance UID mismatch): " + r.describe()).isEqualTo(409);
        Optional<JsonNode> item = r.failed(s.sopInstanceUid());
        assertThat(item).as("FailedSOPSequence item: " + r.describe()).isPresent();
        assertThat(DicomJson.integer(item.get(), Tags.FailureReason)).as("FailureReason: " + r.describe()).isPresent();
        Retrieved meta = Retrieved.get(target, target.url(s.instancePath() + "/metadata"), Accept.DICOM_JSON);
        assertThat(meta.status()).as("%s: nothing was stored", meta.request()).isEqualTo(404);
    }

    @Test
    void storeIntoTheMatchingStudySucceeds() {
        Corpus corpus = Corpus.get();
        Sample s = corpus.copy(corpus.original("CT_small.dcm"), "stow/study-match");
        StoreResponse r = Stow.store(target, "studies/" + s.studyInstanceUid(), List.of(s.file()));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.referenced(s.sopInstanceUid())).as(r.describe()).isPresent();
    }

    @Test
    void storeReturns202AndKeepsTheGoodPartsWhenOnePartIsNotDicom() {
        // "One bad part never loses the good ones" (issue 3); 202: stored some, failures for others.
        Corpus corpus = Corpus.get();
        Sample a = corpus.copy(corpus.original("MR_small.dcm"), "stow/partial/a");
        Sample b = corpus.copy(corpus.original("CT_small.dcm"), "stow/partial/b");
        Multipart.Builder body = Multipart.related(Stow.APPLICATION_DICOM).file(a.file())
                .part(Stow.APPLICATION_DICOM, "this part is not a DICOM file".getBytes(StandardCharsets.US_ASCII))
                .file(b.file());
        StoreResponse r = Stow.post(target, "studies", body.contentType(), body.body(),
                "MR_small copy, a text part, CT_small copy");
        assertThat(r.status()).as("PS3.18 Table 10.5.3-1: " + r.describe()).isEqualTo(202);
        assertThat(r.referenced(a.sopInstanceUid())).as(r.describe()).isPresent();
        assertThat(r.referenced(b.sopInstanceUid())).as(r.describe()).isPresent();
        assertThat(r.failed()).as("one FailedSOPSequence item: " + r.describe()).hasSize(1);
        assertThat(DicomJson.integer(r.failed().get(0), Tags.FailureReason)).as("FailureReason: " + r.describe()).isPresent();
        for (Sample s : List.of(a, b)) {
            Retrieved meta = Retrieved.get(target, target.url(s.instancePath() + "/metadata"), Accept.DICOM_JSON);
            assertThat(meta.status()).as(meta.request()).isEqualTo(200);
        }
    }

    @Test
    void storeReturns409ForInstancesWithoutTheirUids() {
        // Part 10 files pydicom reads that lack SOP Class/Instance, Study or Series Instance UID (DICOMDIRs, private
        // sequence fragments, files without a transfer syntax...): none can be stored, each part is reported.
        Corpus corpus = Corpus.get();
        List<Sample> bad = corpus.withoutUids();
        assertThat(bad).as("sample files without UIDs").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Sample s : bad) {
            StoreResponse r = Stow.store(target, List.of(s.file()));
            if (r.status() != 409 || r.failed().size() != 1 || !r.referenced().isEmpty()
                    || DicomJson.integer(r.failed().get(0), Tags.FailureReason).isEmpty()) {
                problems.add(s.name() + " (" + s.reason() + "): expected 409 with one FailedSOPSequence item and a "
                        + "FailureReason: " + r.describe());
            }
        }
        assertThat(problems).as("PS3.18 Table 10.5.3-1").isEmpty();
    }

    @Test
    void storeReturns415ForAnUnsupportedMediaType() {
        StoreResponse r = Stow.post(target, "studies", "application/json", "{}".getBytes(StandardCharsets.US_ASCII),
                "a JSON body");
        assertThat(r.status()).as("PS3.18 Table 10.5.3-1: " + r.describe()).isEqualTo(415);
    }

    @Test
    void storeReturns400WhenTheBoundaryIsMissing() {
        // RFC 2046 5.1.1: the boundary parameter is required; without it the body cannot be split (bad syntax).
        Multipart.Builder body = Multipart.related(Stow.APPLICATION_DICOM)
                .part(Stow.APPLICATION_DICOM, "not read anyway".getBytes(StandardCharsets.US_ASCII));
        StoreResponse r = Stow.post(target, "studies", "multipart/related; type=\"application/dicom\"", body.body(),
                "a body delimited by a boundary the Content-Type does not name");
        assertThat(r.status()).as("PS3.18 Table 10.5.3-1: " + r.describe()).isEqualTo(400);
    }

    @Test
    void storeResponseRetrieveUrlResolvesToTheInstance() {
        Corpus corpus = Corpus.get();
        Sample s = corpus.copy(corpus.original("MR_small.dcm"), "stow/retrieve-url");
        StoreResponse r = Stow.store(target, List.of(s.file()));
        String url = r.referenced(s.sopInstanceUid()).flatMap(i -> DicomJson.string(i, Tags.RetrieveURL))
                .orElseThrow(() -> new AssertionError("no RetrieveURL: " + r.describe()));
        Retrieved got = Retrieved.get(target, url, Accept.INSTANCES_ANY_TS);
        assertThat(got.multipartProblem(Stow.APPLICATION_DICOM)).as("PS3.18 Annex I RetrieveURL").isNull();
        assertThat(got.parts()).as(got.request()).hasSize(1);
    }
}
