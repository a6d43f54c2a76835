package org.dpacs.dicom.charset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Vr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecificCharacterSetTest {

    /** Bytes from a string whose chars are all <= U+00FF, one byte each (so "\u001b" is ESC). */
    private static byte[] b(String latin1) {
        for (char c : latin1.toCharArray()) {
            if (c > 0xFF) {
                throw new IllegalArgumentException("not a byte: " + c);
            }
        }
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static SpecificCharacterSet cs(String... terms) {
        return SpecificCharacterSet.of(List.of(terms));
    }

    private static String decode(SpecificCharacterSet cs, byte[] bytes, Vr vr) {
        return cs.decode(bytes, 0, bytes.length, vr);
    }

    // ---- PS3.5 Annex H, I, J, K examples: decode and encode both ways, byte for byte

    // PS3.5 H.3.1: value 1 empty (ISO-IR 6), value 2 ISO 2022 IR 87; "Yamada^Tarou=山田^太郎=やまだ^たろう"
    private static final String H31_TEXT = "Yamada^Tarou=山田^太郎=やまだ^たろう";
    private static final byte[] H31_BYTES = b("Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B="
            + "\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B");

    // PS3.5 H.3.2: value 1 ISO 2022 IR 13 (JIS X 0201), value 2 ISO 2022 IR 87
    private static final String H32_TEXT = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";
    private static final byte[] H32_BYTES = b("\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3="
            + "\u001b$B;3ED\u001b(J^\u001b$BB@O:\u001b(J=\u001b$B$d$^$@\u001b(J^\u001b$B$?$m$&\u001b(J");

    // PS3.5 I.2: value 1 empty, value 2 ISO 2022 IR 149 (KS X 1001 in G1, re-designated in every component)
    private static final String I2_TEXT = "Hong^Gildong=洪^吉洞=홍^길동";
    private static final byte[] I2_BYTES = b("Hong^Gildong=\u001b$)C\u00fb\u00f3^\u001b$)C\u00d1\u00ce\u00d4\u00d7="
            + "\u001b$)C\u00c8\u00ab^\u001b$)C\u00b1\u00e6\u00b5\u00bf");

    // PS3.5 J.2 (UTF-8) and J.3 (GB18030)
    private static final byte[] J2_BYTES = b("Wang^XiaoDong=\u00e7\u008e\u008b^\u00e5\u00b0\u008f\u00e6\u009d\u00b1=");
    private static final byte[] J3_BYTES = b("Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab=");

    // PS3.5 K.2: value 1 empty, value 2 ISO 2022 IR 58 (GB 2312 in G1)
    private static final String K2_TEXT = "Zhang^XiaoDong=张^小东=";
    private static final byte[] K2_BYTES = b("Zhang^XiaoDong=\u001b$)A\u00d5\u00c5^\u001b$)A\u00d0\u00a1\u00b6\u00ab=");

    // PS3.5 K.3: LT, every line re-designates GB 2312 into G1 after CR LF
    private static final String K3_TEXT = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n";
    private static final byte[] K3_BYTES = b(
            "1.\u001b$)A\u00b5\u00da\u00d2\u00bb\u00d0\u00d0\u00ce\u00c4\u00d7\u00d6\u00a1\u00a3\r\n"
            + "2.\u001b$)A\u00b5\u00da\u00b6\u00fe\u00d0\u00d0\u00ce\u00c4\u00d7\u00d6\u00a1\u00a3\r\n"
            + "3.\u001b$)A\u00b5\u00da\u00c8\u00fd\u00d0\u00d0\u00ce\u00c4\u00d7\u00d6\u00a1\u00a3\r\n");

    static Stream<Arguments> annexExamples() {
        return Stream.of(
                Arguments.of("H.3.1", cs("", "ISO 2022 IR 87"), Vr.PN, H31_TEXT, H31_BYTES),
                Arguments.of("H.3.2", cs("ISO 2022 IR 13", "ISO 2022 IR 87"), Vr.PN, H32_TEXT, H32_BYTES),
                Arguments.of("I.2", cs("", "ISO 2022 IR 149"), Vr.PN, I2_TEXT, I2_BYTES),
                Arguments.of("J.2", cs("ISO_IR 192"), Vr.PN, "Wang^XiaoDong=王^小東=", J2_BYTES),
                Arguments.of("J.3", cs("GB18030"), Vr.PN, "Wang^XiaoDong=王^小东=", J3_BYTES),
                Arguments.of("K.2", cs("", "ISO 2022 IR 58"), Vr.PN, K2_TEXT, K2_BYTES),
                Arguments.of("K.3", cs("", "ISO 2022 IR 58"), Vr.LT, K3_TEXT, K3_BYTES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annexExamples")
    void decodesAnnexExample(String name, SpecificCharacterSet cs, Vr vr, String text, byte[] bytes) {
        assertEquals(text, decode(cs, bytes, vr));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annexExamples")
    void encodesAnnexExampleByteForByte(String name, SpecificCharacterSet cs, Vr vr, String text, byte[] bytes) {
        assertArrayEquals(bytes, cs.encode(text, vr));
    }

    @Test
    void decodesWithinALargerBufferAndKeepsPadding() {
        byte[] buffer = new byte[H31_BYTES.length + 6];
        System.arraycopy(H31_BYTES, 0, buffer, 3, H31_BYTES.length);
        buffer[3 + H31_BYTES.length] = ' ';
        assertEquals(H31_TEXT + " ", cs("", "ISO 2022 IR 87").decode(buffer, 3, H31_BYTES.length + 1, Vr.PN));
    }

    @Test
    void explicitIr6AsValue1IsTheSameAsEmpty() {
        assertEquals(H31_TEXT, decode(cs("ISO 2022 IR 6", "ISO 2022 IR 87"), H31_BYTES, Vr.PN));
        assertArrayEquals(H31_BYTES, cs("ISO 2022 IR 6", "ISO 2022 IR 87").encode(H31_TEXT, Vr.PN));
    }

    @Test
    void jisX0212AndJisX0208Mix() {
        SpecificCharacterSet cs = cs("", "ISO 2022 IR 87", "ISO 2022 IR 159");
        // 丂 (U+4E02) is only in JIS X 0212 (0x3021)
        byte[] bytes = b("\u001b$B;3ED\u001b$(D0!\u001b(B");
        assertEquals("山田丂", decode(cs, bytes, Vr.LO));
        assertArrayEquals(bytes, cs.encode("山田丂", Vr.LO));
    }

    // ---- PS3.5 6.1.2.5.3: where the code elements reset to value 1

    @Test
    void delimitersResetG1ToValue1ByVr() {
        SpecificCharacterSet cs = cs("ISO 2022 IR 100", "ISO 2022 IR 126");
        // ESC - F designates Greek into G1; 0xC4 is Δ in Greek and Ä in Latin-1
        assertEquals("Δ^Ä", decode(cs, b("\u001b-F\u00c4^\u00c4"), Vr.PN));
        assertEquals("Δ=Ä", decode(cs, b("\u001b-F\u00c4=\u00c4"), Vr.PN));
        assertEquals("Δ\\Ä", decode(cs, b("\u001b-F\u00c4\\\u00c4"), Vr.PN));
        assertEquals("Δ\\Ä", decode(cs, b("\u001b-F\u00c4\\\u00c4"), Vr.LO));
        assertEquals("Δ^Δ", decode(cs, b("\u001b-F\u00c4^\u00c4"), Vr.LO), "^ is no delimiter in LO");
        assertEquals("Δ\\Δ", decode(cs, b("\u001b-F\u00c4\\\u00c4"), Vr.LT), "\\ is no delimiter in LT");
        assertEquals("Δ\r\nÄ", decode(cs, b("\u001b-F\u00c4\r\n\u00c4"), Vr.LT));
        assertEquals("Δ\tÄ", decode(cs, b("\u001b-F\u00c4\t\u00c4"), Vr.UT));
        assertEquals("Δ\fÄ", decode(cs, b("\u001b-F\u00c4\f\u00c4"), Vr.ST));
    }

    @Test
    void delimiterBytesInsideTwoByteG0AreCharacters() {
        SpecificCharacterSet cs = cs("", "ISO 2022 IR 87");
        // ぼ is 0x245C and そ 0x243D in JIS X 0208: their second bytes are '\' and '=' in ASCII
        byte[] bytes = b("\u001b$B$\\\u001b(B\\\u001b$B$=\u001b(B");
        assertEquals("ぼ\\そ", decode(cs, bytes, Vr.LO));
        assertArrayEquals(bytes, cs.encode("ぼ\\そ", Vr.LO));
        assertEquals("ま=そ", decode(cs, b("\u001b$B$^\u001b(B=\u001b$B$=\u001b(B"), Vr.PN));
    }

    @Test
    void controlCharacterEndsATwoByteG0() {
        // writers must return to value 1 before CR LF; a reader resets there even if they did not
        assertEquals("あ\nA", decode(cs("", "ISO 2022 IR 87"), b("\u001b$B$\"\nA"), Vr.LT));
    }

    @Test
    void encoderReturnsToValue1BeforeDelimitersAndAtTheEnd() {
        SpecificCharacterSet cs = cs("ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 87");
        assertArrayEquals(b("\u00c9\u001b-F\u00c4\u001b-A\u00c9^\u001b-F\u00c4\\A\u001b$B;3\u001b(B\r\n"),
                cs.encode("ÉΔÉ^Δ\\A山\r\n", Vr.PN));
        assertArrayEquals(b("\u001b$B;3\u001b(B A"), cs.encode("山 A", Vr.LO));
    }

    @Test
    void valuesWithoutEscapeReadWithValue1() {
        assertEquals("Buc^Jérôme", decode(cs("ISO 2022 IR 100", "ISO 2022 IR 87"),
                b("Buc^J\u00e9r\u00f4me"), Vr.PN));
        assertEquals("ﾔﾏﾀﾞ",
                decode(cs("ISO 2022 IR 13", "ISO 2022 IR 87"), b("\u00d4\u00cf\u00c0\u00de"), Vr.PN));
        // lenient: an undefined G1 (value 1 empty) reads as ISO 8859-1, like pydicom
        assertEquals("é", decode(cs("", "ISO 2022 IR 87"), b("\u00e9"), Vr.PN));
    }

    @Test
    void singleValuedSetsTreatEscAsAControlCharacter() {
        // PS3.5 6.1.2.5.4 a/b: no code extensions, so ESC designates nothing
        assertEquals("\u001b$BA", decode(SpecificCharacterSet.DEFAULT, b("\u001b$BA"), Vr.LO));
        assertEquals("\u001b-Fé", decode(cs("ISO_IR 100"), b("\u001b-F\u00e9"), Vr.LO));
    }

    // ---- every supported set: encode then decode gives the text back

    static Stream<Arguments> roundTrips() {
        List<Arguments> a = new ArrayList<>();
        String[][] single = {
            {"6", "Doe^John=Smith\\X"},
            {"100", "Buc^Jérôme=Äneas^Rüdiger"},
            {"101", "Dvořák^Łukasz=Ścibór"},
            {"109", "Ĝis^Ĉu=Ħaġar"},
            {"110", "Ķēniņš^Ŗūta"},
            {"144", "Люкcембург^Иван"},
            {"127", "قباني^لنزار"},
            {"126", "Διονυσιος^Ωμέγα"},
            {"138", "שרון^דבורה"},
            {"148", "Şükrü^Çağlar=İğde"},
            {"203", "Šerbi^Œuvre=€uro Žž"},
            {"166", "สมชาย^ใจดี"},
            {"13", "ﾔﾏﾀﾞ^ﾀﾛｳ=Yamada"},
        };
        for (String[] s : single) {
            a.add(Arguments.of(List.of("ISO_IR " + s[0]), s[1]));
            a.add(Arguments.of(List.of("ISO 2022 IR " + s[0]), s[1]));
            a.add(Arguments.of(List.of("", "ISO 2022 IR " + s[0]), s[1]));
        }
        a.add(Arguments.of(List.of("ISO_IR 192"), "Wang^XiaoDong=王^小東=😀 Ünïcödé"));
        a.add(Arguments.of(List.of("GB18030"), "Wang^XiaoDong=王^小东=𠀀 €"));
        a.add(Arguments.of(List.of("GBK"), "Wang^XiaoDong=王^小东="));
        a.add(Arguments.of(List.of("", "ISO 2022 IR 87"), H31_TEXT + " ＼〜―‖"));
        a.add(Arguments.of(List.of("", "ISO 2022 IR 159"), "丂^丄=龥"));
        a.add(Arguments.of(List.of("", "ISO 2022 IR 87", "ISO 2022 IR 159"), "山田丂^太郎=やまだ"));
        a.add(Arguments.of(List.of("ISO 2022 IR 13", "ISO 2022 IR 87"), H32_TEXT));
        a.add(Arguments.of(List.of("ISO 2022 IR 13", "ISO 2022 IR 87", "ISO 2022 IR 159"), H32_TEXT + "丂"));
        a.add(Arguments.of(List.of("", "ISO 2022 IR 149"), I2_TEXT + " 김희중"));
        a.add(Arguments.of(List.of("", "ISO 2022 IR 58"), K2_TEXT + " 第一行文字。"));
        a.add(Arguments.of(List.of("ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 126", "ISO 2022 IR 144"),
                "Jérôme^Łukasz=Διονυσιος^Люкcембург^é"));
        a.add(Arguments.of(List.of("ISO 2022 IR 100", "ISO 2022 IR 149", "ISO 2022 IR 87"),
                "Jérôme=홍^길동=山田é"));
        a.add(Arguments.of(List.of("", "ISO 2022 IR 13", "ISO 2022 IR 87", "ISO 2022 IR 149", "ISO 2022 IR 58"),
                "ｱ山홍张"));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("roundTrips")
    void roundTrips(List<String> terms, String text) {
        SpecificCharacterSet cs = SpecificCharacterSet.of(terms);
        assertThat(cs.warnings()).isEmpty();
        for (Vr vr : new Vr[] {Vr.PN, Vr.LO, Vr.SH, Vr.UC, Vr.LT, Vr.ST, Vr.UT}) {
            byte[] bytes = cs.encode(text, vr);
            assertEquals(text, decode(cs, bytes, vr), vr + " " + terms);
            if (!cs.isIso2022()) {
                assertThat(bytes).as("no escape sequences without code extensions").doesNotContain((byte) 0x1B);
            }
        }
        // multi-line text: every line starts again in value 1
        String lines = text + "\r\n" + text + "\r\n";
        assertEquals(lines, decode(cs, cs.encode(lines, Vr.LT), Vr.LT));
    }

    @Test
    void unmappableCharactersBecomeQuestionMarks() {
        assertArrayEquals(b("A?B"), cs("ISO_IR 100").encode("AΩB", Vr.LO));
        // Ä is in none of ISO-IR 6 and JIS X 0208
        assertArrayEquals(b("A?B"), cs("", "ISO 2022 IR 87").encode("AÄB", Vr.LO));
        assertArrayEquals(b("\u001b$B;3\u001b(B?"), cs("", "ISO 2022 IR 87").encode("山Ä", Vr.LO));
        // ESC itself would corrupt the designations
        assertArrayEquals(b("?"), cs("", "ISO 2022 IR 87").encode("\u001b", Vr.LO));
        assertArrayEquals(b("?"), cs("ISO_IR 13").encode("山", Vr.LO), "JIS X 0201 has no kanji");
    }

    // ---- terms

    @Test
    void defaultAndIr6AreAscii() {
        assertThat(SpecificCharacterSet.DEFAULT.isAscii()).isTrue();
        assertThat(SpecificCharacterSet.DEFAULT.isIso2022()).isFalse();
        assertThat(SpecificCharacterSet.DEFAULT.definedTerms()).isEmpty();
        assertThat(SpecificCharacterSet.of(null)).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.of(List.of())).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(cs("")).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(cs("ISO_IR 6").isAscii()).isTrue();
        assertThat(cs("ISO_IR 6").definedTerms()).containsExactly("ISO_IR 6");
        assertThat(cs("ISO_IR 100").isAscii()).isFalse();
        assertThat(cs("ISO 2022 IR 6").isAscii()).isFalse();
        assertThat(cs("ISO 2022 IR 6").isIso2022()).isTrue();
        assertThat(cs("ISO_IR 192").isIso2022()).isFalse();
        assertThat(cs("", "ISO 2022 IR 87").isIso2022()).isTrue();
        // lenient like pydicom: the default repertoire reads bytes above 0x7F as ISO 8859-1
        assertEquals("Jérôme", decode(SpecificCharacterSet.DEFAULT, b("J\u00e9r\u00f4me"), Vr.PN));
    }

    @Test
    void instancesAreCachedPerTermList() {
        assertThat(cs("", "ISO 2022 IR 87")).isSameAs(cs("", "ISO 2022 IR 87"));
        assertThat(cs("ISO_IR 100 ")).isSameAs(cs("ISO_IR 100"));
        assertThat(cs("ISO_IR 100").definedTerms()).containsExactly("ISO_IR 100");
        assertThat(cs("", "ISO 2022 IR 87").definedTerms()).containsExactly("", "ISO 2022 IR 87");
        assertThat(cs("ISO_IR 100")).isNotEqualTo(cs("ISO_IR 101"));
    }

    @Test
    void unknownTermFallsBackToDefaultWithAWarning() {
        SpecificCharacterSet cs = cs("ISO_IR 999");
        assertThat(cs.warnings()).singleElement().asString().contains("ISO_IR 999");
        assertThat(cs.isAscii()).isTrue();
        assertEquals("Jérôme", decode(cs, b("J\u00e9r\u00f4me"), Vr.PN));

        SpecificCharacterSet multi = cs("", "ISO 2022 IR 87", "KLINGON");
        assertThat(multi.warnings()).singleElement().asString().contains("KLINGON");
        assertEquals(H31_TEXT, decode(multi, H31_BYTES, Vr.PN));
    }

    @Test
    void misspelledTermsAreCorrectedWithAWarning() {
        for (String misspelled : new String[] {"ISO IR 100", "ISO-IR 100", "iso_ir 100", "ISO_IR100"}) {
            SpecificCharacterSet cs = cs(misspelled);
            assertThat(cs.warnings()).as(misspelled).singleElement().asString().contains("ISO_IR 100");
            assertEquals("Jérôme", decode(cs, b("J\u00e9r\u00f4me"), Vr.PN));
            assertThat(cs.isIso2022()).isFalse();
        }
        SpecificCharacterSet cs = cs("", "ISO_2022_IR_87");
        assertThat(cs.warnings()).singleElement().asString().contains("ISO 2022 IR 87");
        assertEquals(H31_TEXT, decode(cs, H31_BYTES, Vr.PN));
    }

    @Test
    void standAloneSetsIgnoreCodeExtensions() {
        SpecificCharacterSet utf8 = cs("ISO_IR 192", "ISO 2022 IR 87");
        assertThat(utf8.warnings()).hasSize(1);
        assertThat(utf8.isIso2022()).isFalse();
        assertEquals("王", decode(utf8, "王".getBytes(StandardCharsets.UTF_8), Vr.PN));

        SpecificCharacterSet later = cs("", "ISO 2022 IR 87", "GB18030");
        assertThat(later.warnings()).singleElement().asString().contains("GB18030");
        assertEquals(H31_TEXT, decode(later, H31_BYTES, Vr.PN));
    }

    @Test
    void singleByteTermsInAMultiValuedListWorkWithAWarning() {
        SpecificCharacterSet cs = cs("ISO_IR 100", "ISO 2022 IR 87");
        assertThat(cs.warnings()).singleElement().asString().contains("ISO 2022 IR 100");
        assertEquals("é^山", decode(cs, b("\u00e9^\u001b$B;3\u001b(B"), Vr.PN));
    }

    @Test
    void multiByteValue1KeepsAsciiInG0() {
        // seen in the wild: Korean written as plain EUC-KR under a lone ISO 2022 IR 149
        SpecificCharacterSet korean = cs("ISO 2022 IR 149");
        assertThat(korean.warnings()).hasSize(1);
        assertEquals("김희중^A", decode(korean, b("\u00b1\u00e8\u00c8\u00f1\u00c1\u00df^A"), Vr.PN));
        assertEquals("김희중^A", decode(korean, b("\u001b$)C\u00b1\u00e8\u00c8\u00f1\u00c1\u00df^A"), Vr.PN));
        SpecificCharacterSet japanese = cs("ISO 2022 IR 87");
        assertEquals("A山", decode(japanese, b("A\u001b$B;3\u001b(B"), Vr.PN));
    }

    // ---- untrusted input

    @Test
    void malformedInputBecomesReplacementCharacters() {
        SpecificCharacterSet cs = cs("", "ISO 2022 IR 87", "ISO 2022 IR 149", "ISO 2022 IR 100");
        assertEquals("A\uFFFD", decode(cs, b("A\u001b"), Vr.LO), "lone ESC at the end");
        assertEquals("\uFFFD$", decode(cs, b("\u001b$"), Vr.LO), "ESC without final byte");
        assertEquals("\uFFFDA", decode(cs, b("\u001b(ZA"), Vr.LO), "unknown designation");
        // too many intermediates: not an escape sequence, so only the ESC is lost
        assertEquals("\uFFFD$)(((A", decode(cs, b("\u001b$)(((A"), Vr.LO));
        assertEquals("山\uFFFD", decode(cs, b("\u001b$B;3;"), Vr.LO), "odd byte count in two-byte G0");
        assertEquals("\uFFFD", decode(cs, b("\u001b$B\u007e\u007e"), Vr.LO), "unassigned JIS X 0208 code");
        assertEquals("\uFFFDA", decode(cs, b("\u001b$)C\u00b1A"), Vr.LO), "truncated KS X 1001 character");
        assertEquals("\uFFFD", decode(cs, b("\u001b$)C\u00ff"), Vr.LO), "byte outside 0xA1-0xFE");
        assertEquals("\uFFFD", decode(cs("", "ISO 2022 IR 13"), b("\u001b)I\u00e0"), Vr.LO));
        assertEquals("\uFFFD", decode(cs("ISO_IR 192"), b("\u00ff"), Vr.LO));
        assertEquals("\uFFFD", decode(cs("GB18030"), b("\u0081"), Vr.LO));
    }

    @Test
    void decodingGarbageNeverThrows() {
        List<SpecificCharacterSet> sets = new ArrayList<>();
        sets.add(SpecificCharacterSet.DEFAULT);
        for (String t : new String[] {"ISO_IR 100", "ISO_IR 13", "ISO_IR 166", "ISO_IR 192", "GB18030", "GBK",
                "ISO 2022 IR 149", "ISO 2022 IR 87"}) {
            sets.add(cs(t));
        }
        sets.add(cs("", "ISO 2022 IR 87", "ISO 2022 IR 159"));
        sets.add(cs("ISO 2022 IR 13", "ISO 2022 IR 87"));
        sets.add(cs("", "ISO 2022 IR 149", "ISO 2022 IR 58", "ISO 2022 IR 126"));
        // bytes that drive the state machine: ESC, intermediates, finals, delimiters, both halves
        byte[] alphabet = b("\u001b\u001b$()-ABCDJI@^=\\\r\n\u0000 !~;3\u007f\u0080\u008f\u00a0\u00a1\u00b1\u00df"
                + "\u00e0\u00fe\u00ff");
        Random random = new Random(42);
        Vr[] vrs = {Vr.PN, Vr.LO, Vr.LT, Vr.UT, Vr.CS};
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(4) == 0
                        ? (byte) random.nextInt(256)
                        : alphabet[random.nextInt(alphabet.length)];
            }
            for (SpecificCharacterSet cs : sets) {
                Vr vr = vrs[round % vrs.length];
                String s = decode(cs, bytes, vr);
                assertThat(s).isNotNull();
                // and what we decoded can be written back without failing
                assertThat(cs.encode(s, vr)).isNotNull();
            }
        }
    }

    @Test
    void concurrentDecodingIsSafe() {
        SpecificCharacterSet cs = cs("", "ISO 2022 IR 87", "ISO 2022 IR 149", "ISO 2022 IR 58", "ISO 2022 IR 159");
        String text = "山田^홍=张丂";
        byte[] bytes = cs.encode(text, Vr.PN);
        List<String> results = IntStream.range(0, 64).parallel()
                .mapToObj(i -> decode(cs, bytes, Vr.PN)).toList();
        assertThat(results).containsOnly(text);
    }
}
