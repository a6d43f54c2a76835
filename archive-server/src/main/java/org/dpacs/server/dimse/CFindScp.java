package org.dpacs.server.dimse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.net.dimse.DimseHandler;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseResult;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.server.dimse.QueryModel.Level;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.index.QidoResult;
import org.dpacs.server.index.StudyIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query/Retrieve FIND (PS3.4 C.4.1) for the Patient Root and Study Root models at every level. The identifier
 * becomes a QIDO-RS search ({@link IdentifierQuery}) on the same index, so both protocols match alike; each match
 * is a pending response (FF00) whose identifier holds the requested keys, with Query/Retrieve Level, Specific
 * Character Set and Retrieve AE Title. A C-CANCEL-RQ stops the responses (FE00). PATIENT level is answered from
 * the study documents, one patient per Patient ID (and Issuer), with the Number of Patient Related Studies,
 * Series and Instances summed over them.
 */
final class CFindScp implements DimseHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CFindScp.class);

    private final StudyIndex index;
    private final String aeTitle;
    private final int maxResults;

    CFindScp(StudyIndex index, String aeTitle, int maxResults) {
        this.index = index;
        this.aeTitle = aeTitle;
        this.maxResults = maxResults;
    }

    @Override
    public DimseResult handle(DimseRequest request) throws IOException {
        QueryModel model = QueryModel.of(request.context().abstractSyntax()).orElseThrow();
        Attributes identifier;
        Level level;
        List<Attributes> matches;
        try {
            identifier = IdentifierQuery.read(request);
            level = model.level(identifier);
            matches = search(level, identifier, request);
        } catch (IdentifierException e) {
            return e.toResult();
        } catch (DpacsException e) {
            // The same refusals as QIDO-RS answers with 400: the identifier asks what cannot be matched.
            int status = e.kind() == FailureKind.BAD_REQUEST ? DimseStatus.IDENTIFIER_DOES_NOT_MATCH
                    : DimseStatus.UNABLE_TO_PROCESS;
            return new DimseResult.Failure(status, e.getMessage());
        }
        for (Attributes match : matches) {
            if (request.cancelRequested()) {
                return new DimseResult.Detailed(DimseStatus.CANCEL, Optional.empty(), Attributes.EMPTY,
                        Optional.empty());
            }
            request.sendPending(DimseStatus.PENDING, Attributes.EMPTY,
                    Optional.of(response(identifier, match, level)));
        }
        return DimseResult.success();
    }

    private List<Attributes> search(Level level, Attributes identifier, DimseRequest request) {
        QidoResult result;
        try {
            result = index.search(IdentifierQuery.toQuery(level, identifier, maxResults));
        } catch (IOException e) {
            throw new DpacsException(FailureKind.PROCESSING_FAILURE, "The search index could not be read", e);
        }
        if (result.truncated()) {
            LOG.warn("C-FIND from {} at {} level matched more than {} entities (dpacs.qido.max.limit); only the "
                    + "first {} were returned", request.association(), level, maxResults, maxResults);
        }
        return level == Level.PATIENT ? patients(result.matches()) : result.matches();
    }

    /** Studies grouped into patients by Patient ID and Issuer, in the order their first study came. */
    static List<Attributes> patients(List<Attributes> studies) {
        Map<String, List<Attributes>> byPatient = new LinkedHashMap<>();
        for (Attributes s : studies) {
            String key = s.string(Tag.PatientID, "") + "\u0000" + s.string(0x00100021, "");
            byPatient.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        List<Attributes> out = new ArrayList<>();
        for (List<Attributes> group : byPatient.values()) {
            long series = 0;
            long instances = 0;
            for (Attributes s : group) {
                series += s.string(IdentifierQuery.NUMBER_OF_STUDY_RELATED_SERIES).map(Long::parseLong).orElse(0L);
                instances += s.string(IdentifierQuery.NUMBER_OF_STUDY_RELATED_INSTANCES).map(Long::parseLong)
                        .orElse(0L);
            }
            out.add(group.get(0).toBuilder()
                    .setString(IdentifierQuery.NUMBER_OF_PATIENT_RELATED_STUDIES, Vr.IS, String.valueOf(group.size()))
                    .setString(IdentifierQuery.NUMBER_OF_PATIENT_RELATED_SERIES, Vr.IS, String.valueOf(series))
                    .setString(IdentifierQuery.NUMBER_OF_PATIENT_RELATED_INSTANCES, Vr.IS, String.valueOf(instances))
                    .build());
        }
        return out;
    }

    /**
     * PS3.4 C.4.1.1.3.2: the requested keys with the match's values (empty when it has none), the level, the
     * match's character set (its text values are copied as they are encoded) and where to retrieve it from.
     */
    private Attributes response(Attributes identifier, Attributes match, Level level) {
        Attributes.Builder b = new Attributes.Builder();
        match.bytes(Tag.SpecificCharacterSet).ifPresent(cs -> b.set(Tag.SpecificCharacterSet, Vr.CS, cs));
        b.setString(QueryModel.QUERY_RETRIEVE_LEVEL, Vr.CS, level.name());
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            if (Tag.group(tag) <= 0x0002 || Tag.isGroupLength(tag) || tag == Tag.SpecificCharacterSet
                    || tag == QueryModel.QUERY_RETRIEVE_LEVEL) {
                continue;
            }
            if (tag == IdentifierQuery.RETRIEVE_AE_TITLE) {
                b.setString(tag, Vr.AE, aeTitle);
                continue;
            }
            int j = match.indexOf(tag);
            if (j >= 0 && !(match.valueAt(j) instanceof BulkDataRef)) { // no bulk data in results (PS3.18 10.6.3.3)
                b.set(tag, match.vrAt(j), match.valueAt(j));
            } else {
                b.set(tag, identifier.vrAt(i), identifier.vrAt(i) == Vr.SQ ? Sequence.EMPTY : new byte[0]);
            }
        }
        if (!b.contains(IdentifierQuery.RETRIEVE_AE_TITLE)) {
            b.setString(IdentifierQuery.RETRIEVE_AE_TITLE, Vr.AE, aeTitle);
        }
        return b.build();
    }
}
