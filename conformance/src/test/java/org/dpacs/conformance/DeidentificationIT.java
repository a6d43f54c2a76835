package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server as shipped (de-identification profile {@code basic}) seen from a DICOMweb client: what STOW-RS
 * stores carries no patient identity, says it was coerced, keeps its pixels, and the original identity finds
 * nothing.
 */
class DeidentificationIT {

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget("basic");

    @Test
    void storedInstancesCarryNoIdentityAndKeepTheirPixels() throws IOException {
        assumeTrue(!target.isShared(), "needs a server of its own with the basic profile");
        List<Sample> samples = Corpus.get().originals.stream()
                .filter(s -> s.hasPixelData() && s.patientId().strip().length() >= 4
                        && s.patientNameString().strip().length() >= 4)
                .limit(12).toList();
        assertThat(samples).as("sample files with a patient name and ID").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Sample s : samples) {
            StoreResponse r = Stow.store(target, List.of(s.file()));
            if (mayCarryBurnedInText(s.sopClassUid())) {
                // The default burned-in annotation policy refuses what the header cannot clean (A900).
                if (r.status() != 409 || r.failed().size() != 1
                        || DicomJson.integer(r.failed().get(0), Tags.FailureReason).orElse(0L) != 0xA900) {
                    problems.add(s.name() + ": a secondary capture or ultrasound image must be refused: " + r.describe());
                }
                continue;
            }
            List<JsonNode> stored = r.referenced();
            if (r.status() != 202 || stored.size() != 1) {
                problems.add(s.name() + ": expected 202 with one stored instance: " + r.describe());
                continue;
            }
            JsonNode item = stored.get(0);
            // PS3.18 Table I.2-1: B000, Coercion of Data Elements.
            if (DicomJson.integer(item, Tags.WarningReason).orElse(0L) != 0xB000) {
                problems.add(s.name() + ": no WarningReason B000 on " + item);
            }
            String sop = DicomJson.string(item, Tags.ReferencedSOPInstanceUID).orElse("");
            if (sop.equals(s.sopInstanceUid()) || !sop.startsWith("2.25.")) {
                problems.add(s.name() + ": SOP Instance UID " + sop + " is not a 2.25 pseudonym of " + s.sopInstanceUid());
            }
            Retrieved back = Retrieved.get(target, DicomJson.string(item, Tags.RetrieveURL).orElseThrow(),
                    Accept.INSTANCES_ANY_TS);
            if (back.status() != 200 || back.parts().size() != 1) {
                problems.add(s.name() + ": retrieve -> " + back.status());
                continue;
            }
            byte[] bytes = back.parts().get(0).body();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String identity : List.of(s.patientId().strip(), s.patientNameString().split("\\^")[0].strip())) {
                if (identity.length() >= 4 && text.contains(identity)) {
                    problems.add(s.name() + ": the retrieved object still contains '" + identity + "'");
                }
            }
            Attributes got = DicomReader.read(new ByteArrayInputStream(bytes), "retrieved", ReadOptions.EVERYTHING)
                    .dataset();
            Attributes sent = DicomReader.read(new ByteArrayInputStream(Files.readAllBytes(s.file())), "sent",
                    ReadOptions.EVERYTHING).dataset();
            if (!got.string(0x00120062).orElse("").equals("YES")) {
                problems.add(s.name() + ": Patient Identity Removed (0012,0062) is not YES");
            }
            if (!Objects.deepEquals(value(got, Tag.PixelData), value(sent, Tag.PixelData))) {
                problems.add(s.name() + ": pixel data changed");
            }
            Retrieved found = Retrieved.query(target, target.url("studies"), Accept.DICOM_JSON,
                    "PatientID", s.patientId().strip());
            if (found.status() != 204) {
                problems.add(s.name() + ": QIDO by the original Patient ID -> " + found.status() + " " + found.text());
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Secondary capture and ultrasound: SOP classes known to carry burned-in text. */
    private static boolean mayCarryBurnedInText(String sopClass) {
        return sopClass.startsWith("1.2.840.10008.5.1.4.1.1.7") || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.6.")
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.3.");
    }

    private static Object value(Attributes a, int tag) {
        int i = a.indexOf(tag);
        return i < 0 ? null : a.valueAt(i);
    }
}
