package org.dpacs.server.dimse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dimse.QueryModel.Level;
import org.dpacs.server.index.QidoResult;
import org.dpacs.server.index.StudyIndex;

/**
 * The instances a C-MOVE or C-GET identifier names (PS3.4 C.4.2.1.4.1, C.4.3.1.3.1): the unique keys of its level
 * (Patient ID; Study, Series or SOP Instance UIDs, one or a list) and of the levels above, looked up in the
 * catalog. PATIENT level finds the patient's studies through the index.
 */
final class RetrieveScope {
    private final Catalog catalog;
    private final StudyIndex index;
    private final int maxStudies;

    RetrieveScope(Catalog catalog, StudyIndex index, int maxStudies) {
        this.catalog = catalog;
        this.index = index;
        this.maxStudies = maxStudies;
    }

    List<InstanceRecord> records(Level level, Attributes identifier) throws IOException {
        List<String> studies = identifier.strings(Tag.StudyInstanceUID);
        return switch (level) {
            case PATIENT -> {
                List<String> patient = identifier.strings(Tag.PatientID);
                if (patient.size() != 1) {
                    throw missing("one Patient ID (0010,0020)", level);
                }
                List<InstanceRecord> out = new ArrayList<>();
                for (String study : studiesOf(patient.get(0))) {
                    out.addAll(catalog.study(study));
                }
                yield out;
            }
            case STUDY -> {
                if (studies.isEmpty()) {
                    throw missing("Study Instance UIDs (0020,000D)", level);
                }
                List<InstanceRecord> out = new ArrayList<>();
                for (String study : new LinkedHashSet<>(studies)) {
                    out.addAll(catalog.study(study));
                }
                yield out;
            }
            case SERIES -> {
                List<String> series = identifier.strings(Tag.SeriesInstanceUID);
                if (studies.size() != 1 || series.isEmpty()) {
                    throw missing("one Study Instance UID and Series Instance UIDs (0020,000E)", level);
                }
                List<InstanceRecord> out = new ArrayList<>();
                for (String s : new LinkedHashSet<>(series)) {
                    out.addAll(catalog.series(studies.get(0), s));
                }
                yield out;
            }
            case IMAGE -> {
                List<String> sops = identifier.strings(Tag.SOPInstanceUID);
                if (sops.isEmpty()) {
                    throw missing("SOP Instance UIDs (0008,0018)", level);
                }
                Set<String> series = Set.copyOf(identifier.strings(Tag.SeriesInstanceUID));
                List<InstanceRecord> out = new ArrayList<>();
                for (String sop : new LinkedHashSet<>(sops)) {
                    catalog.instance(sop).filter(r -> studies.isEmpty() || studies.contains(r.studyInstanceUid()))
                            .filter(r -> series.isEmpty() || series.contains(r.seriesInstanceUid()))
                            .ifPresent(out::add);
                }
                yield out;
            }
        };
    }

    private List<String> studiesOf(String patientId) throws IOException {
        Attributes key = new Attributes.Builder().setString(Tag.PatientID, org.dpacs.dicom.data.Vr.LO, patientId)
                .build();
        QidoResult r = index.search(IdentifierQuery.toQuery(Level.STUDY, key, maxStudies));
        return r.matches().stream().map(a -> a.string(Tag.StudyInstanceUID, "")).filter(s -> !s.isEmpty()).toList();
    }

    private static IdentifierException missing(String what, Level level) {
        return new IdentifierException(DimseStatus.IDENTIFIER_DOES_NOT_MATCH, "A " + level + " level retrieve needs "
                + what);
    }
}
