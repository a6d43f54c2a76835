package org.dpacs.server.index;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The normal forms values are indexed and matched in, shared by the indexer and the query side so that both
 * sides always agree.
 *
 * <ul>
 * <li>PN: Unicode NFKC (so half- and full-width katakana compare equal), lower case, trailing {@code ^} and spaces
 *     of each component group and trailing empty groups removed. Matching is case-insensitive (PS3.4 C.2.2.2.1
 *     leaves PN case to the implementation).</li>
 * <li>IS, DS and the binary numbers: canonical decimal text, so {@code 007} matches {@code 7}.</li>
 * <li>DA, TM, DT: numbers {@code yyyyMMdd}, {@code HHmmssSSS} and {@code yyyyMMddHHmmssSSS} (milliseconds; finer
 *     fractions are cut, a DT offset {@code &ZZXX} is ignored).</li>
 * </ul>
 */
final class MatchValues {
    private static final Pattern TIME = Pattern.compile("(\\d{2})(\\d{2})?(\\d{2})?(?:\\.(\\d{1,6}))?");
    private static final Pattern DATE_TIME =
            Pattern.compile("(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,6}))?([+-]\\d{4})?");
    private static final long TIME_SCALE = 1_000_000_000L;

    private MatchValues() {
    }

    /** The normal form of a whole PN value (all component groups). */
    static String personName(String value) {
        String n = Normalizer.normalize(value, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String[] groups = n.split("=", -1);
        StringBuilder sb = new StringBuilder(n.length());
        for (int i = 0; i < groups.length; i++) {
            if (i > 0) {
                sb.append('=');
            }
            sb.append(trimGroup(groups[i]));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == '=') {
            end--;
        }
        return sb.substring(0, end);
    }

    /** The terms a PN value is indexed under: the whole value and each non-empty component group. */
    static List<String> personNameTerms(String value) {
        Set<String> out = new LinkedHashSet<>();
        String whole = personName(value);
        if (!whole.isEmpty()) {
            out.add(whole);
        }
        for (String group : whole.split("=", -1)) {
            if (!group.isEmpty()) {
                out.add(group);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The words fuzzy matching compares prefixes against: every name component of every group, and every
     * space-separated word inside a component ("van der berg" gives itself, "van", "der", "berg").
     */
    static List<String> personNameWords(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String group : personName(value).split("=", -1)) {
            for (String component : group.split("\\^", -1)) {
                String c = component.strip();
                if (c.isEmpty()) {
                    continue;
                }
                out.add(c);
                for (String word : c.split("\\s+")) {
                    if (!word.isEmpty()) {
                        out.add(word);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The words of a fuzzy PN query: split at component and group delimiters and spaces, normalised. */
    static List<String> fuzzyQueryWords(String value) {
        List<String> out = new ArrayList<>();
        for (String word : personName(value).split("[\\^=\\s]+")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }

    private static String trimGroup(String group) {
        int end = group.length();
        while (end > 0 && (group.charAt(end - 1) == '^' || group.charAt(end - 1) == ' ')) {
            end--;
        }
        return group.substring(0, end).strip();
    }

    /** Canonical decimal text of a number ("+007" and "7.0" give "7"); empty when it is not a number. */
    static Optional<String> number(String value) {
        String v = value.strip();
        if (v.startsWith("+")) {
            v = v.substring(1);
        }
        try {
            BigDecimal d = new BigDecimal(v).stripTrailingZeros();
            return Optional.of(d.signum() == 0 ? "0" : d.toPlainString());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** DA {@code YYYYMMDD} as {@code yyyyMMdd}; empty when it is no valid date. */
    static OptionalLong date(String value) {
        String v = value.strip();
        if (v.length() != 8 || !v.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        try {
            LocalDate.of(Integer.parseInt(v, 0, 4, 10), Integer.parseInt(v, 4, 6, 10), Integer.parseInt(v, 6, 8, 10));
            return OptionalLong.of(Long.parseLong(v));
        } catch (DateTimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The first instant of a TM value, {@code HHmmssSSS}; empty when it is no valid time. */
    static OptionalLong time(String value) {
        long[] b = timeBounds(value.strip());
        return b == null ? OptionalLong.empty() : OptionalLong.of(b[0]);
    }

    /** The first instant of a DT value, {@code yyyyMMddHHmmssSSS}; empty when it is no valid date time. */
    static OptionalLong dateTime(String value) {
        long[] b = dateTimeBounds(value.strip());
        return b == null ? OptionalLong.empty() : OptionalLong.of(b[0]);
    }

    /** A DA and a TM value as one {@code yyyyMMddHHmmssSSS} instant (PS3.4 C.2.2.2.5.1 combined matching). */
    static long combine(long date, long time) {
        return date * TIME_SCALE + time;
    }

    /** The first and last instant a DA value denotes, or null when it is not a date. */
    static long[] dateBounds(String value) {
        OptionalLong d = date(value);
        return d.isEmpty() ? null : new long[]{d.getAsLong(), d.getAsLong()};
    }

    /**
     * The first and last millisecond a TM value denotes at its precision: "10" is 10:00:00.000 to 10:59:59.999,
     * "1015" 10:15:00.000 to 10:15:59.999. Null when it is not a time.
     */
    static long[] timeBounds(String value) {
        Matcher m = TIME.matcher(value);
        if (!m.matches()) {
            return null;
        }
        int hh = Integer.parseInt(m.group(1));
        if (hh > 23 || (m.group(2) == null && m.group(3) != null) || (m.group(4) != null && m.group(3) == null)) {
            return null;
        }
        int mmLow = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int mmHigh = m.group(2) == null ? 59 : mmLow;
        int ssLow = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int ssHigh = m.group(3) == null ? 59 : ssLow;
        if (mmLow > 59 || ssLow > 60) {
            return null;
        }
        ssLow = Math.min(ssLow, 59); // PS3.5 Table 6.2-1 allows 60 for a leap second
        ssHigh = Math.min(ssHigh, 59);
        String frac = m.group(4);
        int msLow = frac == null ? 0 : Integer.parseInt((frac + "000").substring(0, 3));
        int msHigh = frac == null ? 999 : frac.length() >= 3 ? msLow : Integer.parseInt((frac + "999").substring(0, 3));
        return new long[]{hh * 10_000_000L + mmLow * 100_000L + ssLow * 1000L + msLow,
            hh * 10_000_000L + mmHigh * 100_000L + ssHigh * 1000L + msHigh};
    }

    /**
     * The first and last millisecond a DT value denotes at its precision ("2020" is the whole year, "202002" the
     * whole of February). The offset, if any, is ignored. Null when it is not a date time.
     */
    static long[] dateTimeBounds(String value) {
        Matcher m = DATE_TIME.matcher(value);
        if (!m.matches()) {
            return null;
        }
        for (int g = 3; g <= 6; g++) {
            if (m.group(g) != null && m.group(g - 1) == null) {
                return null;
            }
        }
        try {
            int year = Integer.parseInt(m.group(1));
            int monthLow = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int monthHigh = m.group(2) == null ? 12 : monthLow;
            if (monthLow < 1 || monthLow > 12) {
                return null;
            }
            int dayLow = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            int dayHigh = m.group(3) == null ? YearMonth.of(year, monthHigh).lengthOfMonth() : dayLow;
            LocalDate.of(year, monthLow, dayLow);
            long dateLow = year * 10_000L + monthLow * 100L + dayLow;
            long dateHigh = year * 10_000L + monthHigh * 100L + dayHigh;
            if (m.group(4) == null) {
                return new long[]{combine(dateLow, 0), combine(dateHigh, 235_959_999L)};
            }
            String time = m.group(4) + (m.group(5) == null ? "" : m.group(5)) + (m.group(6) == null ? "" : m.group(6))
                    + (m.group(7) == null ? "" : "." + m.group(7));
            long[] t = timeBounds(time);
            return t == null ? null : new long[]{combine(dateLow, t[0]), combine(dateHigh, t[1])};
        } catch (DateTimeException e) {
            return null;
        }
    }
}
