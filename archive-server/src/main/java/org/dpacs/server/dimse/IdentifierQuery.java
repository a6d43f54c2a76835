package org.dpacs.server.dimse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.server.dimse.QueryModel.Level;
import org.dpacs.server.index.QidoLevel;
import org.dpacs.server.index.QidoQuery;

/**
 * Turns a C-FIND identifier (PS3.4 C.4.1.1.3.1) into the QIDO-RS search it means, so DIMSE and DICOMweb match
 * alike: every key with a value is a matching key (a QIDO query parameter, with the same single value, list,
 * wild card, range and sequence matching), every key without one a return key ({@code includefield}). A sequence
 * key's item holds the keys to match in it (PS3.4 C.2.2.2.6); only its first item is read.
 */
final class IdentifierQuery {
    /** An identifier is a few hundred bytes; this bounds a hostile one. */
    private static final long MAX_IDENTIFIER_BYTES = 1 << 20;
    static final int RETRIEVE_AE_TITLE = 0x00080054;
    static final int NUMBER_OF_PATIENT_RELATED_STUDIES = 0x00201200;
    static final int NUMBER_OF_PATIENT_RELATED_SERIES = 0x00201202;
    static final int NUMBER_OF_PATIENT_RELATED_INSTANCES = 0x00201204;
    static final int NUMBER_OF_STUDY_RELATED_SERIES = 0x00201206;
    static final int NUMBER_OF_STUDY_RELATED_INSTANCES = 0x00201208;
    /** Answered by the SCP itself, never matched or looked up (PS3.4 C.3, C.4.1.1.3.2). */
    private static final Set<Integer> OURS = Set.of(Tag.SpecificCharacterSet, QueryModel.QUERY_RETRIEVE_LEVEL,
            RETRIEVE_AE_TITLE, NUMBER_OF_PATIENT_RELATED_STUDIES, NUMBER_OF_PATIENT_RELATED_SERIES,
            NUMBER_OF_PATIENT_RELATED_INSTANCES);
    /** The Patient IE attributes a PATIENT level query may name (PS3.4 Table C.6-1). */
    static final Set<Integer> PATIENT_KEYS = Set.of(Tag.PatientName, Tag.PatientID, 0x00100021, 0x00101000,
            0x00101001, 0x00101002, 0x00100030, 0x00100032, 0x00100040, 0x00102160, 0x00104000, 0x00100024,
            0x00101040, 0x00102154);

    private IdentifierQuery() {
    }

    /** Reads the identifier of a C-FIND, C-MOVE or C-GET request. */
    static Attributes read(DimseRequest request) throws IOException {
        AttributesCollector collected = new AttributesCollector();
        try {
            DicomReader.forDataset(request.dataset(), "identifier", request.transferSyntax(),
                    ReadOptions.DEFAULT.withMaxBytes(MAX_IDENTIFIER_BYTES)).parse(collected);
        } catch (DicomParseException e) {
            throw new IdentifierException(DimseStatus.UNABLE_TO_PROCESS, "Unreadable identifier: " + e.getMessage());
        }
        return collected.dataset();
    }

    /** The QIDO level a query level is searched at: PATIENT is answered from studies (see {@code CFindScp}). */
    static QidoLevel qidoLevel(Level level) {
        return switch (level) {
            case PATIENT, STUDY -> QidoLevel.STUDY;
            case SERIES -> QidoLevel.SERIES;
            case IMAGE -> QidoLevel.INSTANCE;
        };
    }

    /**
     * The search for {@code identifier} at {@code level}, at most {@code limit} results (one more tells about
     * truncation, see {@code QidoResult}). Invalid keys throw {@code DpacsException(BAD_REQUEST)}, as in QIDO-RS.
     */
    static QidoQuery toQuery(Level level, Attributes identifier, int limit) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        List<String> includes = new ArrayList<>();
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            if (Tag.group(tag) <= 0x0002 || Tag.isGroupLength(tag) || Tag.isPrivate(tag) || OURS.contains(tag)) {
                continue; // private keys are not indexed: they come back empty
            }
            if (level == Level.PATIENT && !PATIENT_KEYS.contains(tag)) {
                if (hasValue(identifier, i)) {
                    throw new IdentifierException(DimseStatus.IDENTIFIER_DOES_NOT_MATCH,
                            Tag.toString(tag) + " is not a Patient level key (PS3.4 C.6.1.1.2)");
                }
                continue;
            }
            addKey(Tag.toHex(tag), tag, identifier, i, params, includes);
        }
        if (level == Level.PATIENT) {
            includes.add(Tag.toHex(NUMBER_OF_STUDY_RELATED_SERIES));
            includes.add(Tag.toHex(NUMBER_OF_STUDY_RELATED_INSTANCES));
        }
        if (!includes.isEmpty()) {
            params.put("includefield", List.of(String.join(",", includes)));
        }
        return QidoQuery.parse(qidoLevel(level), params, Optional.empty(), Optional.empty(), limit, limit);
    }

    private static void addKey(String name, int top, Attributes ds, int i, Map<String, List<String>> params,
                               List<String> includes) {
        if (ds.valueAt(i) instanceof Sequence seq) {
            includes.add(Tag.toHex(top));
            if (!seq.isEmpty()) {
                Attributes item = seq.item(0);
                for (int j = 0; j < item.size(); j++) {
                    int tag = item.tagAt(j);
                    if (!Tag.isGroupLength(tag) && !Tag.isPrivate(tag) && tag != Tag.SpecificCharacterSet
                            && hasValue(item, j)) {
                        addKey(name + "." + Tag.toHex(tag), top, item, j, params, includes);
                    }
                }
            }
            return;
        }
        String value = value(ds, i);
        if (value.isEmpty()) {
            includes.add(Tag.toHex(top));
        } else {
            params.put(name, List.of(value));
        }
    }

    private static boolean hasValue(Attributes ds, int i) {
        return ds.valueAt(i) instanceof Sequence s ? !s.isEmpty() && !s.item(0).isEmpty() : !value(ds, i).isEmpty();
    }

    /** The key's value as QIDO-RS text: values joined by backslash, numbers in decimal. */
    private static String value(Attributes ds, int i) {
        Vr vr = ds.vrAt(i);
        int tag = ds.tagAt(i);
        if (vr.isText() || vr == Vr.AT) {
            return String.join("\\", ds.stringsAt(i));
        }
        return switch (vr) {
            case US, SS, UL, SL, UV, SV -> Arrays.stream(ds.longs(tag)).mapToObj(Long::toString)
                    .collect(Collectors.joining("\\"));
            case FL, FD -> Arrays.stream(ds.doubles(tag)).mapToObj(Double::toString).collect(Collectors.joining("\\"));
            default -> "";
        };
    }
}
