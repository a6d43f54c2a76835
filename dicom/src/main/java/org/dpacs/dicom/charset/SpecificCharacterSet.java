package org.dpacs.dicom.charset;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dpacs.dicom.charset.Iso2022Decoder.CodeElement;
import org.dpacs.dicom.data.Vr;

/**
 * The character repertoire named by Specific Character Set (0008,0005), converting the values of SH, LO, ST, LT,
 * PN, UC and UT between bytes and Unicode (PS3.5 6.1, PS3.3 C.12.1.1.2).
 *
 * <p>Obtain instances with {@link #of(List)}; they are immutable, thread-safe and cached per distinct term list.
 * Reading is lenient because values come from untrusted files: unknown or misspelled terms fall back to the
 * default repertoire (see {@link #warnings()}), undecodable bytes become U+FFFD, and nothing throws.
 */
public final class SpecificCharacterSet {

    /**
     * No (0008,0005): the default repertoire ISO-IR 6. Bytes above 0x7F, which the standard does not allow here,
     * are read as ISO 8859-1 like pydicom does.
     */
    public static final SpecificCharacterSet DEFAULT =
            new SpecificCharacterSet(List.of(), List.of(), Mode.ASCII, StandardCharsets.ISO_8859_1, null, null);

    /** Bounds the cache: term lists come from untrusted files, so distinct garbage must not grow it forever. */
    private static final int CACHE_LIMIT = 256;
    private static final Map<List<String>, SpecificCharacterSet> CACHE = new ConcurrentHashMap<>();

    private static final Map<String, Term> TERMS = new HashMap<>();
    private static final Term IR_6;
    private static final Term ISO_2022_IR_6;

    private static final Pattern MISSPELLED_SINGLE = Pattern.compile("ISO[ _-]?IR[ _-]?(\\d+)");
    private static final Pattern MISSPELLED_2022 = Pattern.compile("ISO[ _-]?2022[ _-]?(?:IR[ _-]?)?(\\d+)");

    static {
        // PS3.3 Table C.12-2 (no code extensions) and C.12-3 (with code extensions): same sets, two spellings
        single("6", StandardCharsets.ISO_8859_1, CodeElement.ASCII, CodeElement.UNDEFINED_G1);
        single("100", StandardCharsets.ISO_8859_1, CodeElement.ASCII, CodeElement.LATIN1);
        single("101", Charset.forName("ISO-8859-2"), CodeElement.ASCII, CodeElement.LATIN2);
        single("109", Charset.forName("ISO-8859-3"), CodeElement.ASCII, CodeElement.LATIN3);
        single("110", Charset.forName("ISO-8859-4"), CodeElement.ASCII, CodeElement.LATIN4);
        single("144", Charset.forName("ISO-8859-5"), CodeElement.ASCII, CodeElement.CYRILLIC);
        single("127", Charset.forName("ISO-8859-6"), CodeElement.ASCII, CodeElement.ARABIC);
        single("126", Charset.forName("ISO-8859-7"), CodeElement.ASCII, CodeElement.GREEK);
        single("138", Charset.forName("ISO-8859-8"), CodeElement.ASCII, CodeElement.HEBREW);
        single("148", Charset.forName("ISO-8859-9"), CodeElement.ASCII, CodeElement.LATIN5);
        single("203", Charset.forName("ISO-8859-15"), CodeElement.ASCII, CodeElement.LATIN9);
        single("166", Charset.isSupported("x-iso-8859-11") ? Charset.forName("x-iso-8859-11")
                : Charset.forName("TIS-620"), CodeElement.ASCII, CodeElement.THAI);
        // JIS X 0201 (ISO-IR 14 in G0, ISO-IR 13 in G1). Read through Shift_JIS, a superset that agrees on every
        // JIS X 0201 byte and also copes with the Shift_JIS kanji some devices write under this term (as pydicom).
        single("13", CodeElement.SHIFT_JIS, CodeElement.ROMAJI, CodeElement.KATAKANA_G1);
        // PS3.3 Table C.12-4: multi-byte sets, only with code extensions
        multi("87", Charset.forName("EUC-JP"), CodeElement.JIS_X_0208);
        multi("159", Charset.forName("EUC-JP"), CodeElement.JIS_X_0212);
        multi("149", Charset.forName("EUC-KR"), CodeElement.KS_X_1001);
        multi("58", Charset.forName("GB2312"), CodeElement.GB_2312);
        // PS3.3 Table C.12-5: multi-byte sets without code extensions
        standAlone("ISO_IR 192", StandardCharsets.UTF_8);
        standAlone("GB18030", Charset.forName("GB18030"));
        standAlone("GBK", Charset.forName("GBK"));
        IR_6 = TERMS.get("ISO_IR 6");
        ISO_2022_IR_6 = TERMS.get("ISO 2022 IR 6");
    }

