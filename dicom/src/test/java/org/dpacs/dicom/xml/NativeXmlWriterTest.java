package org.dpacs.dicom.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.json.JsonOptions;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class NativeXmlWriterTest {
    private static final String NS = NativeXmlWriter.NAMESPACE;

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Document write(Attributes ds, JsonOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeXmlWriter.write(ds, out, options);
        return parse(out.toByteArray());
    }

    /** The child elements of {@code parent}, ignoring the whitespace pretty printing adds. */
    private static List<Element> children(Node parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            } else {
                assertThat(n.getTextContent()).as("text between elements").isBlank();
            }
        }
        return out;
    }

    private static Element attribute(Node dataset, String tag) {
        return children(dataset).stream().filter(e -> e.getAttribute("tag").equals(tag)).findFirst().orElseThrow();
    }

    private static List<String> values(Element attribute) {
        return children(attribute).stream().map(e -> {
            assertThat(e.getLocalName()).isEqualTo("Value");
            return e.getTextContent();
        }).toList();
    }

    static Attributes sample() {
        Attributes inner = new Attributes.Builder().setString(0x00081150, Vr.UI, "1.2.3").build();
        Attributes item = new Attributes.Builder()
                .setString(0x00080100, Vr.SH, "T-1234")
                .set(0x00081199, Vr.SQ, new Sequence(List.of(inner)))
                .build();
        return new Attributes.Builder()
                .setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192")
                .set(0x00080000, Vr.UL, new byte[4])
                .setString(0x00080008, Vr.CS, "ORIGINAL", "", "AXIAL")
                .setString(0x00080070, Vr.LO, "<Ärzte & \"Söhne\" 'GmbH'>")
                .setString(0x00081030, Vr.LO, "bell\u0007here")
                .setString(0x00081080, Vr.UT, "line 1\r\nline 2")
                .setString(0x00100010, Vr.PN, "Yamada^Tarou^^Dr.=山田^太郎=やまだ^たろう", "", "=Ideo")
                .set(0x00081115, Vr.SQ, new Sequence(List.of(item, Attributes.EMPTY)))
                .set(0x00081140, Vr.SQ, Sequence.EMPTY)
                .setString(0x00100020, Vr.LO, "")
                .setInts(0x00280010, Vr.US, 512)
                .setInts(0x00209165, Vr.AT, 0x7FE00010)
                .set(0x00189459, Vr.FL, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(0.1f).putFloat(Float.POSITIVE_INFINITY).array())
                .setString(0x00280030, Vr.DS, "0.5", "0.50")
                .setString(0x00290010, Vr.LO, "ACME 1.0")
                .setString(0x00291010, Vr.LO, "private value")
                .set(0x00291011, Vr.OB, new byte[]{1, 2, 3, 4, 5})
                .setString(0x00331001, Vr.LO, "orphan")
                .set(0x7FE00010, Vr.OW, new byte[]{1, 0, 2, 0})
                .build();
    }

    @Test
    void structureFollowsTheNativeDicomModel() throws Exception {
        Document doc = write(sample(), JsonOptions.DEFAULT);
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("NativeDicomModel");
        assertThat(root.getNamespaceURI()).isEqualTo(NS);
        assertThat(root.getAttributeNS("http://www.w3.org/XML/1998/namespace", "space")).isEqualTo("preserve");
        // group lengths are not part of the model (PS3.19 A.1.1)
        assertThat(children(root)).extracting(e -> e.getAttribute("tag")).doesNotContain("00080000")
                .startsWith("00080005", "00080008");

        Element cs = attribute(root, "00080008");
        assertThat(cs.getAttribute("vr")).isEqualTo("CS");
        assertThat(cs.getAttribute("keyword")).isEqualTo("ImageType");
        assertThat(values(cs)).containsExactly("ORIGINAL", "", "AXIAL");
        assertThat(children(cs)).extracting(e -> e.getAttribute("number")).containsExactly("1", "2", "3");
        assertThat(children(attribute(root, "00100020"))).isEmpty();

        assertThat(values(attribute(root, "00280010"))).containsExactly("512");
        assertThat(values(attribute(root, "00209165"))).containsExactly("7FE00010");
        assertThat(values(attribute(root, "00189459"))).containsExactly("0.1", "INF");
        assertThat(values(attribute(root, "00280030"))).containsExactly("0.5", "0.50");
    }

    @Test
    void personNamesHaveGroupsAndComponents() throws Exception {
        Element pn = attribute(write(sample(), JsonOptions.DEFAULT).getDocumentElement(), "00100010");
        List<Element> names = children(pn);
        assertThat(names).extracting(Element::getLocalName).containsOnly("PersonName");
        assertThat(names).extracting(e -> e.getAttribute("number")).containsExactly("1", "2", "3");
        List<Element> groups = children(names.get(0));
        assertThat(groups).extracting(Element::getLocalName).containsExactly("Alphabetic", "Ideographic", "Phonetic");
        assertThat(children(groups.get(0))).extracting(e -> e.getLocalName() + "=" + e.getTextContent())
                .containsExactly("FamilyName=Yamada", "GivenName=Tarou", "NamePrefix=Dr.");
        assertThat(children(groups.get(1))).extracting(e -> e.getLocalName() + "=" + e.getTextContent())
                .containsExactly("FamilyName=山田", "GivenName=太郎");
        assertThat(children(names.get(1))).isEmpty();
        assertThat(children(names.get(2))).extracting(Element::getLocalName).containsExactly("Ideographic");
    }

    @Test
    void sequencesHaveNumberedItems() throws Exception {
        Element root = write(sample(), JsonOptions.DEFAULT).getDocumentElement();
        Element sq = attribute(root, "00081115");
        assertThat(sq.getAttribute("vr")).isEqualTo("SQ");
        List<Element> items = children(sq);
        assertThat(items).extracting(e -> e.getLocalName() + e.getAttribute("number")).containsExactly("Item1", "Item2");
        assertThat(children(items.get(1))).isEmpty();
        Element nested = attribute(items.get(0), "00081199");
        assertThat(values(attribute(children(nested).get(0), "00081150"))).containsExactly("1.2.3");
        assertThat(children(attribute(root, "00081140"))).isEmpty();
    }

    @Test
    void binaryAndPrivateAttributes() throws Exception {
        Element root = write(sample(), JsonOptions.DEFAULT).getDocumentElement();
        Element pixels = attribute(root, "7FE00010");
        assertThat(children(pixels)).extracting(Element::getLocalName).containsExactly("InlineBinary");
        assertThat(pixels.getTextContent()).isEqualTo("AQACAA==");

        Element creator = attribute(root, "00290010");
        assertThat(creator.hasAttribute("privateCreator")).isFalse();
        assertThat(creator.hasAttribute("keyword")).isFalse();
        // block byte cleared, creator named (see NativeXmlWriter)
        Element value = attribute(root, "00290010", "LO");
        assertThat(value.getAttribute("privateCreator")).isEqualTo("ACME 1.0");
        assertThat(values(value)).containsExactly("private value");
        Element ob = attribute(root, "00290011", "OB");
        assertThat(ob.getAttribute("privateCreator")).isEqualTo("ACME 1.0");
        assertThat(ob.getTextContent()).isEqualTo("AQIDBAU=");
        // a private element without a creator keeps its tag
        assertThat(attribute(root, "00331001").hasAttribute("privateCreator")).isFalse();
    }

    private static Element attribute(Node dataset, String tag, String vr) {
        return children(dataset).stream()
                .filter(e -> e.getAttribute("tag").equals(tag) && e.getAttribute("vr").equals(vr)
                        && e.hasAttribute("privateCreator"))
                .findFirst().orElseThrow();
    }

    @Test
    void specialCharactersAreEscapedOrReplaced() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeXmlWriter.write(sample(), out, JsonOptions.DEFAULT);
        String xml = out.toString(StandardCharsets.UTF_8);
        assertThat(xml).contains("&lt;Ärzte &amp; ").contains("&#13;");
        Element root = parse(out.toByteArray()).getDocumentElement();
        assertThat(values(attribute(root, "00080070"))).containsExactly("<Ärzte & \"Söhne\" 'GmbH'>");
        // XML 1.0 has no way to carry U+0007
        assertThat(values(attribute(root, "00081030"))).containsExactly("bell\uFFFDhere");
        assertThat(values(attribute(root, "00081080"))).containsExactly("line 1\r\nline 2");
    }

    @Test
    void prettyOutputIsTheSameDocument() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        NativeXmlWriter.write(sample(), plain, JsonOptions.DEFAULT);
        ByteArrayOutputStream pretty = new ByteArrayOutputStream();
        NativeXmlWriter.write(sample(), pretty, JsonOptions.DEFAULT.withPretty(true));
        assertThat(pretty.toString(StandardCharsets.UTF_8)).contains("\n    <Value number=\"1\">ORIGINAL</Value>");
        Document a = parse(plain.toByteArray());
        Document b = parse(pretty.toByteArray());
        // children() asserts that pretty printing only added whitespace between elements
        assertThat(values(attribute(b.getDocumentElement(), "00080070")))
                .isEqualTo(values(attribute(a.getDocumentElement(), "00080070")));
        assertThat(children(b.getDocumentElement())).hasSameSizeAs(children(a.getDocumentElement()));
        Element pn = children(children(attribute(b.getDocumentElement(), "00100010")).get(0)).get(0);
        assertThat(children(pn)).hasSize(3);
    }

    @Test
    void bulkDataByUri() throws Exception {
        Attributes ds = new Attributes.Builder()
                .set(0x00282000, Vr.OB, new byte[100])
                .set(0x7FE00010, Vr.OB, new Fragments(Vr.OB, "src", List.of(Fragment.loaded(0, new byte[0]))))
                .build();
        JsonOptions uris = JsonOptions.uris((path, vr, value) -> "https://pacs/bulk/" + path + "?a=1&b=2", 64);
        Element root = write(ds, uris).getDocumentElement();
        for (String tag : List.of("00282000", "7FE00010")) {
            List<Element> content = children(attribute(root, tag));
            assertThat(content).extracting(Element::getLocalName).containsExactly("BulkData");
            assertThat(content.get(0).getAttribute("uri")).isEqualTo("https://pacs/bulk/" + tag + "?a=1&b=2");
        }
        Element omitted = write(ds, JsonOptions.DEFAULT.withBulkData(JsonOptions.BulkDataMode.OMIT, 64))
                .getDocumentElement();
        assertThat(children(omitted)).isEmpty();
    }

    @Test
    void toXmlGivesTheSameDocument() throws IOException {
        String xml = NativeXmlWriter.toXml(sample(), JsonOptions.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeXmlWriter.write(sample(), out, JsonOptions.DEFAULT);
        assertThat(xml).isEqualTo(out.toString(StandardCharsets.UTF_8));
    }

    /** Every file of pydicom's test data our reader reads gives a well-formed document, pixel data streamed. */
    @TestFactory
    Stream<DynamicTest> wellFormedForPydicomTestFiles() throws IOException {
        Path data = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
        Assumptions.assumeTrue(Files.isDirectory(data), "no pydicom test data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".py"))
                    .filter(f -> f.toString().contains("test_files") || f.toString().contains("charset_files"))
                    .sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(data.relativize(f).toString(), () -> {
            Attributes ds;
            try {
                ds = DicomReader.readFile(f, ReadOptions.DEFAULT).dataset();
            } catch (DicomParseException notDicom) {
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            NativeXmlWriter.write(ds, out, JsonOptions.DEFAULT.withPretty(true));
            Element root = parse(out.toByteArray()).getDocumentElement();
            assertThat(root.getLocalName()).isEqualTo("NativeDicomModel");
            assertThat(children(root)).isNotEmpty();
        }));
    }
}
