package org.dpacs.dicom.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.PersonName;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.dict.ElementDictionary;
import org.dpacs.dicom.io.AttributesEmitter;
import org.dpacs.dicom.io.DicomHandler;
import org.dpacs.dicom.json.BulkDataStreams;
import org.dpacs.dicom.json.JsonOptions;
import org.dpacs.dicom.json.ValueFormat;
import org.dpacs.dicom.json.WriterState;

/**
 * Writes a data set as a Native DICOM Model XML document (PS3.19 A.1) while handler events arrive, keeping only
 * the bookkeeping of {@link WriterState}. Bulk data follows the same {@link JsonOptions} as the JSON writer, since
 * PS3.18 F.3.1 maps the two models' InlineBinary and BulkData one to one.
 *
 * <p>Choices, with their reasons:
 * <ul>
 * <li>Elements are in the schema's namespace {@value #NAMESPACE} (A.1.6 declares it as default namespace), and the
 *     root carries {@code xml:space="preserve"} so that spaces in values survive.</li>
 * <li>A private data element whose creator is known is written with the block byte cleared (tag {@code gggg00ee})
 *     and a {@code privateCreator} attribute: the block a creator got is an accident of encoding (PS3.5 7.8.1), and
 *     PS3.18 F.3.1 notes that XML may hold such duplicate tags. Without a creator the tag is written as is.</li>
 * <li>Text values are written as decoded, one {@code Value} per value, empty values as empty {@code Value}
 *     elements; AT as 8 hex digits; FL/FD in the shortest round-trip form, non-finite ones as the xsd:double
 *     literals {@code NaN}, {@code INF}, {@code -INF}.</li>
 * <li>Characters XML 1.0 cannot carry (most C0 controls, lone surrogates) become U+FFFD; carriage returns are
 *     written as {@code &#13;} so parsers do not fold CR LF into LF.</li>
 * <li>{@code pretty} adds line breaks and indentation between elements only, never inside a value.</li>
 * </ul>
 */