    private final List<String> definedTerms;
    private final List<String> warnings;
    private final Mode mode;
    /** For ISO 2022: the charset that decodes value 1's G0 and G1 as a whole, used when a value has no ESC. */
    private final Charset charset;
    private final Iso2022Decoder decoder;
    private final Iso2022Encoder encoder;

    private SpecificCharacterSet(List<String> definedTerms, List<String> warnings, Mode mode, Charset charset,
            Iso2022Decoder decoder, Iso2022Encoder encoder) {
        this.definedTerms = definedTerms;
        this.warnings = warnings;
        this.mode = mode;
        this.charset = charset;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /**
     * The character set for the values of (0008,0005) as stored, e.g. {@code ["", "ISO 2022 IR 87"]}. Padding
     * around each term is ignored; null or empty (or a single empty value) gives {@link #DEFAULT}.
     */
    public static SpecificCharacterSet of(List<String> definedTerms) {
        if (definedTerms == null || definedTerms.isEmpty()) {
            return DEFAULT;
        }
        List<String> terms = new ArrayList<>(definedTerms.size());
        for (String t : definedTerms) {
            // CS values are padded with spaces (PS3.5 6.2); some writers pad with NUL
            terms.add(t == null ? "" : strip(t));
        }
        if (terms.size() == 1 && terms.get(0).isEmpty()) {
            return DEFAULT;
        }
        List<String> key = List.copyOf(terms);
        SpecificCharacterSet cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        SpecificCharacterSet created = create(key);
        if (CACHE.size() < CACHE_LIMIT) {
            SpecificCharacterSet raced = CACHE.putIfAbsent(key, created);
            return raced != null ? raced : created;
        }
        return created;
    }

    /**
     * Decodes a whole element value: all its values with their backslashes, padding left in place.
     *
     * @param vr selects the delimiters that reset code extensions (PS3.5 6.1.2.5.3): {@code \} for multi-valued
     *     VRs, also {@code ^} and {@code =} for PN, control characters always
     */
    public String decode(byte[] value, int offset, int length, Vr vr) {
        Objects.checkFromIndexSize(offset, length, value.length);
        Objects.requireNonNull(vr, "vr");
        if (length == 0) {
            return "";
        }
        if (mode == Mode.ISO_2022 && Iso2022Decoder.indexOfEscape(value, offset, length) >= 0) {
            return decoder.decode(value, offset, length, vr);
        }
        // the hot path: one JDK decode, no state machine
        return new String(value, offset, length, charset);
    }

    /**
     * Encodes a whole element value, the inverse of {@link #decode}. With code extensions, escape sequences are
     * emitted as needed and value 1's set is designated again before every delimiter and at the end. Characters
     * the declared sets cannot represent become '?'; the default repertoire mirrors {@link #decode} and writes
     * ISO 8859-1, so choose a proper set before writing non-ASCII text. Padding to even length is the caller's job.
     */
    public byte[] encode(String value, Vr vr) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(vr, "vr");
        if (value.isEmpty()) {
            return new byte[0];
        }
        if (encoder != null) {
            return encoder.encode(value, vr);
        }
        return value.getBytes(charset);
    }

    /**
     * True for {@link #DEFAULT} and a lone {@code ISO_IR 6} (or an unknown lone term, which reads the same way):
     * callers may then decode with ISO 8859-1 directly, exactly as {@link #decode} does.
     */
    public boolean isAscii() {
        return mode == Mode.ASCII;
    }

    /** True when code extensions apply (several values, or an {@code ISO 2022} term): values may contain ESC. */
    public boolean isIso2022() {
        return mode == Mode.ISO_2022;
    }

