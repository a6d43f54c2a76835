package org.dpacs.server.dicomweb;

import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.json.DicomJsonWriter;
import org.dpacs.dicom.json.JsonOptions;
import org.dpacs.dicom.xml.NativeXmlWriter;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.ingest.IngestResult;

/**
 * The Store Instances Response Module (PS3.18 Annex I, Table I.1-1) and status code (Table 10.5.3-1) of one
 * STOW-RS request, collected part by part.
 *
 * <ul>
 * <li>Stored: a Referenced SOP Sequence item with the instance's Retrieve URL; Warning Reason B000 (Coercion of
 *     Data Elements, Table I.2-1) when the pipeline reported warnings, whose texts go to the Warning header.</li>
 * <li>Stored after de-identification: the item also carries an Original Attributes Sequence (Type 3 in Table
 *     I.1-1) with the attributes removed or replaced, as they arrived, so the sender can tie its instance to the
 *     pseudonymised one. It goes back only to the sender, who had those values; it is never stored.</li>
 * <li>Quarantined: a Referenced SOP Sequence item with Warning Reason B000 and an empty Retrieve URL (Type 2):
 *     the instance is durable but not retrievable until an administrator releases it.</li>
 * <li>Duplicate (the identical object was already stored): the item the first arrival got, since a client that
 *     retries after a lost response must see the same answer as the first time. Without de-identification a
 *     plain item: nothing was coerced or discarded, so no I.2-1 code fits (Orthanc answers a re-sent instance
 *     as a success too; dcm4chee-arc sets Warning Reason only for coercion). With it, this arrival was coerced
 *     just as the first was: Warning Reason B000 and the Original Attributes Sequence.</li>
 * <li>Rejected: a Failed SOP Sequence item with Failure Reason from the pipeline and the UIDs when known.</li>
 * </ul>
 *
 * Status: 200 when every instance was stored without warning; 202 when some were stored and others failed
 * or had warnings; when none was stored, the failures' common 5xx status if all are out-of-resources or
 * processing failures (PS3.18 8.5: a client should retry those), else 409. Table 10.5.3-1 keeps 400 for "bad
 * syntax" of the request: no boundary, malformed multipart or no parts (the resource answers those before any
 * part is stored), and metadata that is not JSON (failures of kind BAD_REQUEST); a well-formed request whose instances are all refused, even unreadable ones, is 409
 * with the reasons in the Failed SOP Sequence, as dcm4chee-arc and the Azure DICOM service answer.
 */
public final class StoreResponse {
    /** PS3.18 Annex I and PS3.3 Table 10-11 attributes, not in the toolkit's short tag list. */
    static final int RetrieveURL = 0x00081190;
    static final int ReferencedSOPClassUID = 0x00081150;
    static final int ReferencedSOPInstanceUID = 0x00081155;
    static final int WarningReason = 0x00081196;
    static final int FailureReason = 0x00081197;
    static final int FailedSOPSequence = 0x00081198;
    static final int ReferencedSOPSequence = 0x00081199;
    /** PS3.3 C.12.1 (SOP Common), used by PS3.18 Table I.1-1. */
    static final int OriginalAttributesSequence = 0x04000561;
    static final int AttributeModificationDateTime = 0x04000562;
    static final int ModifyingSystem = 0x04000563;
    static final int SourceOfPreviousValues = 0x04000564;
    static final int ReasonForTheAttributeModification = 0x04000565;
    static final int ModifiedAttributesSequence = 0x04000550;
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSZ");
    /** PS3.18 Table I.2-1. */
    public static final int COERCION_OF_DATA_ELEMENTS = 0xB000;

    private final RetrieveUrls urls;
    private final Optional<String> studyOfRequest;
    private final String modifyingSystem;
    private final List<Attributes> referenced = new ArrayList<>();
    private final List<Attributes> failed = new ArrayList<>();
    private final Set<String> studies = new LinkedHashSet<>();
    private final List<String> messages = new ArrayList<>();
    private final Set<FailureKind> failureKinds = java.util.EnumSet.noneOf(FailureKind.class);
    private boolean warnings;

    /**
     * {@code base} is the DICOMweb root for Retrieve URLs; {@code study} is the study of the target URI, if any;
     * {@code modifyingSystem} names this server in Original Attributes Sequence items (its AE title).
     */
    public StoreResponse(String base, Optional<String> study, String modifyingSystem) {
        this.urls = new RetrieveUrls(base);
        this.studyOfRequest = study;
        this.modifyingSystem = modifyingSystem;
    }

    public StoreResponse(String base, Optional<String> study) {
        this(base, study, "DPACS");
    }

    public void add(IngestResult result) {
        switch (result) {
            case IngestResult.Stored s -> stored(s.record(), s.warnings(), s.original());
            case IngestResult.Quarantined q -> quarantined(q);
            // A re-send answers like the first arrival: coerced again, so B000 with the same original values.
            case IngestResult.Duplicate d -> stored(d.record(), d.deidentified() ? List.of(IngestResult.Duplicate.DEIDENTIFIED_AGAIN)
                    : List.of(), d.original());
            case IngestResult.Rejected r -> failed(r.kind(), r.failureReason(), r.message(), r.sopClassUid(),
                    r.sopInstanceUid());
        }
    }

