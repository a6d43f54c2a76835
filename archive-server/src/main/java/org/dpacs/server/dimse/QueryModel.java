package org.dpacs.server.dimse;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.net.dimse.DimseStatus;

/**
 * The two Query/Retrieve information models dPACS serves (PS3.4 C.6.1, C.6.2), with their FIND, MOVE and GET SOP
 * classes, and the levels each allows. Patient Root has PATIENT, STUDY, SERIES and IMAGE; Study Root folds the
 * patient into the study and starts at STUDY.
 */
enum QueryModel {
    PATIENT_ROOT("1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.1.3"),
    STUDY_ROOT("1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.2.3");

    /** Query/Retrieve Level (0008,0052). */
    static final int QUERY_RETRIEVE_LEVEL = 0x00080052;

    /** The levels of PS3.4 C.6.1.1 and C.6.2.1, from the top. */
    enum Level {
        PATIENT, STUDY, SERIES, IMAGE
    }

    private final String find;
    private final String move;
    private final String get;

    QueryModel(String find, String move, String get) {
        this.find = find;
        this.move = move;
        this.get = get;
    }

    String find() {
        return find;
    }

    String move() {
        return move;
    }

    String get() {
        return get;
    }

    List<String> sopClasses() {
        return List.of(find, move, get);
    }

    /** The model whose FIND, MOVE or GET SOP class this is. */
    static Optional<QueryModel> of(String sopClassUid) {
        for (QueryModel m : values()) {
            if (m.sopClasses().contains(sopClassUid)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The identifier's Query/Retrieve Level, checked against this model (PS3.4 C.4.1.2.1, C.6). */
    Level level(Attributes identifier) {
        String value = identifier.string(QUERY_RETRIEVE_LEVEL).orElse("").strip().toUpperCase(Locale.ROOT);
        Level level;
        try {
            level = Level.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IdentifierException(DimseStatus.IDENTIFIER_DOES_NOT_MATCH, "Query/Retrieve Level '" + value
                    + "' is not PATIENT, STUDY, SERIES or IMAGE");
        }
        if (this == STUDY_ROOT && level == Level.PATIENT) {
            throw new IdentifierException(DimseStatus.IDENTIFIER_DOES_NOT_MATCH,
                    "Study Root has no PATIENT level; use Patient Root");
        }
        return level;
    }
}