    /** The values of (0008,0005) this instance was made from, padding stripped; empty for {@link #DEFAULT}. */
    public List<String> definedTerms() {
        return definedTerms;
    }

    /** Problems found in the terms (unknown, misspelled, misplaced); empty when they are all valid. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet other && definedTerms.equals(other.definedTerms);
    }

    @Override
    public int hashCode() {
        return definedTerms.hashCode();
    }

    @Override
    public String toString() {
        return definedTerms.isEmpty() ? "SpecificCharacterSet[default]"
                : "SpecificCharacterSet" + definedTerms;
    }

    private static SpecificCharacterSet create(List<String> terms) {
        List<String> warnings = new ArrayList<>();
        Term[] resolved = new Term[terms.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = resolve(terms.get(i), i, warnings);
        }
        Term first = resolved[0] != null ? resolved[0] : IR_6;
        if (first.kind == Kind.STAND_ALONE) {
            // PS3.5 6.1.2.5.4 d: these allow no code extensions, so further values cannot be honoured
            if (terms.size() > 1) {
                warnings.add("Specific Character Set '" + first.name + "' does not allow code extensions;"
                        + " ignoring " + terms.subList(1, terms.size()));
            }
            return new SpecificCharacterSet(terms, List.copyOf(warnings), Mode.STAND_ALONE, first.charset,
                    null, null);
        }
        if (terms.size() == 1 && !first.codeExtensions) {
            // PS3.5 6.1.2.5.4 a/b: a single value without code extensions; ESC is an ordinary control character
            if (first == IR_6) {
                return new SpecificCharacterSet(terms, List.copyOf(warnings), Mode.ASCII,
                        StandardCharsets.ISO_8859_1, null, null);
            }
            // JIS X 0201 is written without Shift_JIS kanji: only its own two code elements
            Iso2022Encoder encoder = first.g1 == CodeElement.KATAKANA_G1
                    ? new Iso2022Encoder(first.g0, first.g1, new CodeElement[] {first.g0, first.g1})
                    : null;
            return new SpecificCharacterSet(terms, List.copyOf(warnings), Mode.SINGLE_BYTE, first.charset,
                    null, encoder);
        }
        return createIso2022(terms, resolved, first, warnings);
    }

    /** PS3.5 6.1.2.5.4 c: several values (or an ISO 2022 term), value 1 designated initially. */
    private static SpecificCharacterSet createIso2022(List<String> terms, Term[] resolved, Term first,
            List<String> warnings) {
        if (resolved[0] == null) {
            // PS3.3 C.12.1.1.2: an empty value 1 means ISO 2022 IR 6 (and an unknown one is read the same way)
            first = ISO_2022_IR_6;
        }
        if (!first.codeExtensions && terms.size() > 1) {
            warnings.add("Value 1 '" + terms.get(0) + "' of a multi-valued Specific Character Set should be"
                    + " 'ISO 2022 IR " + first.number + "'; treating it so");
        }
        CodeElement initialG0 = first.g0;
        CodeElement initialG1 = first.g1;
        Charset fastPath = first.charset;
        if (first.kind == Kind.MULTI_BYTE) {
            // PS3.5 6.1.2.5.4 c wants a single-byte set in value 1. A two-byte G1 (KS X 1001, GB 2312) is kept
            // designated from the start so that values written without escapes still read as pydicom reads
            // them; a two-byte G0 would turn ASCII into garbage, so ISO-IR 6 stays in G0.
            initialG0 = CodeElement.ASCII;
            if (initialG1 == null) {
                initialG1 = CodeElement.UNDEFINED_G1;
                fastPath = StandardCharsets.ISO_8859_1;
            }
            warnings.add("Value 1 '" + terms.get(0) + "' is not a single-byte character set; assuming ISO-IR 6"
                    + " in G0 and " + initialG1.registration + " in G1");
        }
        Set<CodeElement> candidates = new LinkedHashSet<>();
        candidates.add(initialG0);
        if (initialG1.isDesignatable()) {
            candidates.add(initialG1);
        }
        for (int i = 1; i < resolved.length; i++) {
            Term t = resolved[i];
            if (t == null) {
                continue;
            }
            if (t.kind == Kind.STAND_ALONE) {
                warnings.add("'" + t.name + "' cannot be used as a code extension (PS3.5 6.1.2.5.4 d); ignoring it");
                continue;
            }
            if (!t.codeExtensions) {
                warnings.add("Value " + (i + 1) + " '" + terms.get(i) + "' should be 'ISO 2022 IR " + t.number
                        + "'; treating it so");
            }
            if (t.g0 != null && t.g0.isDesignatable()) {
                candidates.add(t.g0);
            }
            if (t.g1 != null && t.g1.isDesignatable()) {
                candidates.add(t.g1);
            }
        }
        return new SpecificCharacterSet(terms, List.copyOf(warnings), Mode.ISO_2022, fastPath,
                new Iso2022Decoder(initialG0, initialG1),
                new Iso2022Encoder(initialG0, initialG1, candidates.toArray(CodeElement[]::new)));
    }

