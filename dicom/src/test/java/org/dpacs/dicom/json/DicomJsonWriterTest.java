package org.dpacs.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dpacs.dicom.json.JsonTree.array;
import static org.dpacs.dicom.json.JsonTree.object;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomJsonWriterTest {

    @TempDir
    Path temp;

    private static Map<String, Object> json(Attributes ds) throws IOException {
        return object(JsonTree.parse(DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT)));
    }

    private static Map<String, Object> json(Attributes ds, JsonOptions options) throws IOException {
        return object(JsonTree.parse(DicomJsonWriter.toJson(ds, options)));
    }

    private static Map<String, Object> attr(Map<String, Object> ds, int tag) {
        return object(ds.get(Tag.toHex(tag)));
    }

    private static List<Object> values(Map<String, Object> ds, int tag) {
        return array(attr(ds, tag).get("Value"));
    }

    private static byte[] le(Vr vr, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * vr.unitSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (vr.unitSize()) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void textVrsAreStringArraysSplitAndTrimmedByVr() throws IOException {
        Attributes ds = new Attributes.Builder()
                .setString(0x00080008, Vr.CS, " ORIGINAL ", "PRIMARY")
                .setString(0x00080020, Vr.DA, "20240131")
                .setString(0x00080030, Vr.TM, "101500.5")
                .setString(0x0008002A, Vr.DT, "20240131101500")
                .setString(0x00080054, Vr.AE, "STORESCP")
                .setString(0x00101010, Vr.AS, "042Y")
                .setString(0x00080070, Vr.LO, "  Maker ")
                .setString(0x00081010, Vr.SH, "STATION")
                .setString(0x00080016, Vr.UI, "1.2.840.10008.5.1.4.1.1.7")
                .setString(0x00081190, Vr.UR, "http://example.org/a b")
                .setString(0x00184000, Vr.LT, "line one\\still one\r\nline two")
                .setString(0x00324000, Vr.ST, "short text")
                .setString(0x00400441, Vr.UC, "a", "b")
                .setString(0x00081080, Vr.UT, "unlimited\\text")
                .build();
        Map<String, Object> j = json(ds);
        assertThat(values(j, 0x00080008)).containsExactly("ORIGINAL", "PRIMARY");
        assertThat(values(j, 0x00080020)).containsExactly("20240131");
        assertThat(values(j, 0x00080030)).containsExactly("101500.5");
        assertThat(values(j, 0x0008002A)).containsExactly("20240131101500");
        assertThat(values(j, 0x00080054)).containsExactly("STORESCP");
        assertThat(values(j, 0x00101010)).containsExactly("042Y");
        // PS3.5 6.2: leading spaces are significant in LO, trailing ones are padding
        assertThat(values(j, 0x00080070)).containsExactly("  Maker");
        assertThat(values(j, 0x00081010)).containsExactly("STATION");
        assertThat(values(j, 0x00080016)).containsExactly("1.2.840.10008.5.1.4.1.1.7");
        assertThat(values(j, 0x00081190)).containsExactly("http://example.org/a b");
        // LT, ST, UT and UR are single-valued: a backslash is just a character (PS3.5 6.4)
        assertThat(values(j, 0x00184000)).containsExactly("line one\\still one\r\nline two");
        assertThat(values(j, 0x00324000)).containsExactly("short text");
        assertThat(values(j, 0x00400441)).containsExactly("a", "b");
        assertThat(values(j, 0x00081080)).containsExactly("unlimited\\text");
        assertThat(attr(j, 0x00080070).get("vr")).isEqualTo("LO");
    }

    @Test
    void decimalAndIntegerStringsAreNumbersKeepingTheirDigits() throws IOException {
        Attributes ds = new Attributes.Builder()
                .setString(0x00280030, Vr.DS, "1.0", " +.5", "-2.50E+3 ", "0.1")
                .setString(0x00200013, Vr.IS, "+007", "-3", "2147483648")
                .setString(0x00181050, Vr.DS, "abc")
                .setString(0x00200012, Vr.IS, "1A")
                .build();
        String text = DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT);
        // the original decimal text, not a re-rendered double
        assertThat(text).contains("\"Value\":[1.0,0.5,-2.50E+3,0.1]");
        assertThat(text).contains("\"Value\":[7,-3,2147483648]");
        // F.2.3 allows strings for DS and IS; values that are not numbers can only be strings
        assertThat(text).contains("\"00181050\":{\"vr\":\"DS\",\"Value\":[\"abc\"]}");
        assertThat(text).contains("\"00200012\":{\"vr\":\"IS\",\"Value\":[\"1A\"]}");
    }

    @Test
    void binaryNumbersAreJsonNumbers() throws IOException {
        ByteBuffer fl = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(0.1f).putFloat(Float.NaN).putFloat(Float.NEGATIVE_INFINITY).putFloat(-0.0f);
        ByteBuffer fd = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1e300).putDouble(0.1);
        Attributes ds = new Attributes.Builder()
                .set(0x00280010, Vr.US, le(Vr.US, 65535, 0))
                .set(0x00281101, Vr.SS, le(Vr.SS, -1, 32767))
                .set(0x00081160, Vr.UL, le(Vr.UL, 4294967295L))
                .set(0x00186020, Vr.SL, le(Vr.SL, Integer.MIN_VALUE))
                .set(0x00660040, Vr.UV, le(Vr.UV, -1L))
                .set(0x00660041, Vr.SV, le(Vr.SV, Long.MIN_VALUE))
                .set(0x00189087, Vr.FD, fd.array())
                .set(0x00189459, Vr.FL, fl.array())
                .set(0x00209165, Vr.AT, new byte[]{0x10, 0x00, 0x10, 0x00, (byte) 0xE0, 0x7F, 0x10, 0x00})
                .build();
        String text = DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT);
        assertThat(text).contains("\"00280010\":{\"vr\":\"US\",\"Value\":[65535,0]}");
        assertThat(text).contains("\"00281101\":{\"vr\":\"SS\",\"Value\":[-1,32767]}");
        assertThat(text).contains("\"00081160\":{\"vr\":\"UL\",\"Value\":[4294967295]}");
        assertThat(text).contains("\"00186020\":{\"vr\":\"SL\",\"Value\":[-2147483648]}");
        // beyond 2^53 still all digits, as a number
        assertThat(text).contains("\"00660040\":{\"vr\":\"UV\",\"Value\":[18446744073709551615]}");
        assertThat(text).contains("\"00660041\":{\"vr\":\"SV\",\"Value\":[-9223372036854775808]}");
        assertThat(text).contains("\"00189087\":{\"vr\":\"FD\",\"Value\":[1.0E300,0.1]}");
        // shortest round-trip text, and strings where JSON has no number
        assertThat(text).contains("\"00189459\":{\"vr\":\"FL\",\"Value\":[0.1,\"NaN\",\"-Infinity\",-0.0]}");
        assertThat(text).contains("\"00209165\":{\"vr\":\"AT\",\"Value\":[\"00100010\",\"7FE00010\"]}");
    }

    @Test
    void octetVrsAreInlineBinary() throws IOException {
        Attributes.Builder b = new Attributes.Builder();
        int tag = 0x00091010;
        for (Vr vr : List.of(Vr.OB, Vr.OD, Vr.OF, Vr.OL, Vr.OV, Vr.OW, Vr.UN)) {
            b.set(tag++, vr, new byte[]{1, 2, 3, 4, 5, 6, 7, (byte) 0xFF});
        }
        Map<String, Object> j = json(b.build());
        tag = 0x00091010;
        for (Vr vr : List.of(Vr.OB, Vr.OD, Vr.OF, Vr.OL, Vr.OV, Vr.OW, Vr.UN)) {
            Map<String, Object> a = attr(j, tag++);
            assertThat(a).containsEntry("vr", vr.name()).containsEntry("InlineBinary", "AQIDBAUGB/8=")
                    .doesNotContainKey("Value");
        }
    }

    @Test
    void emptyValuesHaveVrOnlyAndEmptyMembersAreNull() throws IOException {
        Attributes.Builder b = new Attributes.Builder();
        int tag = 0x00091000;
        for (Vr vr : Vr.values()) {
            b.set(++tag, vr, vr == Vr.SQ ? Sequence.EMPTY : new byte[0]);
        }
        b.setString(0x00190010, Vr.CS, "A", "", "B");
        b.setString(0x00190011, Vr.DS, "1", "", "2");
        b.setString(0x00190012, Vr.CS, "   ");
        Map<String, Object> j = json(b.build());
        tag = 0x00091000;
        for (Vr vr : Vr.values()) {
            assertThat(attr(j, ++tag)).as(vr.name()).isEqualTo(Map.of("vr", vr.name()));
        }
        assertThat(values(j, 0x00190010)).containsExactly("A", null, "B");
        assertThat(values(j, 0x00190011)).containsExactly(new JsonTree.Num("1", true), null,
                new JsonTree.Num("2", true));
        assertThat(attr(j, 0x00190012)).isEqualTo(Map.of("vr", "CS"));
    }

    @Test
    void personNamesHaveNonEmptyComponentGroupsOnly() throws IOException {
        Attributes ds = new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192")
                .setString(0x00100010, Vr.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう")
                .setString(0x00081060, Vr.PN, "Smith^John", "", "=Ideo^Only", "==Phon")
                .setString(0x00081070, Vr.PN, "==")
                .build();
        Map<String, Object> j = json(ds);
        assertThat(values(j, 0x00100010)).containsExactly(Map.of("Alphabetic", "Yamada^Tarou",
                "Ideographic", "山田^太郎", "Phonetic", "やまだ^たろう"));
        assertThat(values(j, 0x00081060)).containsExactly(Map.of("Alphabetic", "Smith^John"), null,
                Map.of("Ideographic", "Ideo^Only"), Map.of("Phonetic", "Phon"));
        // a value whose groups are all empty is an empty value (F.2.5)
        assertThat(values(j, 0x00081070)).containsExactly((Object) null);
    }

    @Test
    void sequencesNestAndEmptyItemsAreEmptyObjects() throws IOException {
        Attributes inner = new Attributes.Builder().setString(0x00081150, Vr.UI, "1.2.3").build();
        Attributes item = new Attributes.Builder()
                .set(0x00081199, Vr.SQ, new Sequence(List.of(inner)))
                .setString(0x0020000E, Vr.UI, "4.5.6").build();
        Attributes ds = new Attributes.Builder()
                .set(0x00081115, Vr.SQ, new Sequence(List.of(item, Attributes.EMPTY)))
                .set(0x00081140, Vr.SQ, Sequence.EMPTY)
                .build();
        Map<String, Object> j = json(ds);
        List<Object> items = values(j, 0x00081115);
        assertThat(items).hasSize(2);
        assertThat(items.get(1)).isEqualTo(Map.of());
        Map<String, Object> first = object(items.get(0));
        assertThat(values(first, 0x0020000E)).containsExactly("4.5.6");
        assertThat(values(object(values(first, 0x00081199).get(0)), 0x00081150)).containsExactly("1.2.3");
        assertThat(attr(j, 0x00081140)).isEqualTo(Map.of("vr", "SQ"));
    }

    @Test
    void groupLengthsAndFileMetaAreLeftOut() throws IOException {
        Attributes ds = new Attributes.Builder()
                .set(0x00020000, Vr.UL, le(Vr.UL, 10))
                .setString(0x00020010, Vr.UI, "1.2.840.10008.1.2.1")
                .set(0x00080000, Vr.UL, le(Vr.UL, 10))
                .setString(0x00080060, Vr.CS, "CT")
                .build();
        assertThat(json(ds).keySet()).containsExactly("00080060");
    }

    @Test
    void textFollowsTheSpecificCharacterSetOfItsLevel() throws IOException {
        Attributes item = new Attributes.Builder(org.dpacs.dicom.charset.SpecificCharacterSet.of(List.of("ISO_IR 100")))
                .set(0x00100010, Vr.PN, "Buc^Jérôme".getBytes(StandardCharsets.ISO_8859_1)).build();
        Attributes ds = new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 100")
                .set(0x00100010, Vr.PN, "Müller".getBytes(StandardCharsets.ISO_8859_1))
                .set(0x00081120, Vr.SQ, new Sequence(List.of(item)))
                .build();
        Map<String, Object> j = json(ds);
        assertThat(values(j, 0x00100010)).containsExactly(Map.of("Alphabetic", "Müller"));
        Map<String, Object> i = object(values(j, 0x00081120).get(0));
        assertThat(values(i, 0x00100010)).containsExactly(Map.of("Alphabetic", "Buc^Jérôme"));
    }

    @Test
    void uriModeReferencesLargeAndUnloadedValuesByPath() throws IOException {
        List<String> calls = new ArrayList<>();
        BulkDataUriFunction uris = (path, vr, value) -> {
            calls.add(path + " " + vr + " " + value.getClass().getSimpleName());
            return "https://pacs/bulk/" + path;
        };
        Fragments frags = new Fragments(Vr.OB, "src", List.of(Fragment.loaded(0, new byte[0]),
                Fragment.loaded(8, new byte[]{1, 2})));
        Attributes item = new Attributes.Builder().set(0x00660040, Vr.OL, new byte[40]).build();
        Attributes ds = new Attributes.Builder()
                .setString(0x00080060, Vr.CS, "CT")
                .set(0x00081115, Vr.SQ, new Sequence(List.of(Attributes.EMPTY, item)))
                .set(0x00282000, Vr.OB, new byte[4])
                .set(0x00189219, Vr.UT, "x".repeat(100).getBytes(StandardCharsets.US_ASCII))
                .set(0x00209165, Vr.AT, new byte[40])
                .set(0x7FE00010, Vr.OB, frags)
                .build();
        Map<String, Object> j = json(ds, JsonOptions.uris(uris, 16));
        assertThat(values(j, 0x00080060)).containsExactly("CT");
        Map<String, Object> nested = object(values(j, 0x00081115).get(1));
        assertThat(attr(nested, 0x00660040)).isEqualTo(Map.of("vr", "OL",
                "BulkDataURI", "https://pacs/bulk/00081115/1/00660040"));
        assertThat(attr(j, 0x00282000)).containsKey("InlineBinary"); // 4 bytes, below threshold
        assertThat(attr(j, 0x00189219)).containsEntry("BulkDataURI", "https://pacs/bulk/00189219");
        // AT may not carry a BulkDataURI (F.2.2), whatever its length
        assertThat(attr(j, 0x00209165)).containsKey("Value");
        assertThat(attr(j, 0x7FE00010)).isEqualTo(Map.of("vr", "OB", "BulkDataURI", "https://pacs/bulk/7FE00010"));
        assertThat(calls).containsExactly("00081115/1/00660040 OL byte[]", "00189219 UT byte[]",
                "7FE00010 OB Fragments");
    }

    @Test
    void omitModeLeavesBulkAttributesOut() throws IOException {
        Attributes ds = new Attributes.Builder()
                .setString(0x00080060, Vr.CS, "CT")
                .set(0x00282000, Vr.OB, new byte[100])
                .set(0x7FE00010, Vr.OW, new BulkDataRef("nowhere", 0, 10, false))
                .build();
        JsonOptions omit = JsonOptions.DEFAULT.withBulkData(JsonOptions.BulkDataMode.OMIT, 64);
        assertThat(json(ds, omit).keySet()).containsExactly("00080060");
    }

    @Test
    void uriModeNeedsAFunction() {
        assertThatThrownBy(() -> JsonOptions.DEFAULT.withBulkData(JsonOptions.BulkDataMode.URI, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inlineModeStreamsValuesLeftInTheSource() throws IOException {
        Path file = temp.resolve("bulk.bin");
        // bytes 0-3 padding, 4-7 big endian OW (0x0102, 0x0304), 8-13 text
        Files.write(file, new byte[]{9, 9, 9, 9, 1, 2, 3, 4, 'h', 'e', 'l', 'l', 'o', ' '});
        Attributes ds = new Attributes.Builder()
                .set(0x00189219, Vr.UT, new BulkDataRef(file.toString(), 8, 6, false))
                .set(0x7FE00010, Vr.OW, new BulkDataRef(file.toString(), 4, 4, true))
                .set(0x7FE00020, Vr.OB, new Fragments(Vr.OB, file.toString(),
                        List.of(Fragment.loaded(0, new byte[0]), Fragment.reference(8, 5))))
                .build();
        Map<String, Object> j = json(ds);
        assertThat(values(j, 0x00189219)).containsExactly("hello");
        assertThat(Base64.getDecoder().decode((String) attr(j, 0x7FE00010).get("InlineBinary")))
                .containsExactly(2, 1, 4, 3);
        // items with their headers, as stored, without the sequence delimiter (what pydicom writes)
        assertThat(Base64.getDecoder().decode((String) attr(j, 0x7FE00020).get("InlineBinary"))).containsExactly(
                0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0,
                0xFE, 0xFF, 0x00, 0xE0, 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o');
    }

    @Test
    void streamingFromTheReaderMatchesTheCollectedDataSet() throws IOException {
        Attributes item = new Attributes.Builder().setString(0x00081150, Vr.UI, "1.2.3").build();
        Attributes ds = new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 100")
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.7")
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.4")
                .set(0x00100010, Vr.PN, "Müller^Hans".getBytes(StandardCharsets.ISO_8859_1))
                .set(0x00081115, Vr.SQ, new Sequence(List.of(item)))
                .set(0x00280010, Vr.US, le(Vr.US, 2))
                .set(0x7FE00010, Vr.OW, le(Vr.OW, 1, 2, 3, 4))
                .build();
        Path file = temp.resolve("x.dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, WriteOptions.DEFAULT);
        }
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (SeekableByteChannel ch = Files.newByteChannel(file);
             JsonGenerator gen = DicomJsonWriter.generator(streamed, JsonOptions.DEFAULT)) {
            // Pixel data stays in the file (a big endian BulkDataRef) and is streamed from there.
            new DicomReader(ch, file.toString(), ReadOptions.DEFAULT).parse(new DicomJsonWriter(gen, JsonOptions.DEFAULT));
        }
        String collected = DicomJsonWriter.toJson(DicomReader.readFile(file, ReadOptions.EVERYTHING).dataset(),
                JsonOptions.DEFAULT);
        assertThat(streamed.toString(StandardCharsets.UTF_8)).isEqualTo(collected)
                .isEqualTo(DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT));
    }

    @Test
    void arraysAndPrettyOutput() throws IOException {
        Attributes a = new Attributes.Builder().setString(0x00100020, Vr.LO, "A").build();
        Attributes b = new Attributes.Builder().setString(0x00100020, Vr.LO, "B").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomJsonWriter.writeArray(List.of(a, b), out, JsonOptions.DEFAULT);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"A\"]}},{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"B\"]}}]");
        String pretty = DicomJsonWriter.toJson(a, JsonOptions.DEFAULT.withPretty(true));
        assertThat(pretty).contains("\n");
        assertThat(JsonTree.parse(pretty)).isEqualTo(JsonTree.parse(DicomJsonWriter.toJson(a, JsonOptions.DEFAULT)));
    }
}
