package org.dpacs.dicom.json;

import static org.dpacs.dicom.json.JsonTree.array;
import static org.dpacs.dicom.json.JsonTree.object;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares two DICOM JSON trees (as {@link JsonTree} parses them) attribute by attribute, reporting each difference
 * with its path ({@code 00081115/0/00081150}). Numbers compare by value, not by text: DS and FD through their double
 * value (pydicom holds DS as a Python float), FL at single precision, others exactly. Also holds the normalisations
 * that map pydicom 2.3 output onto what PS3.18 Annex F requires, each justified in docs/dicom-json-vs-pydicom.md.
 */
final class JsonTreeDiff {

    record Difference(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    private final List<Difference> differences = new ArrayList<>();

    private JsonTreeDiff() {
    }

    /** Differences between data set objects {@code expected} (pydicom) and {@code actual} (dPACS). */
    static List<Difference> compare(Map<String, Object> expected, Map<String, Object> actual) {
        JsonTreeDiff diff = new JsonTreeDiff();
        diff.dataset("", expected, actual);
        return diff.differences;
    }

    /**
     * Rewrites pydicom's output where Annex F is explicit and pydicom 2.3 departs from it:
     * <ol>
     * <li>group length attributes are dropped (F.2.2: "shall not be included");</li>
     * <li>a sequence with no items loses its empty "Value" (F.2.5: empty attributes have no "Value");</li>
     * <li>an empty string among a text attribute's values becomes null (F.2.5);</li>
     * <li>PN objects lose empty component groups (F.2.2: "non-empty name components"), and a PN value with no
     *     component group left becomes null (F.2.5).</li>
     * </ol>
     */
    static void normalisePydicom(Map<String, Object> dataset) {
        dataset.keySet().removeIf(tag -> tag.endsWith("0000"));
        for (Object a : dataset.values()) {
            Map<String, Object> attr = object(a);
            Object value = attr.get("Value");
            if (!(value instanceof List<?>)) {
                continue;
            }
            List<Object> values = array(value);
            if ("SQ".equals(attr.get("vr"))) {
                if (values.isEmpty()) {
                    attr.remove("Value");
                }
                for (Object item : values) {
                    if (item != null) {
                        normalisePydicom(object(item));
                    }
                }
                continue;
            }
            values.replaceAll(v -> {
                if ("".equals(v)) {
                    return null;
                }
                if (v instanceof Map<?, ?>) {
                    Map<String, Object> pn = object(v);
                    pn.values().removeIf(""::equals);
                    return pn.isEmpty() ? null : pn;
                }
                return v;
            });
        }
    }

    private void dataset(String prefix, Map<String, Object> expected, Map<String, Object> actual) {
        TreeSet<String> tags = new TreeSet<>(expected.keySet());
        tags.addAll(actual.keySet());
        for (String tag : tags) {
            String path = prefix + tag;
            Object e = expected.get(tag);
            Object a = actual.get(tag);
            if (e == null) {
                add(path, "only in dPACS: " + brief(a));
            } else if (a == null) {
                add(path, "only in pydicom: " + brief(e));
            } else {
                attribute(path, object(e), object(a));
            }
        }
    }

    private void attribute(String path, Map<String, Object> expected, Map<String, Object> actual) {
        Object vr = expected.get("vr");
        if (!vr.equals(actual.get("vr"))) {
            add(path, "vr " + vr + " in pydicom, " + actual.get("vr") + " in dPACS");
            return;
        }
        for (String member : List.of("InlineBinary", "BulkDataURI")) {
            Object e = expected.get(member);
            Object a = actual.get(member);
            if (e == null && a == null) {
                continue;
            }
            if (e == null || a == null) {
                add(path, member + (e == null ? " only in dPACS" : " only in pydicom"));
            } else if (member.equals("InlineBinary")) {
                binary(path, (String) e, (String) a);
            } else if (!e.equals(a)) {
                add(path, member + " '" + e + "' vs '" + a + "'");
            }
        }
        Object e = expected.get("Value");
        Object a = actual.get("Value");
        if (e == null && a == null) {
            return;
        }
        if (e == null || a == null) {
            add(path, "Value " + (e == null ? "only in dPACS: " + brief(a) : "only in pydicom: " + brief(e)));
            return;
        }
        List<Object> ev = array(e);
        List<Object> av = array(a);
        if (ev.size() != av.size()) {
            add(path, ev.size() + " values in pydicom, " + av.size() + " in dPACS: " + brief(ev) + " vs " + brief(av));
            return;
        }
        for (int i = 0; i < ev.size(); i++) {
            if ("SQ".equals(vr)) {
                Map<String, Object> ei = ev.get(i) == null ? Map.of() : object(ev.get(i));
                Map<String, Object> ai = av.get(i) == null ? Map.of() : object(av.get(i));
                dataset(path + "/" + i + "/", ei, ai);
            } else if (!valueEquals(ev.get(i), av.get(i), (String) vr)) {
                add(path, "value " + (i + 1) + " is " + brief(ev.get(i)) + " in pydicom, " + brief(av.get(i))
                        + " in dPACS");
            }
        }
    }

    private void binary(String path, String expected, String actual) {
        byte[] e = Base64.getDecoder().decode(expected);
        byte[] a = Base64.getDecoder().decode(actual);
        if (!Arrays.equals(e, a)) {
            int at = Arrays.mismatch(e, a);
            add(path, "InlineBinary differs: " + e.length + " bytes in pydicom, " + a.length
                    + " in dPACS, first difference at byte " + at);
        }
    }

    static boolean valueEquals(Object e, Object a, String vr) {
        if (e == null || a == null) {
            return e == a;
        }
        if (e instanceof JsonTree.Num en && a instanceof JsonTree.Num an) {
            return numberEquals(en.text(), an.text(), vr);
        }
        // NaN and infinities are strings in our JSON and bare tokens in Python's.
        if (e instanceof JsonTree.Num en && a instanceof String s) {
            return isNonFinite(s) && numberEquals(en.text(), s, vr);
        }
        return e.equals(a);
    }

    private static boolean isNonFinite(String s) {
        return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
    }

    static boolean numberEquals(String e, String a, String vr) {
        if (isNonFinite(e) || isNonFinite(a)) {
            return e.equals(a);
        }
        if ("FL".equals(vr)) {
            return Float.compare(Float.parseFloat(e), Float.parseFloat(a)) == 0;
        }
        if (new BigDecimal(e).compareTo(new BigDecimal(a)) == 0) {
            return true;
        }
        // pydicom converts DS to a Python float and writes its repr.
        return ("DS".equals(vr) || "FD".equals(vr)) && Double.parseDouble(e) == Double.parseDouble(a);
    }

    private void add(String path, String message) {
        differences.add(new Difference(path, message));
    }

    private static String brief(Object o) {
        String s = String.valueOf(o instanceof JsonTree.Num n ? n.text() : o);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** True when {@code path} is {@code prefix} or lies inside it. */
    static boolean within(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    static String summary(List<Difference> differences) {
        StringBuilder sb = new StringBuilder();
        Iterator<Difference> it = differences.iterator();
        for (int i = 0; i < 25 && it.hasNext(); i++) {
            sb.append("\n  ").append(it.next());
        }
        if (differences.size() > 25) {
            sb.append("\n  ... ").append(differences.size() - 25).append(" more");
        }
        return sb.toString();
    }
}
