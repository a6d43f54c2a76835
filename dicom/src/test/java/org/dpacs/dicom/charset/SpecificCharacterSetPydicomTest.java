package org.dpacs.dicom.charset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dpacs.dicom.data.Vr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares our decoding with pydicom 2.3 (the correctness reference) on its charset sample files, and our code
 * tables with the Python codecs pydicom builds on. The DICOM files are read by pydicom, not by us: the script
 * prints each raw value with the (0008,0005) terms that apply to it and pydicom's decoded values. Skipped when
 * /usr/bin/python3 or pydicom is missing.
 */
class SpecificCharacterSetPydicomTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    // No backslashes inside, so the text block needs no escaping: chr(9) is TAB and chr(92) the DICOM delimiter.
    private static final String SCRIPT = """
            import sys, os, glob, warnings
            warnings.simplefilter('ignore')
            import pydicom
            from pydicom.multival import MultiValue
            TAB = chr(9)
            BS = chr(92)
            CHARSET_VRS = ('PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC')

            def hx(s):
                return s.encode('utf-8').hex()

            def terms(ds, inherited):
                if 0x00080005 in ds:
                    raw = ds.get_item(0x00080005).value
                    if isinstance(raw, bytes):
                        return raw.decode('ascii').split(BS)
                    v = ds.SpecificCharacterSet
                    return [v] if isinstance(v, str) else list(v)
                return inherited

            def walk(ds, fname, inherited, path):
                cs = terms(ds, inherited)
                for tag in list(ds.keys()):
                    raw = ds.get_item(tag)
                    vr = raw.VR or ds[tag].VR
                    if vr == 'SQ':
                        for i, item in enumerate(ds[tag].value):
                            walk(item, fname, cs, path + [str(tag), str(i)])
                        continue
                    if vr not in CHARSET_VRS or not isinstance(raw.value, bytes) or not raw.value:
                        continue
                    val = ds[tag].value
                    vals = list(val) if isinstance(val, (list, MultiValue)) else [val]
                    where = '/'.join(path + [str(tag)]).replace(' ', '')
                    print(TAB.join(['F', fname, where, vr, hx(BS.join(cs or [])), raw.value.hex(),
                                    ','.join(hx(str(v)) for v in vals)]))

            folder = os.path.join(os.path.dirname(pydicom.__file__), 'data', 'charset_files')
            for f in sorted(glob.glob(os.path.join(folder, '*.dcm'))):
                walk(pydicom.dcmread(f), os.path.basename(f), None, [])

            def attempt(f):
                try:
                    s = f()
                    return hx(s) if len(s) == 1 else '-'
                except Exception:
                    return '-'

            # the codecs pydicom maps the Defined Terms to (pydicom.charset.python_encoding)
            single = {'100': 'latin_1', '101': 'iso8859_2', '109': 'iso8859_3', '110': 'iso8859_4',
                      '144': 'iso_ir_144', '127': 'iso_ir_127', '126': 'iso_ir_126', '138': 'iso_ir_138',
                      '148': 'iso_ir_148', '166': 'iso_ir_166', '203': 'iso8859_15', '13': 'shift_jis'}
            for n, codec in single.items():
                items = [attempt(lambda b=b, codec=codec: bytes([b]).decode(codec)) for b in range(0x80, 0x100)]
                print(TAB.join(['T', n, ','.join(items)]))
            esc = bytes([0x1b])
            dbcs = {'87': lambda r, c: (esc + b'$B' + bytes([r, c])).decode('iso2022_jp'),
                    '159': lambda r, c: (esc + b'$(D' + bytes([r, c])).decode('iso2022_jp_2'),
                    '149': lambda r, c: bytes([r | 0x80, c | 0x80]).decode('euc_kr'),
                    '58': lambda r, c: bytes([r | 0x80, c | 0x80]).decode('gb2312')}
            for n, f in dbcs.items():
                items = [attempt(lambda r=r, c=c, f=f: f(r, c)) for r in range(0x21, 0x7f) for c in range(0x21, 0x7f)]
                print(TAB.join(['T', n, ','.join(items)]))
            """;

    private static final HexFormat HEX = HexFormat.of();
    private static List<String[]> lines;

    @BeforeAll
    static void runPydicom() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return;
        }
        Path script = Files.createTempFile("charset-parity", ".py");
        try {
            Files.writeString(script, SCRIPT);
            Process p = new ProcessBuilder(PYTHON.toString(), script.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                // typically: No module named 'pydicom'
                return;
            }
            lines = new ArrayList<>();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.split("\t", -1));
                }
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static List<String[]> lines(String kind) {
        assumeTrue(lines != null, "needs /usr/bin/python3 with pydicom");
        return lines.stream().filter(l -> l[0].equals(kind)).toList();
    }

    private static String utf8(String hex) {
        return new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
    }

    @Test
    void decodesEveryTextValueOfPydicomsCharsetFilesAsPydicomDoes() {
        List<String[]> values = lines("F");
        assumeTrue(!values.isEmpty(), "pydicom is installed without its charset_files");
        assertThat(values).as("values printed by the script").hasSizeGreaterThan(100);
        List<String> files = values.stream().map(l -> l[1]).distinct().toList();
        assertThat(files).contains("chrH31.dcm", "chrH32.dcm", "chrI2.dcm", "chrJapMulti.dcm",
                "chrJapMultiExplicitIR6.dcm", "chrKoreanMulti.dcm", "chrX1.dcm", "chrX2.dcm", "chrSQEncoding.dcm",
                "chrArab.dcm", "chrFren.dcm", "chrGerm.dcm", "chrGreek.dcm", "chrHbrw.dcm", "chrRuss.dcm");
        int patientNames = 0;
        for (String[] l : values) {
            String where = l[1] + " " + l[2] + " " + l[3];
            Vr vr = Vr.valueOf(l[3]);
            List<String> terms = Arrays.asList(utf8(l[4]).split("\\\\", -1));
            byte[] raw = HEX.parseHex(l[5]);
            List<String> expected = Arrays.stream(l[6].split(",", -1))
                    .map(SpecificCharacterSetPydicomTest::utf8)
                    .toList();

            SpecificCharacterSet cs = SpecificCharacterSet.of(terms);
            assertThat(cs.warnings()).as(where).isEmpty();
            String decoded = cs.decode(raw, 0, raw.length, vr);
            assertThat(asPydicomValues(decoded, vr)).as(where + " " + terms).isEqualTo(expected);
            if (l[2].endsWith("(0010,0010)")) {
                patientNames++;
            }
        }
        assertThat(patientNames).isGreaterThanOrEqualTo(17);
    }

    /** Splits and trims like pydicom's value conversion, which also drops trailing empty PN component groups. */
    private static List<String> asPydicomValues(String decoded, Vr vr) {
        if (!vr.isMultiValuedText()) {
            return List.of(rstrip(decoded));
        }
        List<String> out = new ArrayList<>();
        for (String v : rstrip(decoded).split("\\\\", -1)) {
            v = rstrip(v);
            if (vr == Vr.PN) {
                while (v.endsWith("=")) {
                    v = v.substring(0, v.length() - 1);
                }
            }
            out.add(v);
        }
        return out;
    }

    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static final java.util.Set<String> DOUBLE_BYTE = java.util.Set.of("87", "159", "149", "58");

    private static final Map<String, Character> FINAL_BYTES = Map.ofEntries(
            Map.entry("100", 'A'), Map.entry("101", 'B'), Map.entry("109", 'C'), Map.entry("110", 'D'),
            Map.entry("126", 'F'), Map.entry("127", 'G'), Map.entry("138", 'H'), Map.entry("144", 'L'),
            Map.entry("148", 'M'), Map.entry("166", 'T'), Map.entry("203", 'b'));

    @Test
    void singleByteTablesMatchPythonCodecs() {
        List<String[]> tables = lines("T").stream().filter(l -> !DOUBLE_BYTE.contains(l[1])).toList();
        assertThat(tables.stream().map(l -> l[1]).toList()).hasSize(12);
        List<String> extras = new ArrayList<>();
        for (String[] l : tables) {
            String number = l[1];
            String[] expected = l[2].split(",", -1);
            SpecificCharacterSet plain = SpecificCharacterSet.of(List.of("ISO_IR " + number));
            SpecificCharacterSet extended = SpecificCharacterSet.of(List.of("", "ISO 2022 IR " + number));
            for (int b = 0x80; b <= 0xFF; b++) {
                String python = expected[b - 0x80];
                String ours = plain.decode(new byte[] {(byte) b}, 0, 1, Vr.LO);
                String where = "ISO_IR " + number + " byte " + Integer.toHexString(b);
                if (python.equals("-")) {
                    if (!ours.equals("\uFFFD")) {
                        extras.add(where + " -> U+" + Integer.toHexString(ours.codePointAt(0)));
                    }
                    continue;
                }
                assertThat(ours).as(where).isEqualTo(utf8(python));
                if (FINAL_BYTES.containsKey(number)) {
                    byte[] escaped = {0x1B, '-', (byte) (char) FINAL_BYTES.get(number), (byte) b};
                    assertThat(extended.decode(escaped, 0, escaped.length, Vr.LO)).as("ESC - " + where)
                            .isEqualTo(utf8(python));
                }
            }
        }
        // the only byte we decode where Python fails: NO-BREAK SPACE of ISO-IR 166 (ISO 8859-11)
        assertThat(extras).containsExactly("ISO_IR 166 byte a0 -> U+a0");
    }

    @Test
    void doubleByteTablesMatchPythonCodecs() {
        Map<String, String> escapes = Map.of("87", "\u001b$B", "159", "\u001b$(D", "149", "\u001b$)C", "58",
                "\u001b$)A");
        List<String[]> tables = lines("T").stream().filter(l -> escapes.containsKey(l[1])).toList();
        assertThat(tables.stream().map(l -> l[1]).toList()).hasSize(4);
        List<String> extras = new ArrayList<>();
        int compared = 0;
        for (String[] l : tables) {
            String number = l[1];
            boolean g1 = escapes.get(number).contains(")");
            String[] expected = l[2].split(",", -1);
            SpecificCharacterSet cs = SpecificCharacterSet.of(List.of("", "ISO 2022 IR " + number));
            for (int r = 0x21; r <= 0x7E; r++) {
                for (int c = 0x21; c <= 0x7E; c++) {
                    String python = expected[(r - 0x21) * 94 + (c - 0x21)];
                    int mask = g1 ? 0x80 : 0;
                    byte[] value = (escapes.get(number) + (char) (r | mask) + (char) (c | mask))
                            .getBytes(StandardCharsets.ISO_8859_1);
                    String ours = cs.decode(value, 0, value.length, Vr.LT);
                    String where = "ISO 2022 IR " + number + " " + Integer.toHexString(r << 8 | c);
                    if (python.equals("-")) {
                        if (!ours.equals("\uFFFD")) {
                            extras.add(where + " -> U+" + Integer.toHexString(ours.codePointAt(0)));
                        }
                        continue;
                    }
                    compared++;
                    assertThat(ours).as(where).isEqualTo(utf8(python));
                    // and back
                    byte[] encoded = cs.encode(ours, Vr.LT);
                    assertThat(cs.decode(encoded, 0, encoded.length, Vr.LT)).as(where + " round trip")
                            .isEqualTo(ours);
                }
            }
        }
        assertThat(compared).isGreaterThan(20_000);
        // KS X 1001:2002 additions the JDK knows and Python's euc_kr does not
        assertThat(extras).containsExactly("ISO 2022 IR 149 2268 -> U+327e", "ISO 2022 IR 149 2454 -> U+3164");
    }
}