public final class NativeXmlWriter implements DicomHandler {
    /** The namespace of the PS3.19 A.1.6 schema. */
    public static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
    private static final String[] NAME_COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix",
        "NameSuffix"};
    private static final String[] GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final int BASE64_CHUNK = 3 * 4096;

    private final XMLStreamWriter xml;
    private final JsonOptions options;
    private WriterState state = new WriterState();
    private int depth;

    /** A writer emitting to {@code xml}, which the caller owns. */
    public NativeXmlWriter(XMLStreamWriter xml, JsonOptions options) {
        this.xml = Objects.requireNonNull(xml, "xml");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Writes {@code dataset} as a UTF-8 XML document to {@code out}, which stays open. */
    public static void write(Attributes dataset, OutputStream out, JsonOptions options) throws IOException {
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            new NativeXmlWriter(w, options).writeDataset(dataset);
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
        out.flush();
    }

    /** The XML text of {@code dataset}. */
    public static String toXml(Attributes dataset, JsonOptions options) throws IOException {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            new NativeXmlWriter(w, options).writeDataset(dataset);
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
        return out.toString();
    }

    /** Writes {@code dataset} as one document. */
    public void writeDataset(Attributes dataset) throws IOException {
        AttributesEmitter.emit(dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, this);
    }

    @Override
    public void startDataset(TransferSyntax transferSyntax) throws IOException {
        state = new WriterState();
        depth = 0;
        run(() -> {
            xml.writeStartDocument("UTF-8", "1.0");
            start("NativeDicomModel");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeAttribute("xml", XMLConstants.XML_NS_URI, "space", "preserve");
        });
    }

    @Override
    public void endDataset() throws IOException {
        run(() -> {
            end(true);
            xml.writeEndDocument();
            xml.flush();
        });
    }

    @Override
    public void element(int tag, Vr vr, byte[] value) throws IOException {
        if (state.skipping() || WriterState.excluded(tag)) {
            return;
        }
        state.noteElement(tag, vr, value);
        if (options.bulkDataMode() != JsonOptions.BulkDataMode.INLINE && value.length > options.bulkThreshold()
                && ValueFormat.mayBeBulkData(vr)) {
            if (options.bulkDataMode() == JsonOptions.BulkDataMode.URI) {
                writeUri(tag, vr, value);
            }
            return;
        }
        run(() -> {
            startAttribute(tag, vr);
            boolean children = writeValue(vr, value);
            end(children);
        });
    }

    @Override
    public void bulkData(int tag, Vr vr, BulkDataRef ref) throws IOException {
        if (state.skipping() || WriterState.excluded(tag)) {
            return;
        }
        // As in the JSON writer: VRs that may not be bulk data (PS3.18 F.2.2) are inlined in every mode.
        if (options.bulkDataMode() != JsonOptions.BulkDataMode.INLINE && ValueFormat.mayBeBulkData(vr)) {
            if (options.bulkDataMode() == JsonOptions.BulkDataMode.URI) {
                writeUri(tag, vr, ref);
            }
            return;
        }
        if (ref.length() > 0 && (vr.isText() || ValueFormat.isBinaryNumber(vr))) {
            byte[] value = BulkDataStreams.readAll(ref, vr, options.resolver());
            run(() -> {
                startAttribute(tag, vr);
                end(writeValue(vr, value));
            });
            return;
        }
        run(() -> {
            startAttribute(tag, vr);
            if (ref.length() > 0) {
                try (InputStream in = BulkDataStreams.open(ref, vr, options.resolver())) {
                    writeInlineBinary(in);
                }
            }
            end(ref.length() > 0);
        });
    }

    @Override
    public void fragments(int tag, Vr vr, Fragments fragments) throws IOException {
        if (state.skipping() || WriterState.excluded(tag)
                || options.bulkDataMode() == JsonOptions.BulkDataMode.OMIT) {
            return;
        }
        if (options.bulkDataMode() == JsonOptions.BulkDataMode.URI) {
            writeUri(tag, vr, fragments);
            return;
        }
        // As in the JSON writer: the encapsulated value as stored, items with their headers.
        run(() -> {
            startAttribute(tag, vr);
            try (InputStream in = BulkDataStreams.openEncapsulated(fragments, options.resolver())) {
                writeInlineBinary(in);
            }
            end(true);
        });
    }

    @Override
    public void startSequence(int tag, Vr vr) throws IOException {
        if (state.enterSequence(tag)) {
            run(() -> startAttribute(tag, Vr.SQ));
        }
    }

    @Override
    public void startItem() throws IOException {
        if (!state.skipping()) {
            int number = state.startItem() + 1;
            run(() -> {
                start("Item");
                xml.writeAttribute("number", Integer.toString(number));
            });
        }
    }

    @Override
    public void endItem() throws IOException {
        if (!state.skipping()) {
            state.endItem();
            run(() -> end(true));
        }
    }

    @Override
    public void endSequence() throws IOException {
        boolean hadItems = !state.skipping() && state.itemCount() > 0;
        if (state.exitSequence()) {
            run(() -> end(hadItems));
        }
    }

    private void startAttribute(int tag, Vr vr) throws XMLStreamException {
        String creator = state.privateCreator(tag).orElse(null);
        start("DicomAttribute");
        xml.writeAttribute("tag", Tag.toHex(creator != null ? tag & 0xFFFF00FF : tag));
        xml.writeAttribute("vr", vr.name());
        if (!Tag.isPrivate(tag)) {
            String keyword = ElementDictionary.keywordOf(tag).orElse(null);
            if (keyword != null) {
                xml.writeAttribute("keyword", keyword);
            }
        }
        if (creator != null) {
            xml.writeAttribute("privateCreator", XmlText.clean(creator));
        }
    }

    private void writeUri(int tag, Vr vr, Object value) throws IOException {
        String uri = Objects.requireNonNull(options.uriFunction().uri(state.path(tag), vr, value),
                "BulkDataUriFunction returned null");
        run(() -> {
            startAttribute(tag, vr);
            indent();
            xml.writeEmptyElement("BulkData");
            xml.writeAttribute("uri", XmlText.clean(uri));
            end(true);
        });
    }

    /** Writes the value's child elements; false when there were none (zero-length value). */
    private boolean writeValue(Vr vr, byte[] value) throws XMLStreamException {
        if (value.length == 0) {
            return false;
        }
        if (vr == Vr.PN) {
            return writePersonNames(ValueFormat.texts(value, vr, state.charset()));
        }
        if (vr.isText()) {
            return writeValues(ValueFormat.texts(value, vr, state.charset()));
        }
        if (ValueFormat.isBinaryNumber(vr)) {
            String[] numbers = ValueFormat.numbers(value, vr);
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = switch (numbers[i]) {
                    case "Infinity" -> "INF";
                    case "-Infinity" -> "-INF";
                    default -> numbers[i];
                };
            }
            return writeValues(List.of(numbers));
        }
        try {
            writeInlineBinary(new ByteArrayInputStream(value));
        } catch (IOException e) {
            throw new XMLStreamException(e);
        }
        return true;
    }

    private boolean writeValues(List<String> values) throws XMLStreamException {
        for (int i = 0; i < values.size(); i++) {
            indent();
            String v = values.get(i);
            if (v.isEmpty()) {
                xml.writeEmptyElement("Value");
                xml.writeAttribute("number", Integer.toString(i + 1));
            } else {
                xml.writeStartElement("Value");
                xml.writeAttribute("number", Integer.toString(i + 1));
                XmlText.write(xml, v);
                xml.writeEndElement();
            }
        }
        return !values.isEmpty();
    }

    private boolean writePersonNames(List<String> values) throws XMLStreamException {
        for (int i = 0; i < values.size(); i++) {
            start("PersonName");
            xml.writeAttribute("number", Integer.toString(i + 1));
            String[] groups = PersonName.parse(values.get(i)).groups().toArray(String[]::new);
            boolean any = false;
            for (int g = 0; g < GROUPS.length; g++) {
                if (!groups[g].isEmpty()) {
                    any = true;
                    start(GROUPS[g]);
                    String[] components = groups[g].split("\\^", -1);
                    for (int c = 0; c < NAME_COMPONENTS.length && c < components.length; c++) {
                        if (!components[c].isEmpty()) {
                            indent();
                            xml.writeStartElement(NAME_COMPONENTS[c]);
                            XmlText.write(xml, components[c]);
                            xml.writeEndElement();
                        }
                    }
                    end(true);
                }
            }
            end(any);
        }
        return !values.isEmpty();
    }

    private void writeInlineBinary(InputStream in) throws IOException, XMLStreamException {
        indent();
        xml.writeStartElement("InlineBinary");
        byte[] chunk = new byte[BASE64_CHUNK];
        Base64.Encoder encoder = Base64.getEncoder();
        // Whole multiples of 3 bytes encode without padding, so the chunks concatenate into one base64 text.
        for (int n = in.readNBytes(chunk, 0, chunk.length); n > 0; n = in.readNBytes(chunk, 0, chunk.length)) {
            xml.writeCharacters(encoder.encodeToString(n == chunk.length ? chunk : Arrays.copyOf(chunk, n)));
        }
        xml.writeEndElement();
    }

    private void start(String name) throws XMLStreamException {
        if (depth > 0) {
            indent(); // nothing may precede the root element but the declaration
        }
        xml.writeStartElement(name);
        depth++;
    }

    /** Closes the innermost element; {@code block} when it had child elements, so its end tag goes on a new line. */
    private void end(boolean block) throws XMLStreamException {
        depth--;
        if (block) {
            indent();
        }
        xml.writeEndElement();
    }

    private void indent() throws XMLStreamException {
        if (options.pretty()) {
            xml.writeCharacters("\n" + "  ".repeat(depth));
        }
    }

    @FunctionalInterface
    private interface XmlAction {
        void run() throws XMLStreamException, IOException;
    }

    private static void run(XmlAction action) throws IOException {
        try {
            action.run();
        } catch (XMLStreamException e) {
            throw e.getNestedException() instanceof IOException io ? io : new IOException(e);
        }
    }
}
