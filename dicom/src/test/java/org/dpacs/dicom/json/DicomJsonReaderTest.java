package org.dpacs.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.PersonName;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class DicomJsonReaderTest {

    private static Attributes read(String json) throws IOException {
        return DicomJsonReader.read(json.replace('\'', '"'), BulkDataUriResolver.REJECT);
    }

    private static String text(Attributes ds, int tag) {
        return new String(ds.bytes(tag).orElseThrow(), StandardCharsets.ISO_8859_1);
    }

    /** A data set with every VR, in the canonical form a round trip must preserve byte for byte. */
    static Attributes everyVr() {
        ByteBuffer fl = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(0.1f).putFloat(Float.NaN).putFloat(Float.POSITIVE_INFINITY);
        ByteBuffer fd = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(-1e-300).putDouble(0.3);
        ByteBuffer uv = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(1L << 60);
        Attributes inner = new Attributes.Builder().setString(0x00081150, Vr.UI, "1.2.3").build();
        Attributes item = new Attributes.Builder()
                .set(0x00081199, Vr.SQ, new Sequence(List.of(inner)))
                .setString(0x00100010, Vr.PN, "Doe^Jane")
                .build();
        return new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192")
                .setString(0x00080008, Vr.CS, "ORIGINAL", "", "AXIAL")
                .setString(0x00080020, Vr.DA, "20240131")
                .setString(0x00080030, Vr.TM, "101500")
                .setString(0x0008002A, Vr.DT, "20240131101500.123456+0100")
                .setString(0x00080054, Vr.AE, "STORE")
                .setString(0x00080070, Vr.LO, "Ünïcode maker")
                .setString(0x00081010, Vr.SH, "ST1", "ST2")
                .setString(0x00080016, Vr.UI, "1.2.840.10008.5.1.4.1.1.7")
                .setString(0x00081190, Vr.UR, "https://example.org/x")
                .set(0x00081115, Vr.SQ, new Sequence(List.of(item, Attributes.EMPTY)))
                .set(0x00081140, Vr.SQ, Sequence.EMPTY)
                .setString(0x00100010, Vr.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", "=Ideo", "")
                .setString(0x00101010, Vr.AS, "042Y")
                .setString(0x00184000, Vr.LT, "a\\b\r\nc")
                .setString(0x00180015, Vr.CS, "")
                .setString(0x00200013, Vr.IS, "-12", "7")
                .setString(0x00280030, Vr.DS, "1.0", "-2.5E+3")
                .setInts(0x00280010, Vr.US, 65535, 1)
                .setInts(0x00281101, Vr.SS, -32768)
                .setInts(0x00081160, Vr.UL, 0xFFFFFFFF)
                .setInts(0x00186020, Vr.SL, Integer.MIN_VALUE)
                .setInts(0x00209165, Vr.AT, 0x00100010, 0x7FE00010)
                .setString(0x00324000, Vr.ST, "short")
                .setString(0x00400441, Vr.UC, "uc")
                .set(0x00660040, Vr.UV, uv.array())
                .set(0x00660041, Vr.SV, uv.array())
                .set(0x00189087, Vr.FD, fd.array())
                .set(0x00189459, Vr.FL, fl.array())
                .setString(0x00081080, Vr.UT, "unlimited")
                .set(0x00091010, Vr.OB, new byte[]{1, 2, 3, 0})
                .set(0x00091011, Vr.OD, new byte[8])
                .set(0x00091012, Vr.OF, new byte[]{0, 0, (byte) 0x80, 0x3F})
                .set(0x00091013, Vr.OL, new byte[]{1, 0, 0, 0})
                .set(0x00091014, Vr.OV, new byte[]{1, 0, 0, 0, 0, 0, 0, 0})
                .set(0x00091015, Vr.OW, new byte[]{1, 2})
                .set(0x00091016, Vr.UN, new byte[]{9, 9})
                .build();
    }

    @Test
    void roundTripJsonToAttributesToJsonIsLossless() throws IOException {
        Attributes ds = everyVr();
        String json = DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT);
        Attributes back = DicomJsonReader.read(json, BulkDataUriResolver.REJECT);
        assertThat(back).isEqualTo(ds);
        assertThat(DicomJsonWriter.toJson(back, JsonOptions.DEFAULT)).isEqualTo(json);
    }

    @Test
    void numbersBecomeBinaryOrDecimalText() throws IOException {
        Attributes ds = read("{'00280010':{'vr':'US','Value':[512,1]},'00281052':{'vr':'DS','Value':[-1024]},"
                + "'00281053':{'vr':'DS','Value':[0.30000000000000004, 1e-7, '  7.50']},"
                + "'00200013':{'vr':'IS','Value':[5]},'00189459':{'vr':'FL','Value':[0.1,'NaN','-Infinity']},"
                + "'00660040':{'vr':'UV','Value':[18446744073709551615]},'00081160':{'vr':'UL','Value':[5.0]}}");
        assertThat(ds.ints(0x00280010)).containsExactly(512, 1);
        assertThat(text(ds, 0x00281052)).isEqualTo("-1024 ");
        // DS holds at most 16 characters (PS3.5 Table 6.2-1); a string keeps its form (F.2.3)
        assertThat(text(ds, 0x00281053)).isEqualTo("0.3\\1e-7\\  7.50 ");
        assertThat(text(ds, 0x00200013)).isEqualTo("5 ");
        assertThat(ds.doubles(0x00189459)).containsExactly(0.1f, Float.NaN, Float.NEGATIVE_INFINITY);
        assertThat(ds.longs(0x00660040)).containsExactly(-1L);
        assertThat(ds.longs(0x00081160)).containsExactly(5L);
    }

    @Test
    void personNameObjectsJoinTheirGroups() throws IOException {
        Attributes ds = read("{'00100010':{'vr':'PN','Value':[{'Alphabetic':'A^B'},null,{'Phonetic':'p'},"
                + "{'Ideographic':'i','Alphabetic':'a'},'Plain^String']}}");
        assertThat(ds.strings(0x00100010)).containsExactly("A^B", "", "==p", "a=i", "Plain^String");
        assertThat(ds.personName(0x00100010)).contains(new PersonName("A^B", "", ""));
    }

    @Test
    void textIsEncodedWithTheDataSetsCharacterSet() throws IOException {
        Attributes latin = read("{'00080005':{'vr':'CS','Value':['ISO_IR 100']},"
                + "'00100010':{'vr':'PN','Value':[{'Alphabetic':'Müller'}]}}");
        assertThat(latin.bytes(0x00100010).orElseThrow()).containsExactly("Müller".getBytes(StandardCharsets.ISO_8859_1));
        Attributes utf8 = read("{'00080005':{'vr':'CS','Value':['ISO_IR 192']},"
                + "'00081115':{'vr':'SQ','Value':[{'00100010':{'vr':'PN','Value':[{'Alphabetic':'山田'}]}}]}}");
        Attributes item = utf8.sequence(0x00081115).orElseThrow().item(0);
        assertThat(item.bytes(0x00100010).orElseThrow()).containsExactly("山田".getBytes(StandardCharsets.UTF_8));
        assertThat(item.string(0x00100010)).contains("山田");
    }

    @Test
    void emptyAttributesAndNullsAreZeroLengthValues() throws IOException {
        Attributes ds = read("{'00080050':{'vr':'SH'},'00081140':{'vr':'SQ'},'00081141':{'vr':'SQ','Value':[]},"
                + "'00080008':{'vr':'CS','Value':['A',null,'B']},'7FE00010':{'vr':'OB','InlineBinary':null},"
                + "'00081115':{'vr':'SQ','Value':[{},null]}}");
        assertThat(ds.bytes(0x00080050)).contains(new byte[0]);
        assertThat(ds.sequence(0x00081140)).contains(Sequence.EMPTY);
        assertThat(ds.sequence(0x00081141)).contains(Sequence.EMPTY);
        assertThat(text(ds, 0x00080008)).isEqualTo("A\\\\B");
        assertThat(ds.bytes(0x7FE00010)).contains(new byte[0]);
        assertThat(ds.sequence(0x00081115).orElseThrow().items()).containsExactly(Attributes.EMPTY, Attributes.EMPTY);
    }

    @Test
    void membersMayComeInAnyOrder() throws IOException {
        Attributes ds = read("{'00081115':{'Value':[{'00100020':{'Value':['ID'],'vr':'LO'}}],'vr':'SQ'},"
                + "'00280010':{'Value':[7],'keyword':'Rows','vr':'US'}}");
        assertThat(ds.sequence(0x00081115).orElseThrow().item(0).string(0x00100020)).contains("ID");
        assertThat(ds.integer(0x00280010)).hasValue(7);
    }

    @Test
    void inlineBinaryIsDecodedAsGiven() throws IOException {
        Attributes ds = read("{'00091010':{'vr':'OB','InlineBinary':'AQID'},'7FE00010':{'vr':'OW','InlineBinary':'AQIDBA'}}");
        assertThat(ds.bytes(0x00091010).orElseThrow()).containsExactly(1, 2, 3);
        assertThat(ds.bytes(0x7FE00010).orElseThrow()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void bulkDataUrisGoToTheResolver() throws IOException {
        List<String> seen = new ArrayList<>();
        BulkDataRef ref = new BulkDataRef("part-2", 0, 4, false);
        Fragments frags = new Fragments(Vr.OB, "part-3", List.of(Fragment.loaded(0, new byte[0])));
        BulkDataUriResolver resolver = (path, vr, uri) -> {
            seen.add(path + " " + vr + " " + uri);
            return switch (uri) {
                case "u1" -> new byte[]{5, 6};
                case "u2" -> ref;
                default -> frags;
            };
        };
        String json = "{'00081115':{'vr':'SQ','Value':[{},{'00091010':{'vr':'OB','BulkDataURI':'u1'}}]},"
                + "'00660040':{'vr':'OL','BulkDataURI':'u2'},'7FE00010':{'vr':'OB','BulkDataURI':'u3'}}";
        Attributes ds = DicomJsonReader.read(new ByteArrayInputStream(json.replace('\'', '"')
                .getBytes(StandardCharsets.UTF_8)), resolver);
        assertThat(seen).containsExactly("00081115/1/00091010 OB u1", "00660040 OL u2", "7FE00010 OB u3");
        assertThat(ds.sequence(0x00081115).orElseThrow().item(1).bytes(0x00091010).orElseThrow()).containsExactly(5, 6);
        assertThat(ds.bulkData(0x00660040)).contains(ref);
        assertThat(ds.fragments(0x7FE00010)).contains(frags);
        assertThatThrownBy(() -> read("{'7FE00010':{'vr':'OB','BulkDataURI':'x'}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("(7FE0,0010)");
    }

    @Test
    void arraysOfDataSets() throws IOException {
        String json = "[{'00100020':{'vr':'LO','Value':['A']}},{'00100020':{'vr':'LO','Value':['B']}}]";
        List<Attributes> list = DicomJsonReader.readArray(new ByteArrayInputStream(json.replace('\'', '"')
                .getBytes(StandardCharsets.UTF_8)), BulkDataUriResolver.REJECT);
        assertThat(list).extracting(a -> a.string(0x00100020).orElseThrow()).containsExactly("A", "B");
        List<Attributes> single = DicomJsonReader.readArray(new ByteArrayInputStream(
                "{}".getBytes(StandardCharsets.UTF_8)), BulkDataUriResolver.REJECT);
        assertThat(single).containsExactly(Attributes.EMPTY);
    }

    @Test
    void errorsNameTheTagAndThePosition() {
        assertThatThrownBy(() -> read("{'00100010':{'vr':'XX','Value':['a']}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("Unknown VR \"XX\"")
                .hasMessageContaining("(0010,0010)").hasMessageContaining("at offset");
        assertThatThrownBy(() -> read("{'00100010':{'Value':['a']}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("no \"vr\"")
                .hasMessageContaining("(0010,0010)");
        assertThatThrownBy(() -> read("{'0010001':{'vr':'PN'}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("'0010001'");
        assertThatThrownBy(() -> read("{'00280010':{'vr':'US','Value':[70000]}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("Bad US value")
                .hasMessageContaining("(0028,0010)");
        assertThatThrownBy(() -> read("{'00280010':{'vr':'US','Value':[1,]}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("Invalid JSON")
                .satisfies(e -> assertThat(((DicomJsonException) e).offset()).isPositive());
        assertThatThrownBy(() -> read("{'00091010':{'vr':'OB','Value':[1]}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("InlineBinary or BulkDataURI");
        assertThatThrownBy(() -> read("{'00100010':{'vr':'PN','Value':['a'],'InlineBinary':'AA=='}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("at most one");
        assertThatThrownBy(() -> read("{'00209165':{'vr':'AT','Value':['0010']}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("(0020,9165)");
        assertThatThrownBy(() -> read("{'00081115':{'vr':'SQ','Value':[1]}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("item must be an object");
        assertThatThrownBy(() -> read("{} {}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("after the DICOM JSON");
        assertThatThrownBy(() -> read("[]"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("Expected a DICOM JSON object");
        // the position of a replayed member is that of its attribute
        assertThatThrownBy(() -> read("{'00280010':{'Value':['x'],'vr':'US'}}"))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("(0028,0010)")
                .satisfies(e -> assertThat(((DicomJsonException) e).offset()).isEqualTo(12));
    }

    /** JSON to Attributes to JSON over every file of pydicom's test data our reader reads. */
    @TestFactory
    Stream<DynamicTest> roundTripOfPydicomTestFiles() throws IOException {
        Path data = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data), "no pydicom test data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data.resolve("test_files"))) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
        }
        try (Stream<Path> walk = Files.walk(data.resolve("charset_files"))) {
            files.addAll(walk.filter(Files::isRegularFile).sorted().toList());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(data.relativize(f).toString(), () -> {
            Attributes ds;
            try {
                ds = DicomReader.readFile(f, ReadOptions.EVERYTHING).dataset();
            } catch (DicomParseException notDicom) {
                return;
            }
            String json = DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT);
            String again = DicomJsonWriter.toJson(DicomJsonReader.read(json, BulkDataUriResolver.REJECT),
                    JsonOptions.DEFAULT);
            assertThat(again).isEqualTo(json);
        }));
    }
}
