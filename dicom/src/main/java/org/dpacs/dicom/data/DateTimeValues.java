package org.dpacs.dicom.data;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;

/** Parsing of DA, TM and DT values (PS3.5 Table 6.2-1), lenient about the ACR-NEMA forms still seen in files. */
public final class DateTimeValues {
    private DateTimeValues() {
    }

    /** {@code YYYYMMDD}, or the retired {@code YYYY.MM.DD}; empty when it is neither. */
    public static Optional<LocalDate> parseDate(String s) {
        String v = s.strip();
        if (v.length() == 10 && v.charAt(4) == '.' && v.charAt(7) == '.') {
            v = v.substring(0, 4) + v.substring(5, 7) + v.substring(8);
        }
        if (v.length() != 8 || !isDigits(v, 0, 8)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(num(v, 0, 4), num(v, 4, 6), num(v, 6, 8)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code HH[MM[SS[.F{1,6}]]]}, or the retired {@code HH:MM:SS.frac}; empty otherwise. */
    public static Optional<LocalTime> parseTime(String s) {
        String v = s.strip().replace(":", "");
        int dot = v.indexOf('.');
        String main = dot < 0 ? v : v.substring(0, dot);
        String frac = dot < 0 ? "" : v.substring(dot + 1);
        if (main.isEmpty() || main.length() > 6 || (main.length() & 1) == 1 || !isDigits(main, 0, main.length())
                || frac.length() > 6 || !isDigits(frac, 0, frac.length())) {
            return Optional.empty();
        }
        try {
            int hh = num(main, 0, 2);
            int mm = main.length() >= 4 ? num(main, 2, 4) : 0;
            int ss = main.length() >= 6 ? Math.min(num(main, 4, 6), 59) : 0; // 60 is a leap second in DICOM
            int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000").substring(0, 6)) * 1000;
            return Optional.of(LocalTime.of(hh, mm, ss, nanos));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code YYYY[MM[DD[HH[MM[SS[.F]]]]]]} with an optional {@code &ZZXX} offset, which is ignored here. */
    public static Optional<LocalDateTime> parseDateTime(String s) {
        String v = s.strip();
        int tz = Math.max(v.indexOf('+'), v.indexOf('-'));
        if (tz > 0) {
            v = v.substring(0, tz);
        }
        int dot = v.indexOf('.');
        String main = dot < 0 ? v : v.substring(0, dot);
        if (main.length() < 4 || main.length() > 14 || (main.length() & 1) == 1 || !isDigits(main, 0, main.length())) {
            return Optional.empty();
        }
        try {
            int year = num(main, 0, 4);
            int month = main.length() >= 6 ? num(main, 4, 6) : 1;
            int day = main.length() >= 8 ? num(main, 6, 8) : 1;
            LocalDate date = LocalDate.of(year, month, day);
            if (main.length() <= 8) {
                return Optional.of(date.atStartOfDay());
            }
            return parseTime(v.substring(8)).map(date::atTime);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }
}
