package org.dpacs.dicom.data;

import java.util.List;

/**
 * A PN value split into its three component groups (PS3.5 6.2.1): alphabetic, ideographic and phonetic,
 * each of up to five {@code ^}-separated components (family, given, middle, prefix, suffix).
 */
public record PersonName(String alphabetic, String ideographic, String phonetic) {

    public static PersonName parse(String value) {
        String[] groups = value.split("=", -1);
        return new PersonName(groups[0], groups.length > 1 ? groups[1] : "", groups.length > 2 ? groups[2] : "");
    }

    /** The non-empty component groups in order, as DICOM JSON names them (PS3.18 F.2.2). */
    public List<String> groups() {
        return List.of(alphabetic, ideographic, phonetic);
    }

    public String familyName() {
        return component(alphabetic, 0);
    }

    public String givenName() {
        return component(alphabetic, 1);
    }

    /** Component {@code index} (0 = family ... 4 = suffix) of a component group; empty when absent. */
    public static String component(String group, int index) {
        String[] parts = group.split("\\^", -1);
        return index < parts.length ? parts[index] : "";
    }

    @Override
    public String toString() {
        if (phonetic.isEmpty()) {
            return ideographic.isEmpty() ? alphabetic : alphabetic + "=" + ideographic;
        }
        return alphabetic + "=" + ideographic + "=" + phonetic;
    }
}
