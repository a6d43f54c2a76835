package org.dpacs.server.deid;

import java.util.Arrays;
import java.util.Optional;

/**
 * The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), each with its name in
 * {@code dpacs.deid.profile}, its column in Table E.1-1 ({@code annex-e.tsv}) and its code in CID 7050
 * (De-identification Method, coding scheme DCM).
 */
public enum DeidOption {
    RETAIN_SAFE_PRIVATE("retain-safe-private", "safe-private", "113111", "Retain Safe Private Option"),
    RETAIN_UIDS("retain-uids", "uids", "113110", "Retain UIDs Option"),
    RETAIN_DEVICE_IDENTITY("retain-device-identity", "device", "113109", "Retain Device Identity Option"),
    RETAIN_INSTITUTION_IDENTITY("retain-institution-identity", "institution", "113112",
            "Retain Institution Identity Option"),
    RETAIN_PATIENT_CHARACTERISTICS("retain-patient-characteristics", "patient", "113108",
            "Retain Patient Characteristics Option"),
    RETAIN_LONGITUDINAL_FULL_DATES("retain-longitudinal-full-dates", "full-dates", "113106",
            "Retain Longitudinal Temporal Information Full Dates Option"),
    RETAIN_LONGITUDINAL_MODIFIED_DATES("retain-longitudinal-modified-dates", "modified-dates", "113107",
            "Retain Longitudinal Temporal Information Modified Dates Option"),
    CLEAN_DESCRIPTORS("clean-descriptors", "clean-desc", "113105", "Clean Descriptors Option"),
    CLEAN_STRUCTURED_CONTENT("clean-structured-content", "clean-struct", "113104", "Clean Structured Content Option"),
    CLEAN_GRAPHICS("clean-graphics", "clean-graph", "113103", "Clean Graphics Option");

    /** CID 7050 code of the profile itself. */
    public static final String BASIC_PROFILE_CODE = "113100";
    public static final String BASIC_PROFILE_MEANING = "Basic Application Confidentiality Profile";

    private final String configName;
    private final String column;
    private final String code;
    private final String meaning;

    DeidOption(String configName, String column, String code, String meaning) {
        this.configName = configName;
        this.column = column;
        this.code = code;
        this.meaning = meaning;
    }

    public String configName() {
        return configName;
    }

    /** The option's column key in annex-e.tsv. */
    String column() {
        return column;
    }

    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<DeidOption> byConfigName(String name) {
        return Arrays.stream(values()).filter(o -> o.configName.equals(name)).findFirst();
    }

    static Optional<DeidOption> byColumn(String column) {
        return Arrays.stream(values()).filter(o -> o.column.equals(column)).findFirst();
    }
}
