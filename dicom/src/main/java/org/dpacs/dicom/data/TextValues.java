package org.dpacs.dicom.data;

import java.util.ArrayList;
import java.util.List;

/** Splitting, trimming and padding of text values by VR (PS3.5 6.2 and 6.4). */
public final class TextValues {
    private TextValues() {
    }

    /**
     * Splits a decoded value into its values and trims each one. PS3.5 6.2: trailing spaces (and NUL for UI)
     * are padding everywhere; leading spaces are insignificant only for AE, CS, DS and IS.
     */
    public static List<String> split(String value, Vr vr) {
        if (!vr.isMultiValuedText()) {
            String v = trimEnd(value);
            return v.isEmpty() ? List.of() : List.of(v);
        }
        List<String> out = new ArrayList<>(4);
        int start = 0;
        int n = value.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || value.charAt(i) == '\\') {
                out.add(trim(value.substring(start, i), vr));
                start = i + 1;
            }
        }
        if (out.size() == 1 && out.get(0).isEmpty()) {
            return List.of();
        }
        return out;
    }

    private static String trim(String s, Vr vr) {
        String v = trimEnd(s);
        return switch (vr) {
            case AE, CS, DS, IS -> v.stripLeading();
            default -> v;
        };
    }

    /** Removes trailing spaces and NULs, the padding of PS3.5 6.2. */
    public static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /** Pads to even length with the VR's padding byte (PS3.5 7.1.1). */
    public static byte[] pad(byte[] bytes, Vr vr) {
        if ((bytes.length & 1) == 0) {
            return bytes;
        }
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        padded[bytes.length] = vr.padding();
        return padded;
    }

    /** Parses a DS or IS value; throws {@link DicomValueException} naming the tag when it is not a number. */
    public static double parseDecimal(String s, int tag) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new DicomValueException(tag, "'" + s + "' is not a decimal number");
        }
    }
}
