package org.dpacs.server.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.dpacs.dicom.data.Vr;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.index.MatchKey.Condition;

/** Reads the value of a matching key into the kind of matching PS3.4 C.2.2.2 names, checked against the VR. */
final class Conditions {
    private static final Pattern AGE = Pattern.compile("\\d{3}[DWMY]");
    /** PS3.4 C.2.2.2.4: the VRs wild cards apply to. */
    private static final Set<Vr> WILDCARD_VRS = Set.of(Vr.AE, Vr.CS, Vr.LO, Vr.LT, Vr.PN, Vr.SH, Vr.ST, Vr.UC,
            Vr.UR, Vr.UT);
    private static final Set<Vr> NUMBER_VRS = Set.of(Vr.IS, Vr.DS, Vr.US, Vr.SS, Vr.UL, Vr.SL, Vr.UV, Vr.SV,
            Vr.FL, Vr.FD);

    private Conditions() {
    }

    /** PS3.4 C.2.2.2: which kind of matching the value asks for, checked against the VR. */
    static Condition parse(String name, String raw, Vr vr) {
        String value = raw.strip();
        if (value.isEmpty()) {
            return new MatchKey.Universal();
        }
        if (value.equals("\"\"")) {
            return new MatchKey.Empty();
        }
        String param = name + "=" + raw;
        if (vr == Vr.SQ) {
            throw DpacsException.badRequest("Query parameter '" + param + "': a sequence matches through its items; "
                    + "name the item attribute, e.g. " + name + ".00080100=value (PS3.18 8.3.4.1, PS3.4 C.2.2.2.6)");
        }
        if (value.chars().allMatch(c -> c == '*')) {
            return new MatchKey.Universal(); // C.2.2.2.4: "*" alone is universal matching
        }
        boolean wildcard = value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
        if (wildcard && !WILDCARD_VRS.contains(vr)) {
            throw DpacsException.badRequest("Query parameter '" + param + "': wild cards (* and ?) are not allowed for "
                    + vr + " attributes (PS3.4 C.2.2.2.4)" + (vr == Vr.DA || vr == Vr.TM || vr == Vr.DT
                    ? "; use a range such as 20200101-20201231" : ""));
        }
        return switch (vr) {
            case UI -> new MatchKey.Values(uids(param, value));
            case DA, TM, DT -> range(param, value, vr);
            case AE, CS, LO, LT, PN, SH, ST, UC, UR, UT -> new MatchKey.Values(texts(value, vr));
            case AS -> new MatchKey.Values(each(param, value, v -> AGE.matcher(v).matches() ? v : null,
                    "an age such as 045Y"));
            case AT -> new MatchKey.Values(each(param, value,
                    v -> QidoQuery.HEX_TAG.matcher(v).matches() ? v.toUpperCase(Locale.ROOT) : null, "a tag such as 00100010"));
            default -> {
                if (!NUMBER_VRS.contains(vr)) {
                    throw DpacsException.badRequest("Query parameter '" + param + "': attributes of VR " + vr
                            + " cannot be matched, only returned (give the key without a value)");
                }
                yield new MatchKey.Values(each(param, value, v -> MatchValues.number(v).orElse(null),
                        "a number (" + vr + ")"));
            }
        };
    }

    private static List<String> uids(String param, String value) {
        List<String> out = new ArrayList<>();
        for (String uid : value.split("[\\\\,]")) {
            String u = uid.strip();
            if (u.isEmpty()) {
                continue;
            }
            if (u.length() > 64 || !QidoQuery.UID.matcher(u).matches()) {
                throw DpacsException.badRequest("Query parameter '" + param + "': '" + u
                        + "' is not a UID (digits and dots, at most 64 characters, PS3.5 9.1)");
            }
            out.add(u);
        }
        if (out.isEmpty()) {
            throw DpacsException.badRequest("Query parameter '" + param + "': no UID in the list");
        }
        return out;
    }

    private static List<String> texts(String value, Vr vr) {
        List<String> out = new ArrayList<>();
        for (String v : value.split("\\\\")) {
            // PS3.5 6.2: leading spaces are significant except for these VRs; trailing ones never are.
            String t = switch (vr) {
                case AE, CS -> v.strip();
                default -> v.stripTrailing();
            };
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<String> each(String param, String value, Function<String, String> norm,
                                     String expected) {
        List<String> out = new ArrayList<>();
        for (String v : value.split("\\\\")) {
            if (v.isBlank()) {
                continue;
            }
            String n = norm.apply(v.strip());
            if (n == null) {
                throw DpacsException.badRequest("Query parameter '" + param + "': '" + v.strip() + "' is not "
                        + expected);
            }
            out.add(n);
        }
        return out;
    }

    /** C.2.2.2.5: {@code low-high}, {@code -high}, {@code low-} or one value (the range of its precision). */
    private static Condition range(String param, String value, Vr vr) {
        if (value.indexOf('\\') >= 0) {
            throw DpacsException.badRequest("Query parameter '" + param + "': give one " + vr
                    + " value or range, not a list");
        }
        String low;
        String high;
        int dash = rangeDash(value, vr);
        if (dash < 0) {
            low = value;
            high = value;
        } else {
            low = value.substring(0, dash).strip();
            high = value.substring(dash + 1).strip();
            if (low.isEmpty() && high.isEmpty()) {
                throw DpacsException.badRequest("Query parameter '" + param + "': a range needs at least one end");
            }
        }
        long lo = low.isEmpty() ? Long.MIN_VALUE : bounds(param, low, vr)[0];
        long hi = high.isEmpty() ? Long.MAX_VALUE : bounds(param, high, vr)[1];
        if (lo > hi) {
            throw DpacsException.badRequest("Query parameter '" + param + "': the range ends before it starts");
        }
        return new MatchKey.Range(lo, hi);
    }

    /**
     * Where the range separator is. For DT a '-' may also start a UTC offset ({@code 20200101120000-0500}): a
     * dash followed by exactly four digits at the end, after at least an hour, is read as an offset.
     */
    private static int rangeDash(String value, Vr vr) {
        int dash = value.indexOf('-');
        if (vr != Vr.DT) {
            return dash;
        }
        int last = value.lastIndexOf('-');
        if (last >= 10 && value.length() - last == 5 && value.substring(last + 1).chars().allMatch(Character::isDigit)
                && value.indexOf('-') == last) {
            return -1;
        }
        return dash;
    }

    private static long[] bounds(String param, String value, Vr vr) {
        long[] b = switch (vr) {
            case DA -> MatchValues.dateBounds(value);
            case TM -> MatchValues.timeBounds(value);
            default -> MatchValues.dateTimeBounds(value);
        };
        if (b == null) {
            String form = switch (vr) {
                case DA -> "YYYYMMDD";
                case TM -> "HH[MM[SS[.FFFFFF]]]";
                default -> "YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]";
            };
            throw DpacsException.badRequest("Query parameter '" + param + "': '" + value + "' is not a valid " + vr
                    + " value (" + form + ", PS3.5 Table 6.2-1)");
        }
        return b;
    }
}