    /** A part that failed before it reached the pipeline (bad media type, unreadable JSON...). */
    public void failed(FailureKind kind, int failureReason, String message, Optional<String> sopClass,
                       Optional<String> sopInstance) {
        Attributes.Builder item = new Attributes.Builder();
        sopClass.ifPresent(uid -> item.setString(ReferencedSOPClassUID, Vr.UI, uid));
        sopInstance.ifPresent(uid -> item.setString(ReferencedSOPInstanceUID, Vr.UI, uid));
        item.setInts(FailureReason, Vr.US, failureReason);
        failed.add(item.build());
        failureKinds.add(kind);
        messages.add(sopInstance.map(uid -> uid + ": ").orElse("") + message);
    }

    private void stored(InstanceRecord r, List<String> warningTexts, Attributes original) {
        Attributes.Builder item = new Attributes.Builder()
                .setString(ReferencedSOPClassUID, Vr.UI, r.sopClassUid())
                .setString(ReferencedSOPInstanceUID, Vr.UI, r.sopInstanceUid())
                .setString(RetrieveURL, Vr.UR, urls.instance(r));
        warn(item, r.sopInstanceUid(), warningTexts, original);
        referenced.add(item.build());
        studies.add(r.studyInstanceUid());
    }

    private void quarantined(IngestResult.Quarantined q) {
        Attributes.Builder item = new Attributes.Builder()
                .setString(ReferencedSOPClassUID, Vr.UI, q.record().sopClassUid())
                .setString(ReferencedSOPInstanceUID, Vr.UI, q.record().sopInstanceUid())
                .setString(RetrieveURL, Vr.UR, "");
        warn(item, q.record().sopInstanceUid(), q.warnings(), q.original());
        referenced.add(item.build());
    }

    private void warn(Attributes.Builder item, String sop, List<String> warningTexts, Attributes original) {
        if (!warningTexts.isEmpty()) {
            item.setInts(WarningReason, Vr.US, COERCION_OF_DATA_ELEMENTS);
            warnings = true;
            warningTexts.forEach(w -> messages.add(sop + ": " + w));
        }
        if (!original.isEmpty()) {
            Attributes modification = new Attributes.Builder()
                    .setString(SourceOfPreviousValues, Vr.LO)
                    .setString(AttributeModificationDateTime, Vr.DT,
                            OffsetDateTime.now().format(DT))
                    .setString(ModifyingSystem, Vr.LO, modifyingSystem)
                    .setString(ReasonForTheAttributeModification, Vr.CS, "COERCE")
                    .set(ModifiedAttributesSequence, Vr.SQ, new Sequence(List.of(original)))
                    .build();
            item.set(OriginalAttributesSequence, Vr.SQ, new Sequence(List.of(modification)));
        }
    }

    public boolean isEmpty() {
        return referenced.isEmpty() && failed.isEmpty();
    }

    /** PS3.18 Table 10.5.3-1, as the class comment explains. */
    public int status() {
        if (!referenced.isEmpty()) {
            return failed.isEmpty() && !warnings ? 200 : 202;
        }
        if (failureKinds.equals(Set.of(FailureKind.BAD_REQUEST))) {
            return 400; // only the request's own syntax was wrong (e.g. unparseable JSON metadata)
        }
        Set<Integer> statuses = new java.util.HashSet<>();
        failureKinds.forEach(k -> statuses.add(k.httpStatus()));
        if (statuses.size() == 1 && statuses.iterator().next() >= 500) {
            return statuses.iterator().next();
        }
        return 409;
    }

    /** The failure and warning texts, one per instance, for the Warning header. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /**
     * The response data set. Retrieve URL (Type 2) is that of the one study the instances were stored in (under
     * its pseudonymous UID when de-identification replaced the one of the request's path), the request's study
     * when none was stored, and empty when they span several studies.
     */
    public Attributes dataset() {
        Optional<String> study = studies.size() == 1 ? Optional.of(studies.iterator().next())
                : studies.isEmpty() ? studyOfRequest : Optional.empty();
        Attributes.Builder ds = new Attributes.Builder()
                .setString(RetrieveURL, Vr.UR, study.map(urls::study).orElse(""));
        if (!failed.isEmpty()) {
            ds.set(FailedSOPSequence, Vr.SQ, new Sequence(failed));
        }
        if (!referenced.isEmpty()) {
            ds.set(ReferencedSOPSequence, Vr.SQ, new Sequence(referenced));
        }
        return ds.build();
    }

    public void writeJson(OutputStream out) throws IOException {
        DicomJsonWriter.write(dataset(), out, JsonOptions.DEFAULT);
    }

    public void writeXml(OutputStream out) throws IOException {
        NativeXmlWriter.write(dataset(), out, JsonOptions.DEFAULT);
    }
}
