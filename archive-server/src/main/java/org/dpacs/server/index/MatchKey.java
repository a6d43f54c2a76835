package org.dpacs.server.index;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;

/**
 * One matching key of a query: the attribute (a path of tags, more than one for sequence matching, PS3.18
 * 8.3.4.1 and PS3.4 C.2.2.2.6), the VR of its last tag, and how it matches.
 *
 * @param path      top-level tag first; every tag but the last is a sequence
 * @param vr        the dictionary VR of the last tag
 * @param condition the kind of matching PS3.4 C.2.2.2 names
 */
public record MatchKey(List<Integer> path, Vr vr, Condition condition) {

    public MatchKey {
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("A match key needs at least one tag");
        }
        Objects.requireNonNull(vr, "vr");
        Objects.requireNonNull(condition, "condition");
    }

    /** The top-level tag: the attribute the response carries for this key. */
    public int tag() {
        return path.get(0);
    }

    /** The tag whose values are matched. */
    public int leaf() {
        return path.get(path.size() - 1);
    }

    /** The path as the index names it: hex tags joined by dots, e.g. {@code 00081032.00080100}. */
    public String name() {
        return path.stream().map(Tag::toHex).collect(Collectors.joining("."));
    }

    /** How a key matches (PS3.4 C.2.2.2). */
    public sealed interface Condition {
    }

    /** C.2.2.2.3: no value; every entity matches and the attribute is returned. */
    public record Universal() implements Condition {
    }

    /**
     * The value {@code ""} (two double quotes): only entities without a value for the attribute match, the
     * empty value matching PS3.18 8.3.4.5 describes.
     */
    public record Empty() implements Condition {
    }

    /**
     * C.2.2.2.1 single value, C.2.2.2.2 list of UIDs and C.2.2.2.4 wild card matching: an entity matches when one
     * of its values matches one of these. Values of text VRs may contain {@code *} and {@code ?}; numbers are
     * canonical decimal text, UIDs as given.
     */
    public record Values(List<String> values) implements Condition {
        public Values {
            values = List.copyOf(values);
        }
    }

    /**
     * C.2.2.2.5 range matching of DA, TM and DT (a single value is the range of its precision), in the index's
     * numeric forms: DA {@code yyyyMMdd}, TM {@code HHmmssSSS}, DT {@code yyyyMMddHHmmssSSS}. {@link Long#MIN_VALUE}
     * and {@link Long#MAX_VALUE} mean an open end.
     */
    public record Range(long low, long high) implements Condition {
        public boolean openLow() {
            return low == Long.MIN_VALUE;
        }

        public boolean openHigh() {
            return high == Long.MAX_VALUE;
        }
    }
}