    /** Looks a term up, correcting common misspellings; null (with a warning) when it is unusable. */
    private static Term resolve(String term, int index, List<String> warnings) {
        if (term.isEmpty()) {
            if (index > 0) {
                warnings.add("Value " + (index + 1) + " of Specific Character Set is empty; ignoring it");
            }
            return null;
        }
        Term t = TERMS.get(term);
        if (t != null) {
            return t;
        }
        String corrected = correct(term);
        t = corrected == null ? null : TERMS.get(corrected);
        if (t != null) {
            warnings.add("Incorrect Specific Character Set value '" + term + "'; assuming '" + corrected + "'");
            return t;
        }
        warnings.add("Unknown Specific Character Set value '" + term + "'; "
                + (index == 0 ? "using the default repertoire ISO-IR 6 instead" : "ignoring it"));
        return null;
    }

    /** The Defined Term a misspelled one most likely means (case, '-'/'_'/' ' confusions), or null. */
    private static String correct(String term) {
        String upper = term.toUpperCase(Locale.ROOT);
        if (TERMS.containsKey(upper)) {
            return upper;
        }
        Matcher m = MISSPELLED_2022.matcher(upper);
        if (m.matches()) {
            return "ISO 2022 IR " + m.group(1);
        }
        m = MISSPELLED_SINGLE.matcher(upper);
        if (m.matches()) {
            return "ISO_IR " + m.group(1);
        }
        if (upper.equals("ISO 2022 GBK")) {
            // used by some writers following CP 1234 drafts
            return "GBK";
        }
        return null;
    }

    private static String strip(String s) {
        int begin = 0;
        int end = s.length();
        while (begin < end && (s.charAt(begin) == ' ' || s.charAt(begin) == '\0')) {
            begin++;
        }
        while (end > begin && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(begin, end);
    }

    private static void single(String number, Charset charset, CodeElement g0, CodeElement g1) {
        TERMS.put("ISO_IR " + number, new Term("ISO_IR " + number, number, Kind.SINGLE_BYTE, false, charset, g0, g1));
        TERMS.put("ISO 2022 IR " + number,
                new Term("ISO 2022 IR " + number, number, Kind.SINGLE_BYTE, true, charset, g0, g1));
    }

    private static void multi(String number, Charset charset, CodeElement element) {
        TERMS.put("ISO 2022 IR " + number, new Term("ISO 2022 IR " + number, number, Kind.MULTI_BYTE, true,
                charset, element.g1 ? null : element, element.g1 ? element : null));
    }

    private static void standAlone(String name, Charset charset) {
        TERMS.put(name, new Term(name, name, Kind.STAND_ALONE, false, charset, null, null));
    }

    private enum Mode {
        /** Default repertoire: ISO 8859-1 decoding, no escape handling. */
        ASCII,
        /** One single-byte set without code extensions (PS3.5 6.1.2.5.4 b). */
        SINGLE_BYTE,
        /** UTF-8, GB18030 or GBK (PS3.5 6.1.2.5.4 d). */
        STAND_ALONE,
        /** Code extensions (PS3.5 6.1.2.5.4 c). */
        ISO_2022
    }

    private enum Kind { SINGLE_BYTE, MULTI_BYTE, STAND_ALONE }

    /** One Defined Term of PS3.3 C.12.1.1.2 and the code elements it designates. */
    private record Term(String name, String number, Kind kind, boolean codeExtensions, Charset charset,
            CodeElement g0, CodeElement g1) {
    }
}
