package org.dpacs.dicom.charset;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.dpacs.dicom.data.Vr;

/**
 * Decodes text that uses ISO/IEC 2022 code extensions (PS3.5 6.1.2.4-6.1.2.5), i.e. values whose Specific
 * Character Set (0008,0005) is multi-valued or uses an {@code ISO 2022 ...} Defined Term.
 *
 * <p>The state machine is ours; the JDK charsets only serve to build the per-set code tables once. The decoder
 * never throws on malformed input: undecodable bytes and unknown escape sequences become U+FFFD, since values
 * come from untrusted files. Instances are immutable and thread-safe.
 */
final class Iso2022Decoder {

    static final int ESC = 0x1B;
    static final char REPLACEMENT = '\uFFFD';

    private final CodeElement initialG0;
    private final CodeElement initialG1;

    /**
     * @param initialG0 the G0 element designated by value 1 of (0008,0005) (ISO-IR 6 or ISO-IR 14)
     * @param initialG1 the G1 element designated by value 1, or {@link CodeElement#UNDEFINED_G1}
     */
    Iso2022Decoder(CodeElement initialG0, CodeElement initialG1) {
        this.initialG0 = initialG0;
        this.initialG1 = initialG1;
    }

    /** Index of the first ESC in the range, or -1; the caller's gate to the state machine. */
    static int indexOfEscape(byte[] value, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (value[i] == ESC) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True when {@code b}, read while a single-byte set is in G0, ends a value, component group or component
     * for this VR; PS3.5 6.1.2.5.3 requires value 1's character set to be active again after it.
     */
    static boolean isDelimiter(int b, Vr vr) {
        return switch (b) {
            case '\\' -> vr.isMultiValuedText();
            case '^', '=' -> vr == Vr.PN;
            default -> false;
        };
    }

    /** Decodes the whole range; delimiters and padding are kept. */
    String decode(byte[] value, int offset, int length, Vr vr) {
        StringBuilder out = new StringBuilder(length);
        CodeElement g0 = initialG0;
        CodeElement g1 = initialG1;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = value[i] & 0xFF;
            if (b == ESC) {
                int n = escapeLength(value, i, end);
                if (n == 0) {
                    // a lone ESC carries no designation; drop it visibly and go on with the next byte
                    out.append(REPLACEMENT);
                    i++;
                    continue;
                }
                CodeElement designated = CodeElement.forEscape(value, i, n);
                if (designated == null) {
                    // well-formed but not one of the sequences of PS3.3 Tables C.12-3/C.12-4
                    out.append(REPLACEMENT);
                } else if (designated.g1) {
                    g1 = designated;
                } else {
                    g0 = designated;
                }
                i += n;
                continue;
            }
            if (b < 0x20) {
                // PS3.5 6.1.2.5.3: value 1's set is active again after CR, LF, FF, TAB and every other control
                // character. A control byte can never be part of a multi-byte character, so this holds even in
                // a two-byte G0; Annex K.3 shows G1 must be re-designated on every line as well.
                out.append((char) b);
                g0 = initialG0;
                g1 = initialG1;
                i++;
                continue;
            }
            if (b == 0x20 || b == 0x7F) {
                // SPACE and DEL are fixed in GL whatever set is designated to G0 (ISO/IEC 2022 6.2)
                out.append((char) b);
                i++;
                continue;
            }
            if (b < 0x80) {
                if (g0.width == 1) {
                    out.append(g0.decode1(b));
                    if (g0.asciiLike && isDelimiter(b, vr)) {
                        // PS3.5 6.1.2.5.3: back to value 1 after each value, component group and component
                        g0 = initialG0;
                        g1 = initialG1;
                    }
                    i++;
                } else if (i + 1 < end && isGl94(value[i + 1] & 0xFF)) {
                    out.append(g0.decode2(b, value[i + 1] & 0xFF));
                    i += 2;
                } else {
                    out.append(REPLACEMENT);
                    i++;
                }
                continue;
            }
            // GR: the G1 element
            if (g1.width == 1) {
                if (g1.shiftJisFallback && isShiftJisLead(b) && i + 1 < end
                        && isShiftJisTrail(value[i + 1] & 0xFF)) {
                    // Lenient: JIS X 0201 data written by devices that actually emit Shift_JIS kanji
                    out.append(new String(value, i, 2, CodeElement.SHIFT_JIS));
                    i += 2;
                } else {
                    out.append(g1.decode1(b));
                    i++;
                }
            } else if (isGr94(b) && i + 1 < end && isGr94(value[i + 1] & 0xFF)) {
                out.append(g1.decode2(b, value[i + 1] & 0xFF));
                i += 2;
            } else {
                out.append(REPLACEMENT);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Length of the escape sequence at {@code i} (ESC, up to three Intermediate Bytes 02/00-02/15, one Final Byte
     * 03/00-07/14, the ISO/IEC 2022 structure), or 0 when the bytes there do not form one.
     */
    static int escapeLength(byte[] value, int i, int end) {
        int j = i + 1;
        while (j < end && j <= i + 3 && (value[j] & 0xFF) >= 0x20 && (value[j] & 0xFF) <= 0x2F) {
            j++;
        }
        if (j < end && (value[j] & 0xFF) >= 0x30 && (value[j] & 0xFF) <= 0x7E) {
            return j - i + 1;
        }
        return 0;
    }

    private static boolean isGl94(int b) {
        return b >= 0x21 && b <= 0x7E;
    }

    private static boolean isGr94(int b) {
        return b >= 0xA1 && b <= 0xFE;
    }

    private static boolean isShiftJisLead(int b) {
        return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
    }

    private static boolean isShiftJisTrail(int b) {
        return (b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFC);
    }

    /**
     * One graphic character set as designated to G0 or G1 by an escape sequence (PS3.3 Tables C.12-3 and C.12-4),
     * with its code table. Tables are built lazily from JDK charsets on first use and then shared.
     */
    static final class CodeElement {

        static final Charset SHIFT_JIS = Charset.forName("Shift_JIS");
        private static final Charset EUC_JP = Charset.forName("EUC-JP");
        private static final Charset EUC_KR = Charset.forName("EUC-KR");
        private static final Charset EUC_CN = Charset.forName("GB2312");

        private static final Table ASCII_TABLE = new Table(CodeElement::asciiTable);
        private static final Table KATAKANA_TABLE = new Table(CodeElement::katakanaTable);
        private static final Table LATIN1_TABLE = new Table(() -> highHalf(StandardCharsets.ISO_8859_1));
        // JIS X 0208 via EUC-JP; 0x213D (row 1 cell 29) is U+2015 as in JIS0208.TXT, Python and pydicom (JDK: U+2014)
        private static final Table JIS_X_0208_TABLE =
                new Table(() -> doubleByte(EUC_JP, false, 0x213D, '\u2015'), '\u2015', '\u2014');
        // JIS X 0212 via EUC-JP's 0x8F plane; 0x2237 is TILDE as in JIS0212.TXT and Python (JDK: FULLWIDTH TILDE)
        private static final Table JIS_X_0212_TABLE =
                new Table(() -> doubleByte(EUC_JP, true, 0x2237, '~'), '~', '\uFF5E');
        private static final Table KS_X_1001_TABLE = new Table(() -> doubleByte(EUC_KR, false, 0, '\0'));
        private static final Table GB_2312_TABLE = new Table(() -> doubleByte(EUC_CN, false, 0, '\0'));

        /** ISO-IR 6 (ASCII), ESC 02/08 04/02. */
        static final CodeElement ASCII = new CodeElement("ISO-IR 6", false, 1, "(B", true, ASCII_TABLE, false);
        /**
         * ISO-IR 14 (JIS X 0201 romaji), ESC 02/08 04/10. Decoded like ASCII: 05/12 stays REVERSE SOLIDUS because
         * PS3.5 6.1.2.5.3 uses it as the value delimiter, and pydicom decodes it the same way.
         */
        static final CodeElement ROMAJI = new CodeElement("ISO-IR 14", false, 1, "(J", true, ASCII_TABLE, false);
        /** ISO-IR 13 (JIS X 0201 katakana) in G0, ESC 02/08 04/09 (PS3.5 Table H.1-1); read only. */
        static final CodeElement KATAKANA_G0 =
                new CodeElement("ISO-IR 13", false, 1, "(I", false, KATAKANA_TABLE, false);
        /** ISO-IR 13 (JIS X 0201 katakana) in G1, ESC 02/09 04/09. */
        static final CodeElement KATAKANA_G1 =
                new CodeElement("ISO-IR 13", true, 1, ")I", false, KATAKANA_TABLE, true);
        /**
         * G1 when value 1 is empty or ISO-IR 6: undefined by PS3.5 6.1.2.5.4 c, read leniently as ISO 8859-1 like
         * pydicom; never designated by the encoder.
         */
        static final CodeElement UNDEFINED_G1 = new CodeElement("none", true, 1, null, false, LATIN1_TABLE, false);

        static final CodeElement LATIN1 = sbcs96("ISO-IR 100", 'A', StandardCharsets.ISO_8859_1);
        static final CodeElement LATIN2 = sbcs96("ISO-IR 101", 'B', Charset.forName("ISO-8859-2"));
        static final CodeElement LATIN3 = sbcs96("ISO-IR 109", 'C', Charset.forName("ISO-8859-3"));
        static final CodeElement LATIN4 = sbcs96("ISO-IR 110", 'D', Charset.forName("ISO-8859-4"));
        static final CodeElement GREEK = sbcs96("ISO-IR 126", 'F', Charset.forName("ISO-8859-7"));
        static final CodeElement ARABIC = sbcs96("ISO-IR 127", 'G', Charset.forName("ISO-8859-6"));
        static final CodeElement HEBREW = sbcs96("ISO-IR 138", 'H', Charset.forName("ISO-8859-8"));
        static final CodeElement CYRILLIC = sbcs96("ISO-IR 144", 'L', Charset.forName("ISO-8859-5"));
        static final CodeElement LATIN5 = sbcs96("ISO-IR 148", 'M', Charset.forName("ISO-8859-9"));
        static final CodeElement THAI = sbcs96("ISO-IR 166", 'T', thaiCharset());
        static final CodeElement LATIN9 = sbcs96("ISO-IR 203", 'b', Charset.forName("ISO-8859-15"));

        /** JIS X 0208 in G0, ESC 02/04 04/02 (ISO 2022 IR 87). */
        static final CodeElement JIS_X_0208 = dbcs("ISO-IR 87", false, "$B", JIS_X_0208_TABLE);
        /** JIS X 0212 in G0, ESC 02/04 02/08 04/04 (ISO 2022 IR 159). */
        static final CodeElement JIS_X_0212 = dbcs("ISO-IR 159", false, "$(D", JIS_X_0212_TABLE);
        /** KS X 1001 in G1, ESC 02/04 02/09 04/03 (ISO 2022 IR 149). */
        static final CodeElement KS_X_1001 = dbcs("ISO-IR 149", true, "$)C", KS_X_1001_TABLE);
        /** GB 2312 in G1, ESC 02/04 02/09 04/01 (ISO 2022 IR 58). */
        static final CodeElement GB_2312 = dbcs("ISO-IR 58", true, "$)A", GB_2312_TABLE);

        /** Designations outside PS3.3 that real files use; accepted when reading, never written. */
        private static final CodeElement JIS_X_0208_G1 = dbcs("ISO-IR 87", true, "$)B", JIS_X_0208_TABLE);
        private static final CodeElement JIS_X_0212_G1 = dbcs("ISO-IR 159", true, "$)D", JIS_X_0212_TABLE);
        private static final CodeElement KS_X_1001_G0 = dbcs("ISO-IR 149", false, "$(C", KS_X_1001_TABLE);
        private static final CodeElement GB_2312_G0 = dbcs("ISO-IR 58", false, "$A", GB_2312_TABLE);

        private static final Map<Long, CodeElement> BY_ESCAPE = new HashMap<>();

        static {
            for (CodeElement e : new CodeElement[] {ASCII, ROMAJI, KATAKANA_G0, KATAKANA_G1, LATIN1, LATIN2, LATIN3,
                    LATIN4, GREEK, ARABIC, HEBREW, CYRILLIC, LATIN5, THAI, LATIN9, JIS_X_0208, JIS_X_0212, KS_X_1001,
                    GB_2312, JIS_X_0208_G1, JIS_X_0212_G1, KS_X_1001_G0, GB_2312_G0}) {
                BY_ESCAPE.put(key(e.escape, 1, e.escape.length - 1), e);
            }
            // ESC $ @ (JIS C 6226-1978) and the long forms ESC $ ( @ / ESC $ ( B / ESC $ ( A read as their
            // current editions; ISO/IEC 2022 allows omitting 02/08 only for final bytes 04/00-04/02.
            alias("$@", JIS_X_0208);
            alias("$(@", JIS_X_0208);
            alias("$(B", JIS_X_0208);
            alias("$(A", GB_2312_G0);
            alias("$)@", JIS_X_0208_G1);
        }

        final String registration;
        final boolean g1;
        final int width;
        /** The full designation sequence starting with ESC; empty for {@link #UNDEFINED_G1}. */
        final byte[] escape;
        /** A single-byte G0 in which 05/12, 05/14 and 03/13 are the DICOM delimiters (ISO-IR 6, ISO-IR 14). */
        final boolean asciiLike;
        final boolean shiftJisFallback;
        private final Table table;

        private CodeElement(String registration, boolean g1, int width, String escape, boolean asciiLike,
                Table table, boolean shiftJisFallback) {
            this.registration = registration;
            this.g1 = g1;
            this.width = width;
            this.escape = escape == null ? new byte[0] : bytes("\u001B" + escape);
            this.asciiLike = asciiLike;
            this.table = table;
            this.shiftJisFallback = shiftJisFallback;
        }

        private static CodeElement dbcs(String registration, boolean g1, String escape, Table table) {
            return new CodeElement(registration, g1, 2, escape, false, table, false);
        }

        private static CodeElement sbcs96(String registration, char finalByte, Charset charset) {
            return new CodeElement(registration, true, 1, "-" + finalByte, false, new Table(() -> highHalf(charset)),
                    false);
        }

        private static void alias(String afterEsc, CodeElement e) {
            byte[] b = bytes(afterEsc);
            BY_ESCAPE.put(key(b, 0, b.length), e);
        }

        /** The element designated by the escape sequence of length {@code n} at {@code i}, or null. */
        static CodeElement forEscape(byte[] value, int i, int n) {
            return BY_ESCAPE.get(key(value, i + 1, n - 1));
        }

        /** The bytes after ESC packed into a long, prefixed with their count so lengths never collide. */
        private static long key(byte[] b, int from, int count) {
            long k = count;
            for (int j = from; j < from + count; j++) {
                k = (k << 8) | (b[j] & 0xFF);
            }
            return k;
        }

        /** True for the elements the encoder may designate. */
        boolean isDesignatable() {
            return escape.length > 0;
        }

        /** Decodes a single-byte character; {@code b} is the raw byte (GL for G0, GR for G1). */
        char decode1(int b) {
            return table.chars()[b & 0x7F];
        }

        /** Decodes a two-byte character from raw bytes in GL (G0) or GR (G1). */
        char decode2(int b1, int b2) {
            return table.chars()[((b1 & 0x7F) - 0x21) * 94 + ((b2 & 0x7F) - 0x21)];
        }

        /**
         * The bytes for code point {@code cp} in this element, packed big-endian with the GR bit set for G1
         * elements, or -1 when the set does not contain it.
         */
        int encode(int cp) {
            if (asciiLike) {
                return cp < 0x80 ? cp : -1;
            }
            if (cp == REPLACEMENT || cp > 0xFFFF || escape.length == 0) {
                return -1;
            }
            int code;
            if (width == 1) {
                code = table.reverseSingle((char) cp);
                return code < 0 ? -1 : (g1 ? code | 0x80 : code);
            }
            code = table.reverseDouble((char) cp);
            return code < 0 ? -1 : (g1 ? code | 0x8080 : code);
        }

        @Override
        public String toString() {
            return registration + (g1 ? " G1" : " G0");
        }

        static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static Charset thaiCharset() {
            // ISO 8859-11 is TIS 620 plus NO-BREAK SPACE at 0xA0, the 88th character of ISO-IR 166
            return Charset.isSupported("x-iso-8859-11") ? Charset.forName("x-iso-8859-11") : Charset.forName("TIS-620");
        }

        private static char[] asciiTable() {
            char[] t = new char[128];
            for (int i = 0; i < 128; i++) {
                t[i] = (char) i;
            }
            return t;
        }

        private static char[] katakanaTable() {
            // JIS X 0201 katakana 02/01-05/15 map to the Unicode halfwidth forms U+FF61-U+FF9F
            char[] t = new char[128];
            for (int i = 0; i < 128; i++) {
                t[i] = i >= 0x21 && i <= 0x5F ? (char) (0xFF61 + i - 0x21) : REPLACEMENT;
            }
            return t;
        }

        /** Bytes 0x80-0xFF of a single-byte charset, indexed by {@code b & 0x7F}. */
        private static char[] highHalf(Charset charset) {
            char[] t = new char[128];
            byte[] one = new byte[1];
            for (int i = 0; i < 128; i++) {
                one[0] = (byte) (0x80 | i);
                String s = new String(one, charset);
                t[i] = s.length() == 1 ? s.charAt(0) : REPLACEMENT;
            }
            return t;
        }

        /**
         * A 94x94 table taken from an EUC charset, whose code set 1 (or, with {@code plane2}, code set 3 behind
         * SS3 0x8F) is the ISO 2022 set with the high bits set. {@code fixCode}/{@code fixChar} override one entry.
         */
        private static char[] doubleByte(Charset euc, boolean plane2, int fixCode, char fixChar) {
            char[] t = new char[94 * 94];
            byte[] b = plane2 ? new byte[3] : new byte[2];
            int p = plane2 ? 1 : 0;
            if (plane2) {
                b[0] = (byte) 0x8F;
            }
            for (int r = 0; r < 94; r++) {
                for (int c = 0; c < 94; c++) {
                    b[p] = (byte) (0xA1 + r);
                    b[p + 1] = (byte) (0xA1 + c);
                    String s = new String(b, euc);
                    t[r * 94 + c] = s.length() == 1 ? s.charAt(0) : REPLACEMENT;
                }
            }
            if (fixCode != 0) {
                t[((fixCode >> 8) - 0x21) * 94 + ((fixCode & 0xFF) - 0x21)] = fixChar;
            }
            return t;
        }
    }

    /**
     * A lazily built code table and its reverse. Building is idempotent, so a race only costs duplicate work; the
     * volatile fields publish the finished arrays safely.
     */
    static final class Table {
        private final Supplier<char[]> factory;
        /** Pairs (character in the table, other character that encodes to the same code). */
        private final char[] aliases;
        private volatile char[] chars;
        private volatile char[] reverse;

        Table(Supplier<char[]> factory, char... aliases) {
            this.factory = factory;
            this.aliases = aliases;
        }

        char[] chars() {
            char[] t = chars;
            if (t == null) {
                t = factory.get();
                chars = t;
            }
            return t;
        }

        /** Index (0-127) of {@code c} in a single-byte table, or -1. Linear: encoding is not on the hot path. */
        int reverseSingle(char c) {
            char[] t = chars();
            for (int i = 0; i < t.length; i++) {
                if (t[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        /** The GL code (row and column 0x21-0x7E) of {@code c} in a 94x94 table, or -1. */
        int reverseDouble(char c) {
            char[] r = reverse;
            if (r == null) {
                r = buildReverse(chars());
                reverse = r;
            }
            int code = r[c];
            return code == 0 ? -1 : code;
        }

        private char[] buildReverse(char[] t) {
            char[] r = new char[0x10000];
            for (int i = 0; i < t.length; i++) {
                char c = t[i];
                // ASCII always goes to the ASCII G0 rather than to a two-byte look-alike; for duplicates the
                // lowest code wins, so the choice is stable
                if (c >= 0x80 && c != REPLACEMENT && r[c] == 0) {
                    r[c] = (char) (((0x21 + i / 94) << 8) | (0x21 + i % 94));
                }
            }
            // characters the JDK maps differently from our table overrides still encode to the same code
            for (int i = 0; i + 1 < aliases.length; i += 2) {
                char canonical = aliases[i];
                char alias = aliases[i + 1];
                if (r[alias] == 0) {
                    r[alias] = canonical < 0x80 ? code(t, canonical) : r[canonical];
                }
            }
            return r;
        }

        private static char code(char[] t, char c) {
            for (int i = 0; i < t.length; i++) {
                if (t[i] == c) {
                    return (char) (((0x21 + i / 94) << 8) | (0x21 + i % 94));
                }
            }
            return 0;
        }
    }
}
