package org.dpacs.server.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.access.Origin;
import org.dpacs.server.app.Config;
import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.ingest.IngestPipeline;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;
import org.dpacs.server.storage.FileObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeidentifierTest {
    private static final String SECRET = "a-secret-for-the-tests-only";
    private static final int StudyDate = 0x00080020;
    private static final int StudyDescription = 0x00081030;
    private static final int InstitutionName = 0x00080080;
    private static final int DeviceSerialNumber = 0x00181000;
    private static final int BurnedInAnnotation = 0x00280301;
    private static final int ReferencedImageSequence = 0x00081140;
    private static final int ReferencedSOPInstanceUID = 0x00081155;

    @TempDir
    Path dir;

    private static Attributes instance(String sop) {
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(StudyDate, Vr.DA, "20240229")
                .setString(InstitutionName, Vr.LO, "St. Elsewhere Hospital")
                .setString(StudyDescription, Vr.LO, "CT head for Smithson")
                .setString(Tag.PatientName, Vr.PN, "Smithson^Anna")
                .setString(Tag.PatientID, Vr.LO, "MRN-123456")
                .setString(0x00100021, Vr.LO, "HOSPITAL-A")
                .setString(0x00100030, Vr.DA, "19700101")
                .setString(DeviceSerialNumber, Vr.LO, "SN-998877")
                .set(ReferencedImageSequence, Vr.SQ, new Sequence(List.of(new Attributes.Builder()
                        .setString(0x00081150, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                        .setString(ReferencedSOPInstanceUID, Vr.UI, "1.2.3.4.9.1").build())))
                .setString(0x00091010, Vr.LO, "private creator")
                .setString(0x00091010 & 0xFFFF0000 | 0x0010, Vr.LO, "ACME 1.0")
                .setString(0x00091001 | 0x1000, Vr.LO, "private Smithson")
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.4.1")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.4.2")
                .build();
    }

    private Attributes deid(Attributes in, DeidSettings settings) {
        return ((DeidResult.Deidentified) Deidentifier.create(settings, dir).deidentify(in, Origin.of("test"))).attributes();
    }

    @Test
    void basicProfileReplacesIdentityAndRecordsTheMethod() {
        Attributes out = deid(instance("1.2.3.4.3"), DeidSettings.basic(SECRET));

        assertThat(out.string(Tag.PatientID).orElseThrow()).startsWith("DPACS-");
        assertThat(out.string(Tag.PatientName).orElseThrow()).startsWith("ANONYMOUS^");
        assertThat(out.contains(0x00100021)).isFalse();
        assertThat(out.string(0x00100030)).isEmpty();
        assertThat(out.string(StudyDate)).isEmpty(); // Z
        assertThat(out.contains(StudyDescription)).isFalse(); // X
        assertThat(out.string(InstitutionName)).contains(ProfileDeidentifier.DUMMY_TEXT); // X/Z/D -> D
        assertThat(out.string(Tag.StudyInstanceUID).orElseThrow()).startsWith("2.25.");
        assertThat(out.sequence(ReferencedImageSequence).orElseThrow().item(0).string(ReferencedSOPInstanceUID)
                .orElseThrow()).startsWith("2.25.");
        assertThat(out.contains(0x00091010)).isFalse();
        assertThat(out.contains(0x00091001 | 0x1000)).isFalse();
        assertThat(out.string(0x00120062)).contains("YES");
        assertThat(out.sequence(0x00120064).orElseThrow().item(0).string(0x00080100)).contains("113100");
        assertThat(out.string(0x00280303)).contains("REMOVED");
    }

    @Test
    void optionsRetainWhatTheyNameAndAreRecordedWithTheirCodes() {
        Attributes out = deid(instance("1.2.3.4.3"), DeidSettings.basic(SECRET, DeidOption.RETAIN_UIDS,
                DeidOption.RETAIN_DEVICE_IDENTITY, DeidOption.RETAIN_INSTITUTION_IDENTITY,
                DeidOption.RETAIN_LONGITUDINAL_FULL_DATES, DeidOption.CLEAN_DESCRIPTORS));

        assertThat(out.string(Tag.StudyInstanceUID)).contains("1.2.3.4.1");
        assertThat(out.string(DeviceSerialNumber)).contains("SN-998877");
        assertThat(out.string(InstitutionName)).contains("St. Elsewhere Hospital");
        assertThat(out.string(StudyDate)).contains("20240229");
        assertThat(out.string(StudyDescription)).contains("CT head for ***"); // cleaned, not removed
        assertThat(out.sequence(0x00120064).orElseThrow().items()).extracting(i -> i.string(0x00080100).orElse(""))
                .containsExactlyInAnyOrder("113100", "113110", "113109", "113112", "113106", "113105");
        assertThat(out.string(0x00280303)).contains("UNMODIFIED");
    }

    @Test
    void modifiedDatesShiftEveryDateOfAPatientByTheSameOffset() {
        DeidSettings s = DeidSettings.basic(SECRET, DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES);
        Attributes first = deid(instance("1.2.3.4.3"), s);
        Attributes later = deid(instance("1.2.3.4.4").toBuilder().setString(StudyDate, Vr.DA, "20240310").build(), s);

        var d1 = first.date(StudyDate).orElseThrow();
        var d2 = later.date(StudyDate).orElseThrow();
        assertThat(d1).isNotEqualTo(java.time.LocalDate.of(2024, 2, 29)).isBefore(java.time.LocalDate.of(2024, 2, 29));
        assertThat(java.time.temporal.ChronoUnit.DAYS.between(d1, d2)).isEqualTo(10);
        assertThat(first.string(0x00280303)).contains("MODIFIED");
    }

    @Test
    void retainSafePrivateKeepsOnlyListedPrivateAttributesAndTheirCreator() {
        int creator = 0x00090010;
        int safe = 0x00091001;
        Attributes in = instance("1.2.3.4.3").toBuilder()
                .setString(creator, Vr.LO, "ACME 1.0")
                .setString(safe, Vr.LO, "kept")
                .setString(0x00091002, Vr.LO, "removed")
                .build();
        DeidSettings s = DeidSettings.basic(SECRET, DeidOption.RETAIN_SAFE_PRIVATE)
                .withSafePrivate(Set.of(new DeidSettings.SafePrivate("ACME 1.0", 0x00090001)));

        Attributes out = deid(in, s);

        assertThat(out.string(creator)).contains("ACME 1.0");
        assertThat(out.string(safe)).contains("kept");
        assertThat(out.contains(0x00091002)).isFalse();
    }

    @Test
    void burnedInAnnotationIsRejectedOrStoredWithAWarningByPolicy() {
        Attributes in = instance("1.2.3.4.3").toBuilder().setString(BurnedInAnnotation, Vr.CS, "YES").build();
        Attributes ultrasound = instance("1.2.3.4.5").toBuilder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.6.1").build();

        assertThat(Deidentifier.create(DeidSettings.basic(SECRET), dir).deidentify(in, Origin.of("t")))
                .isInstanceOfSatisfying(DeidResult.Refused.class,
                        r -> assertThat(r.reason()).contains("Burned In Annotation (0028,0301) is YES"));
        assertThat(Deidentifier.create(DeidSettings.basic(SECRET), dir).deidentify(ultrasound, Origin.of("t")))
                .isInstanceOf(DeidResult.Refused.class);
        assertThat(Deidentifier.create(DeidSettings.basic(SECRET).withBurnedIn(BurnedInPolicy.ACCEPT_WITH_WARNING),
                dir).deidentify(in, Origin.of("t"))).isInstanceOfSatisfying(DeidResult.Deidentified.class,
                        d -> assertThat(d.warnings()).anyMatch(w -> w.contains("burned") || w.contains("Burned")));
    }

    @Test
    void quarantineHoldsABurnedInInstanceDeidentifiedAndAReleasedOneIsNotDeidentifiedTwice() {
        Attributes in = instance("1.2.3.4.3").toBuilder().setString(BurnedInAnnotation, Vr.CS, "YES").build();
        Deidentifier deid = Deidentifier.create(DeidSettings.basic(SECRET).withBurnedIn(BurnedInPolicy.QUARANTINE),
                dir);
        DeidResult.Deidentified held = (DeidResult.Deidentified) deid.deidentify(in, Origin.of("t"));
        assertThat(held.hold()).hasValueSatisfying(reason -> assertThat(reason).contains("Burned In Annotation"));
        assertThat(held.warnings()).anyMatch(w -> w.contains("quarantine"));
        assertThat(held.attributes().string(Tag.PatientID)).hasValueSatisfying(id -> assertThat(id)
                .startsWith("DPACS-"));
        // An instance an administrator releases was de-identified on arrival: it passes unchanged, not held.
        DeidResult.Deidentified released = (DeidResult.Deidentified) deid.deidentify(held.attributes(),
                Origin.releasedBy("admin"));
        assertThat(released.attributes()).isEqualTo(held.attributes());
        assertThat(released.hold()).isEmpty();
        assertThat(DeidSettings.parse(key -> key.equals("dpacs.deid.burned.in") ? Optional.of("quarantine")
                : Optional.empty()).burnedIn()).isEqualTo(BurnedInPolicy.QUARANTINE);
    }

    @Test
    void attributesAfterPixelDataAreCleanedAsPartOfTheirInstanceWithoutASecondRecord() throws IOException {
        Deidentifier deid = Deidentifier.create(DeidSettings.basic(SECRET,
                DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES), dir);
        Attributes header = instance("1.2.3.4.3");
        Attributes out = ((DeidResult.Deidentified) deid.deidentify(header, Origin.of("t"))).attributes();
        // Any attribute may follow Pixel Data; the date stands for one the table cleans by shifting.
        Attributes trailing = new Attributes.Builder()
                .setString(StudyDate, Vr.DA, "20240229")
                .setString(0x7FE10010, Vr.LO, "ACME LATE")
                .setString(0x7FE11001, Vr.LO, "Smithson")
                .set(0xFFFAFFFA, Vr.SQ, new Sequence(List.of(new Attributes.Builder()
                        .setString(0x04000105, Vr.DT, "20240229120000").build())))
                .build();
        Attributes cleaned = deid.deidentifyTrailing(header, trailing, Origin.of("t"));
        assertThat(cleaned.string(StudyDate)).as("the same patient's date shift").isEqualTo(out.string(StudyDate))
                .isNotEqualTo(Optional.of("20240229"));
        assertThat(cleaned.contains(0x7FE11001)).isFalse();
        assertThat(cleaned.contains(0xFFFAFFFA)).as("Digital Signatures Sequence, X").isFalse();
        assertThat(ReidentificationLog.read(dir.resolve("deid/reidentification.log"), SECRET)).hasSize(1);
        assertThat(Deidentifier.none().deidentifyTrailing(header, trailing, Origin.of("t"))).isEqualTo(trailing);
    }

    @Test
    void aSafePrivateAttributeAfterPixelDataIsKeptWhenItsCreatorComesBefore() {
        DeidSettings settings = DeidSettings.basic(SECRET, DeidOption.RETAIN_SAFE_PRIVATE)
                .withSafePrivate(Set.of(new DeidSettings.SafePrivate("LATE VENDOR", 0x7FE10001)));
        Attributes header = instance("1.2.3.4.3").toBuilder().setString(0x7FE10010, Vr.LO, "LATE VENDOR").build();
        Attributes trailing = new Attributes.Builder()
                .setString(0x7FE11001, Vr.LO, "safe")
                .setString(0x7FE11002, Vr.LO, "not on the list")
                .build();
        Attributes cleaned = Deidentifier.create(settings, dir).deidentifyTrailing(header, trailing, Origin.of("t"));
        assertThat(cleaned.string(0x7FE11001)).contains("safe");
        assertThat(cleaned.contains(0x7FE11002)).isFalse();
        assertThat(cleaned.contains(0x7FE10010)).as("the creator stays where it was, in the header").isFalse();
    }

    @Test
    void aDummyDoesNotReplaceAnEmptyValue() {
        Attributes in = instance("1.2.3.4.3").toBuilder().set(0x00080021, Vr.DA, new byte[0])  // Series Date, X/D
                .setString(0x00080031, Vr.TM, "101010").build();                                // Series Time, X/D
        Attributes out = deid(in, DeidSettings.basic(SECRET));
        assertThat(out.bytes(0x00080021)).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(out.string(0x00080031)).contains("000000");
    }

    @Test
    void theOriginalValuesOfWhatWasRemovedOrReplacedAreReported() {
        Attributes in = instance("1.2.3.4.3");
        DeidResult.Deidentified d = (DeidResult.Deidentified) Deidentifier.create(DeidSettings.basic(SECRET), dir)
                .deidentify(in, Origin.of("t"));
        Attributes original = d.original();
        assertThat(original.string(Tag.PatientID)).contains("MRN-123456");
        assertThat(original.string(Tag.SOPInstanceUID)).contains("1.2.3.4.3");
        assertThat(original.string(InstitutionName)).contains("St. Elsewhere Hospital");
        assertThat(original.contains(0x00091010)).as("removed private attributes too").isTrue();
        // What was kept as it came is not listed.
        assertThat(original.contains(Tag.SOPClassUID)).isFalse();
        for (int i = 0; i < original.size(); i++) {
            int tag = original.tagAt(i);
            int j = d.attributes().indexOf(tag);
            assertThat(j < 0 || !java.util.Objects.deepEquals(d.attributes().valueAt(j), original.valueAt(i)))
                    .as("tag %08X is listed but unchanged", tag).isTrue();
        }
    }

    @Test
    void theOriginalValuesKeepTheirCharacterSetAndPrivateCreators() {
        Attributes in = new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192").build().toBuilder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.4.3")
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.4.1")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.4.2")
                .setString(Tag.PatientName, Vr.PN, "Müller^Jürgen")
                .setString(0x00290010, Vr.LO, "SAFE VENDOR")
                .setString(0x00291008, Vr.LO, "kept")
                .setString(0x00291009, Vr.LO, "removed")
                .build();
        DeidSettings settings = DeidSettings.basic(SECRET, DeidOption.RETAIN_SAFE_PRIVATE)
                .withSafePrivate(Set.of(new DeidSettings.SafePrivate("SAFE VENDOR", 0x00290008)));
        DeidResult.Deidentified d = (DeidResult.Deidentified) Deidentifier.create(settings, dir)
                .deidentify(in, Origin.of("t"));
        assertThat(d.attributes().contains(0x00291008)).isTrue();
        Attributes original = d.original();
        assertThat(original.string(Tag.SpecificCharacterSet)).contains("ISO_IR 192");
        assertThat(original.text(Tag.PatientName)).contains("Müller^Jürgen");
        // PS3.3 C.12.1.1.9.1: a private attribute in the item comes with its creator, here kept and so unchanged.
        assertThat(original.contains(0x00291009)).isTrue();
        assertThat(original.string(0x00290010)).contains("SAFE VENDOR");
    }

    @Test
    void twoProfilesGivingOneStudyTwoNewUidsBothReachTheLog() throws IOException {
        DeidSettings settings = DeidSettings.basic(SECRET).withSource(DeidSettings.aeSource("KEEPUIDS"),
                new DeidSettings.Profile(true, Set.of(DeidOption.RETAIN_UIDS)));
        Deidentifier deid = Deidentifier.create(settings, dir);
        deid.deidentify(instance("1.2.3.4.3"), Origin.dimse("OTHER", "a"));
        deid.deidentify(instance("1.2.3.4.4"), Origin.dimse("KEEPUIDS", "a"));
        deid.deidentify(instance("1.2.3.4.5"), Origin.dimse("KEEPUIDS", "a")); // same pair again: no new record
        List<Map<String, String>> records = Deidentification.create(settings, dir).log().orElseThrow().records();
        assertThat(records).extracting(r -> r.get("original-study")).containsExactly("1.2.3.4.1", "1.2.3.4.1");
        assertThat(records).extracting(r -> r.get("study")).hasSize(2).contains("1.2.3.4.1")
                .anyMatch(uid -> uid.startsWith("2.25."));
    }

    @Test
    void aLineTornByACrashCostsOnlyItselfAndTheNextRecordStartsOnItsOwnLine() throws IOException {
        deid(instance("1.2.3.4.3"), DeidSettings.basic(SECRET));
        Path log = dir.resolve("deid/reidentification.log");
        Files.writeString(log, "QUJDREVGR0hJSktMTU5PUFFS", java.nio.file.StandardOpenOption.APPEND); // torn
        Deidentifier.create(DeidSettings.basic(SECRET), dir).deidentify(instance("1.2.3.4.6").toBuilder()
                .setString(Tag.PatientID, Vr.LO, "MRN-777").build(), Origin.of("t"));
        ReidentificationLog reader = Deidentification.create(DeidSettings.basic(SECRET), dir).log().orElseThrow();
        assertThat(reader.records()).hasSize(2).extracting(r -> r.get("original-patient-id"))
                .containsExactly("MRN-123456", "MRN-777");
        assertThatThrownBy(() -> ReidentificationLog.read(log, SECRET)).isInstanceOf(IOException.class);
    }

    @Test
    void theProfileIsChosenByTheUserThenTheCallingAeTitleThenTheDefault() {
        DeidSettings settings = DeidSettings.parse(key -> switch (key) {
            case "dpacs.deid.secret" -> Optional.of(SECRET);
            case "dpacs.deid.sources" -> Optional.of(" ae:TRUSTED_CT=off ; ae:RESEARCH=basic,retain-uids;"
                    + "user:alice=off");
            default -> Optional.empty();
        });
        assertThat(settings.sources()).containsOnlyKeys("ae:TRUSTED_CT", "ae:RESEARCH", "user:alice");
        Deidentifier deid = Deidentifier.create(settings, dir);
        Attributes in = instance("1.2.3.4.3");

        Attributes fromTrusted = ((DeidResult.Deidentified) deid.deidentify(in,
                Origin.dimse("TRUSTED_CT", "assoc"))).attributes();
        assertThat(fromTrusted).isEqualTo(in);
        Attributes fromResearch = ((DeidResult.Deidentified) deid.deidentify(in,
                Origin.dimse("RESEARCH", "assoc"))).attributes();
        assertThat(fromResearch.string(Tag.SOPInstanceUID)).contains("1.2.3.4.3");
        assertThat(fromResearch.string(Tag.PatientID)).hasValueSatisfying(id -> assertThat(id).startsWith("DPACS-"));
        Attributes fromOther = ((DeidResult.Deidentified) deid.deidentify(in,
                Origin.dimse("OTHER", "assoc"))).attributes();
        assertThat(fromOther.string(Tag.SOPInstanceUID)).hasValueSatisfying(uid -> assertThat(uid).startsWith("2.25."));
        // AE titles are matched exactly (PS3.8 treats them as case-sensitive).
        assertThat(((DeidResult.Deidentified) deid.deidentify(in, Origin.dimse("trusted_ct", "assoc"))).attributes())
                .isNotEqualTo(in);
        assertThat(((DeidResult.Deidentified) deid.deidentify(in, Origin.http("STOW-RS", Optional.of("alice"))))
                .attributes()).isEqualTo(in);
        assertThat(((DeidResult.Deidentified) deid.deidentify(in, Origin.http("STOW-RS", Optional.of("bob"))))
                .attributes()).isNotEqualTo(in);
        assertThat(((DeidResult.Deidentified) deid.deidentify(in, Origin.http("STOW-RS", Optional.empty())))
                .attributes()).isNotEqualTo(in);
    }

    @Test
    void badSourcePoliciesAreRefusedWithTheKeyInTheMessage() {
        for (String bad : List.of("TRUSTED=off", "ae:=off", "host:x=off", "ae:X=basic,retain-everything",
                "user:al ice=off",
                "ae:AN_AE_TITLE_TOO_LONG=off", "ae:X=off;ae:X=basic")) {
            assertThatThrownBy(() -> Config.load(new Properties(), Map.of("DPACS_DEID_SOURCES", bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dpacs.deid.sources");
        }
        // Off everywhere but for one source still needs (and generates) the secret.
        DeidSettings oneSource = DeidSettings.off().withSource(DeidSettings.aeSource("CT"),
                new DeidSettings.Profile(true, Set.of()));
        assertThat(oneSource.anyEnabled()).isTrue();
        Deidentifier deid = Deidentifier.create(oneSource, dir);
        assertThat(((DeidResult.Deidentified) deid.deidentify(instance("1.2.3.4.3"), Origin.dimse("CT", "a")))
                .attributes().string(Tag.PatientID)).hasValueSatisfying(id -> assertThat(id).startsWith("DPACS-"));
        assertThat(((DeidResult.Deidentified) deid.deidentify(instance("1.2.3.4.3"), Origin.dimse("MR", "a")))
                .attributes().string(Tag.PatientID)).contains("MRN-123456");
        assertThat(Files.exists(dir.resolve("deid").resolve("secret"))).isTrue();
    }

    @Test
    void withoutASecretOneIsGeneratedOnceAndKeptAndAShortOneIsRefused() throws IOException {
        DeidSettings noSecret = DeidSettings.parse(key -> Optional.empty());
        assertThat(noSecret.enabled()).isTrue();
        Attributes first = ((DeidResult.Deidentified) Deidentifier.create(noSecret, dir)
                .deidentify(instance("1.2.3.4.1"), Origin.of("t"))).attributes();
        java.nio.file.Path file = dir.resolve("deid").resolve("secret");
        assertThat(java.nio.file.Files.readString(file).strip()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        // A restart reads the same secret, so the same patient gets the same pseudonym.
        Attributes again = ((DeidResult.Deidentified) Deidentifier.create(noSecret, dir)
                .deidentify(instance("1.2.3.4.1"), Origin.of("t"))).attributes();
        assertThat(again.string(Tag.PatientID)).isEqualTo(first.string(Tag.PatientID));
        assertThat(again.string(Tag.StudyInstanceUID)).isEqualTo(first.string(Tag.StudyInstanceUID));
        assertThatThrownBy(() -> Deidentifier.create(DeidSettings.basic("short"), dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DPACS_DEID_SECRET");
        assertThat(Config.load(new Properties(), Map.of("DPACS_DEID_PROFILE", "off")).deid().enabled()).isFalse();
        assertThat(Config.load(new Properties(), Map.of("DPACS_DEID_PROFILE", "basic,retain-uids,clean-descriptors"))
                .deid().options()).containsExactlyInAnyOrder(DeidOption.RETAIN_UIDS, DeidOption.CLEAN_DESCRIPTORS);
        assertThatThrownBy(() -> Config.load(new Properties(), Map.of("DPACS_DEID_PROFILE", "basic,retain-all")))
                .hasMessageContaining("unknown option 'retain-all'");
    }

    @Test
    void theReidentificationLogIsEncryptedAndReadableOnlyWithTheSecret() throws IOException {
        deid(instance("1.2.3.4.3"), DeidSettings.basic(SECRET));
        Path log = dir.resolve("deid/reidentification.log");

        String raw = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("Smithson").doesNotContain("MRN-123456");
        assertThat(ReidentificationLog.read(log, SECRET)).singleElement().asString()
                .contains("original-patient-id=MRN-123456").contains("original-patient-name=Smithson^Anna")
                .contains("original-study=1.2.3.4.1");
        assertThatThrownBy(() -> ReidentificationLog.read(log, "another-secret-entirely")).isInstanceOf(IOException.class);
    }

    /** Issue 5: two halves of one study, sent separately (another day, another server process) group together. */
    @Test
    void twoHalvesOfAStudyDeidentifiedSeparatelyLandInOnePseudonymisedStudy() throws IOException {
        IngestResult.Stored first = ingestOnce(dir.resolve("a"), instance("1.2.3.4.3"));
        IngestResult.Stored second = ingestOnce(dir.resolve("a"), instance("1.2.3.4.4"));

        assertThat(second.record().studyInstanceUid()).isEqualTo(first.record().studyInstanceUid())
                .startsWith("2.25.").isNotEqualTo("1.2.3.4.1");
        assertThat(second.record().seriesInstanceUid()).isEqualTo(first.record().seriesInstanceUid());
        assertThat(second.record().sopInstanceUid()).isNotEqualTo(first.record().sopInstanceUid());
        assertThat(second.header().string(Tag.PatientID)).isEqualTo(first.header().string(Tag.PatientID));
        assertThat(second.header().string(Tag.PatientName)).isEqualTo(first.header().string(Tag.PatientName));
        assertThat(first.warnings()).anyMatch(w -> w.startsWith("De-identified on arrival"));

        // Another issuer is another patient; another secret gives unrelated pseudonyms.
        Attributes otherIssuer = deid(instance("1.2.3.4.3").toBuilder().setString(0x00100021, Vr.LO, "HOSPITAL-B")
                .build(), DeidSettings.basic(SECRET));
        assertThat(otherIssuer.string(Tag.PatientID)).isNotEqualTo(first.header().string(Tag.PatientID));
        Attributes otherSecret = deid(instance("1.2.3.4.3"), DeidSettings.basic("yet-another-secret-value"));
        assertThat(otherSecret.string(Tag.StudyInstanceUID)).isNotEqualTo(Optional.of(first.record().studyInstanceUid()));
    }

    /** A fresh pipeline per call, as after a restart: consistency cannot come from memory. */
    private IngestResult.Stored ingestOnce(Path data, Attributes header) throws IOException {
        Files.createDirectories(data);
        try (FileObjectStore store = new FileObjectStore(data.resolve("objects"));
             H2Catalog catalog = new H2Catalog(data.resolve("catalog"));
             IngestPipeline pipeline = new IngestPipeline(Config.defaults().withDataDir(data), store, catalog,
                     c -> { }, Deidentifier.create(DeidSettings.basic(SECRET), data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DicomWriter.writeFile(out, header, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
            IngestResult r = pipeline.ingest(IngestRequest.of(new ByteArrayInputStream(out.toByteArray()), "test"));
            assertThat(r).isInstanceOf(IngestResult.Stored.class);
            return (IngestResult.Stored) r;
        }
    }
}
