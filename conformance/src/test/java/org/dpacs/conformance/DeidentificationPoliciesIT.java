package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5 seen from outside, on a server with the basic profile, burned-in annotation held in quarantine, a user
 * whose instances are trusted as sent, and an administrator: quarantine (held, invisible, released or deleted by
 * the administrator only), the re-identification log (administrators only), per-user profiles, and the Original
 * Attributes Sequence of the STOW-RS response.
 */
class DeidentificationPoliciesIT {
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password-1";
    private static final String READER = "reader";
    private static final String READER_PASSWORD = "reader-password-1";
    private static final String TRUSTED = "trusted";
    private static final String TRUSTED_PASSWORD = "trusted-password-1";

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget("basic")
            .with("dpacs.deid.burned.in", "quarantine")
            .with("dpacs.deid.sources", "user:" + TRUSTED + "=off")
            .withUser(ADMIN, "admin", ADMIN_PASSWORD)
            .withUser(READER, "user", READER_PASSWORD)
            .withUser(TRUSTED, "user", TRUSTED_PASSWORD);

    @Test
    void aBurnedInInstanceIsHeldUntilAnAdministratorReleasesIt() throws IOException {
        assumeTrue(!target.isShared(), "needs a server of its own with the quarantine policy and users");
        Sample s = burnedInSamples().get(0);
        StoreResponse r = Stow.store(target, List.of(s.file()));
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        JsonNode item = r.referenced().get(0);
        assertThat(DicomJson.integer(item, Tags.WarningReason)).contains(0xB000L);
        assertThat(DicomJson.string(item, Tags.RetrieveURL)).as("not retrievable while held").isEmpty();
        String sop = DicomJson.string(item, Tags.ReferencedSOPInstanceUID).orElseThrow();
        assertThat(sop).startsWith("2.25.");

        // Held: no query or retrieve path shows it.
        assertThat(Retrieved.query(target, target.url("instances"), Accept.DICOM_JSON, "SOPInstanceUID", sop)
                .status()).isEqualTo(204);

        // Only an administrator sees the quarantine.
        Response anonymous = target.request().get(admin("quarantine"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(as(READER, READER_PASSWORD).get(admin("quarantine")).statusCode()).isEqualTo(403);
        assertThat(as(ADMIN, "wrong-password").get(admin("quarantine")).statusCode()).isEqualTo(401);
        Response list = as(ADMIN, ADMIN_PASSWORD).get(admin("quarantine"));
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode held = heldItem(list, sop).orElseThrow(() -> new AssertionError(list.asString()));
        assertThat(held.get("reason").asText()).containsIgnoringCase("burned");
        assertThat(held.get("origin").asText()).contains("STOW-RS");

        // The administrator can look at it: de-identified header, pixels as sent (they are why it is held).
        Response dicom = as(ADMIN, ADMIN_PASSWORD).get(admin("quarantine/" + sop));
        assertThat(dicom.statusCode()).isEqualTo(200);
        assertThat(dicom.contentType()).startsWith("application/dicom");
        Attributes got = DicomReader.read(new ByteArrayInputStream(dicom.asByteArray()), "held",
                ReadOptions.EVERYTHING).dataset();
        Attributes sent = DicomReader.read(new ByteArrayInputStream(Files.readAllBytes(s.file())), "sent",
                ReadOptions.EVERYTHING).dataset();
        assertThat(got.string(Tag.SOPInstanceUID)).contains(sop);
        assertThat(got.string(0x00120062)).contains("YES");
        assertThat(got.bytes(Tag.PixelData).map(Arrays::hashCode))
                .isEqualTo(sent.bytes(Tag.PixelData).map(Arrays::hashCode));

        assertThat(as(READER, READER_PASSWORD).post(admin("quarantine/" + sop + "/release")).statusCode())
                .isEqualTo(403);
        // A page on another site cannot make the administrator's browser release it.
        assertThat(as(ADMIN, ADMIN_PASSWORD).header("Origin", "https://elsewhere.example")
                .post(admin("quarantine/" + sop + "/release")).statusCode()).isEqualTo(403);
        assertThat(as(ADMIN, ADMIN_PASSWORD).header("Sec-Fetch-Site", "cross-site")
                .post(admin("quarantine/" + sop + "/release")).statusCode()).isEqualTo(403);
        Response released = as(ADMIN, ADMIN_PASSWORD).post(admin("quarantine/" + sop + "/release"));
        assertThat(released.statusCode()).as(released.asString()).isEqualTo(200);

        // Published: found and retrievable, and gone from the quarantine.
        Retrieved found = Retrieved.query(target, target.url("instances"), Accept.DICOM_JSON, "SOPInstanceUID", sop);
        assertThat(found.status()).as(found.text()).isEqualTo(200);
        assertThat(heldItem(as(ADMIN, ADMIN_PASSWORD).get(admin("quarantine")), sop)).isEmpty();
        assertThat(as(ADMIN, ADMIN_PASSWORD).post(admin("quarantine/" + sop + "/release")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anAdministratorCanDeleteAHeldInstance() {
        assumeTrue(!target.isShared(), "needs a server of its own with the quarantine policy and users");
        List<Sample> burnedIn = burnedInSamples();
        assumeTrue(burnedIn.size() > 1, "a second secondary capture or ultrasound sample");
        StoreResponse r = Stow.store(target, List.of(burnedIn.get(1).file()));
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        String sop = DicomJson.string(r.referenced().get(0), Tags.ReferencedSOPInstanceUID).orElseThrow();
        assertThat(as(READER, READER_PASSWORD).delete(admin("quarantine/" + sop)).statusCode()).isEqualTo(403);
        assertThat(as(ADMIN, ADMIN_PASSWORD).delete(admin("quarantine/" + sop)).statusCode()).isEqualTo(204);
        assertThat(heldItem(as(ADMIN, ADMIN_PASSWORD).get(admin("quarantine")), sop)).isEmpty();
        assertThat(as(ADMIN, ADMIN_PASSWORD).get(admin("quarantine/" + sop)).statusCode()).isEqualTo(404);
        assertThat(Retrieved.query(target, target.url("instances"), Accept.DICOM_JSON, "SOPInstanceUID", sop)
                .status()).isEqualTo(204);
    }

    @Test
    void theResponseNamesWhatWasCoercedAndOnlyAnAdministratorCanReidentify() {
        assumeTrue(!target.isShared(), "needs a server of its own with the basic profile and users");
        Sample s = identifiedSamples().get(0);
        // Scoped to the study as the sender knows it (PS3.18 10.5: POST /studies/{study}).
        StoreResponse r = Stow.store(target, "studies/" + s.studyInstanceUid(), List.of(s.file()));
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        JsonNode item = r.referenced().get(0);
        // PS3.18 Table I.1-1: Original Attributes Sequence with the attributes removed or replaced, as sent.
        List<JsonNode> original = DicomJson.items(item, "04000561");
        assertThat(original).as(r.describe()).hasSize(1);
        assertThat(DicomJson.string(original.get(0), "04000565")).contains("COERCE");
        assertThat(DicomJson.string(original.get(0), "04000563")).contains("DPACS");
        JsonNode modified = DicomJson.items(original.get(0), "04000550").get(0);
        assertThat(DicomJson.string(modified, Tags.PatientID)).contains(s.patientId().strip());
        assertThat(DicomJson.string(modified, Tags.SOPInstanceUID)).contains(s.sopInstanceUid());
        assertThat(DicomJson.string(modified, Tags.StudyInstanceUID)).contains(s.studyInstanceUid());

        // Sent again (a lost response, a retry): the same answer, not a bare success.
        StoreResponse again = Stow.store(target, "studies/" + s.studyInstanceUid(), List.of(s.file()));
        assertThat(again.status()).as(again.describe()).isEqualTo(202);
        JsonNode againItem = again.referenced().get(0);
        assertThat(DicomJson.integer(againItem, Tags.WarningReason)).contains(0xB000L);
        assertThat(DicomJson.string(againItem, Tags.ReferencedSOPInstanceUID))
                .isEqualTo(DicomJson.string(item, Tags.ReferencedSOPInstanceUID));
        assertThat(DicomJson.items(againItem, "04000561")).hasSize(1);
        String retrieveUrl = DicomJson.string(item, Tags.RetrieveURL).orElseThrow();
        String study = retrieveUrl.replaceAll(".*/studies/([^/]+)/.*", "$1");
        assertThat(study).startsWith("2.25.");
        // The study's Retrieve URL names the study as stored, not the one the sender knows.
        assertThat(DicomJson.string(r.body(), Tags.RetrieveURL)).hasValueSatisfying(url -> assertThat(url)
                .endsWith("/studies/" + study));
        String records = admin("reidentification?study=" + study);
        assertThat(target.request().get(records).statusCode()).isEqualTo(401);
        assertThat(as(READER, READER_PASSWORD).get(records).statusCode()).isEqualTo(403);
        Response found = as(ADMIN, ADMIN_PASSWORD).get(records);
        assertThat(found.statusCode()).as(found.asString()).isEqualTo(200);
        JsonNode list = parse(found);
        assertThat(list.size()).as(found.asString()).isEqualTo(1);
        assertThat(list.get(0).get("original-patient-id").asText()).isEqualTo(s.patientId().strip());
        assertThat(list.get(0).get("original-study").asText()).isEqualTo(s.studyInstanceUid());
        String pseudonym = list.get(0).get("patient-id").asText();
        assertThat(pseudonym).startsWith("DPACS-");
        Retrieved byPseudonym = Retrieved.query(target, target.url("studies"), Accept.DICOM_JSON, "PatientID",
                pseudonym);
        assertThat(byPseudonym.text()).contains(study);
    }

    @Test
    void aTrustedUsersInstancesAreStoredAsSent() throws IOException {
        assumeTrue(!target.isShared(), "needs a server of its own with per-user profiles");
        Sample s = identifiedSamples().get(1);
        Multipart.Builder body = Multipart.related(Stow.APPLICATION_DICOM).files(List.of(s.file()));
        Response r = as(TRUSTED, TRUSTED_PASSWORD).header("Content-Type", body.contentType())
                .header("Accept", "application/dicom+json").body(body.body()).post(target.url("studies"));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        Retrieved back = Retrieved.get(target, target.url(s.instancePath()), Accept.INSTANCES_ANY_TS);
        assertThat(back.status()).isEqualTo(200);
        Attributes got = DicomReader.read(new ByteArrayInputStream(back.parts().get(0).body()), "retrieved",
                ReadOptions.EVERYTHING).dataset();
        assertThat(got.string(Tag.PatientID).map(String::strip)).contains(s.patientId().strip());
        assertThat(got.contains(0x00120062)).as("not de-identified").isFalse();
        // The same instance from an anonymous sender goes through the basic profile.
        StoreResponse anonymous = Stow.store(target, List.of(s.file()));
        assertThat(anonymous.status()).isEqualTo(202);
        assertThat(DicomJson.string(anonymous.referenced().get(0), Tags.ReferencedSOPInstanceUID))
                .isNotEqualTo(Optional.of(s.sopInstanceUid()));
    }

    private static List<Sample> burnedInSamples() {
        List<Sample> found = Corpus.get().originals.stream()
                .filter(s -> s.hasPixelData() && (s.sopClassUid().startsWith("1.2.840.10008.5.1.4.1.1.7")
                        || s.sopClassUid().startsWith("1.2.840.10008.5.1.4.1.1.6.")
                        || s.sopClassUid().startsWith("1.2.840.10008.5.1.4.1.1.3.")))
                .filter(distinctInstances())
                .toList();
        assumeTrue(!found.isEmpty(), "a secondary capture or ultrasound sample");
        return found;
    }

    private static List<Sample> identifiedSamples() {
        List<Sample> found = Corpus.get().originals.stream()
                .filter(s -> s.hasPixelData() && s.sopClassUid().equals("1.2.840.10008.5.1.4.1.1.2")
                        && s.patientId().strip().length() >= 4)
                .filter(distinctInstances())
                .toList();
        assumeTrue(found.size() >= 2, "two CT samples with a Patient ID");
        return found;
    }

    /** Several samples are variants of one instance; the tests need instances of their own. */
    private static java.util.function.Predicate<Sample> distinctInstances() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return s -> seen.add(s.sopInstanceUid()) && seen.add("study:" + s.studyInstanceUid());
    }

    private static String admin(String path) {
        return target.base() + "api/admin/" + path;
    }

    private static io.restassured.specification.RequestSpecification as(String user, String password) {
        return target.request().header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode parse(Response r) {
        try {
            return Pydicom.JSON.readTree(r.asByteArray());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }

    private static Optional<JsonNode> heldItem(Response list, String sop) {
        JsonNode array = parse(list);
        for (JsonNode n : array) {
            if (sop.equals(n.get("sopInstanceUid").asText())) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
