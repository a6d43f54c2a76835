package org.dpacs.dicom.json;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.dpacs.dicom.charset.SpecificCharacterSet;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomHandler;

/**
 * Reads DICOM JSON (PS3.18 Annex F.2) into handler events or {@link Attributes}, encoding every value back to the
 * bytes of its VR: text with the Specific Character Set in force (F.2.2 note 3: the JSON itself is UTF-8), DS and
 * IS as text whether they came as numbers or strings, other numbers as binary little endian, PN objects as
 * {@code Alphabetic=Ideographic=Phonetic}, InlineBinary base64-decoded, BulkDataURI through a
 * {@link BulkDataUriResolver}.
 *
 * <p>Text is encoded when it is read, so (0008,0005) must come before the text it governs; the ascending order
 * F.2.2 requires guarantees that. Members other than "vr", "Value", "InlineBinary" and "BulkDataURI" are ignored.
 * Errors are {@link DicomJsonException}s naming the tag and the position.
 */
public final class DicomJsonReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // InlineBinary pixel data easily exceeds Jackson's default 20 MB string limit.
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    /** RFC 4648 base64; padding optional because some writers drop it. */
    private static final Base64Variant BASE64 =
            Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

    private JsonParser parser;
    private final BulkDataUriResolver resolver;
    private DicomHandler handler;
    private final ArrayDeque<SpecificCharacterSet> charsets = new ArrayDeque<>();
    /** Per open sequence: {tag, index of the current item}. */
    private final ArrayDeque<int[]> sequences = new ArrayDeque<>();
    private int currentTag = -1;
    /** While a buffered member is replayed, errors report where its attribute started. */
    private long replayOffset = -1;

    /** A reader of the data set objects {@code parser} delivers; the caller owns the parser. */
    public DicomJsonReader(JsonParser parser, BulkDataUriResolver resolver) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A parser for DICOM JSON, without the default limit on string length. */
    public static JsonParser parser(InputStream in) throws IOException {
        return FACTORY.createParser(in);
    }

    /** Reads one DICOM JSON object. */
    public static Attributes read(InputStream in, BulkDataUriResolver resolver) throws IOException {
        try (JsonParser p = parser(in)) {
            return readSingle(p, resolver);
        }
    }

    /** Reads one DICOM JSON object from text. */
    public static Attributes read(String json, BulkDataUriResolver resolver) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readSingle(p, resolver);
        }
    }

    /** Reads a JSON array of DICOM JSON objects (PS3.18 F.2.1); a lone object gives a list of one. */
    public static List<Attributes> readArray(InputStream in, BulkDataUriResolver resolver) throws IOException {
        try (JsonParser p = parser(in)) {
            DicomJsonReader reader = new DicomJsonReader(p, resolver);
            List<Attributes> out = new ArrayList<>();
            JsonToken first = reader.next();
            if (first == JsonToken.START_OBJECT) {
                out.add(reader.collect());
            } else if (first == JsonToken.START_ARRAY) {
                while (reader.next() == JsonToken.START_OBJECT) {
                    out.add(reader.collect());
                }
                reader.expect(p.currentToken() == JsonToken.END_ARRAY, "Expected a data set object or ']'");
            } else {
                throw reader.error("Expected a JSON array of DICOM JSON objects", null);
            }
            reader.expectEnd();
            return out;
        }
    }

    private static Attributes readSingle(JsonParser p, BulkDataUriResolver resolver) throws IOException {
        DicomJsonReader reader = new DicomJsonReader(p, resolver);
        reader.expect(reader.next() == JsonToken.START_OBJECT, "Expected a DICOM JSON object");
        Attributes ds = reader.collect();
        reader.expectEnd();
        return ds;
    }

    private Attributes collect() throws IOException {
        AttributesCollector collector = new AttributesCollector();
        readDataset(collector);
        return collector.dataset();
    }

    /**
     * Reads the data set object starting at the parser's current token (advancing to it when the parser has not
     * started) and emits it to {@code target}, from startDataset to endDataset.
     */
    public void readDataset(DicomHandler target) throws IOException {
        this.handler = target;
        if (!parser.hasCurrentToken()) {
            next();
        }
        expect(parser.currentToken() == JsonToken.START_OBJECT, "Expected a DICOM JSON object");
        charsets.clear();
        sequences.clear();
        charsets.push(SpecificCharacterSet.DEFAULT);
        handler.startDataset(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        readAttributes();
        currentTag = -1;
        handler.endDataset();
    }

    /** Reads attribute members up to the END_OBJECT of the current object. */
    private void readAttributes() throws IOException {
        while (next() == JsonToken.FIELD_NAME) {
            currentTag = -1;
            String name = parser.currentName();
            if (name.length() != 8 || !name.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw error("Attribute name '" + name + "' is not 8 hexadecimal digits", null);
            }
            currentTag = (int) Long.parseLong(name, 16);
            expect(next() == JsonToken.START_OBJECT, "Expected an attribute object");
            readAttribute(currentTag);
        }
        expect(parser.currentToken() == JsonToken.END_OBJECT, "Expected an attribute name or '}'");
    }

    private void readAttribute(int tag) throws IOException {
        long start = offset();
        Vr vr = null;
        String pendingMember = null;
        String pendingJson = null;
        boolean done = false;
        while (next() == JsonToken.FIELD_NAME) {
            String member = parser.currentName();
            next();
            switch (member) {
                case "vr" -> vr = vr(tag);
                case "Value", "InlineBinary", "BulkDataURI" -> {
                    expect(!done && pendingMember == null,
                            "An attribute has at most one of Value, InlineBinary and BulkDataURI");
                    if (vr != null) {
                        readContent(tag, vr, member);
                        done = true;
                    } else {
                        // JSON members are unordered; keep this one until "vr" says how to read it.
                        pendingMember = member;
                        pendingJson = copyCurrent();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        currentTag = tag;
        if (vr == null) {
            throw error("Attribute has no \"vr\"", null);
        }
        if (pendingMember != null) {
            replay(tag, vr, pendingMember, pendingJson, start);
        } else if (!done) {
            emitEmpty(tag, vr);
        }
    }

    private Vr vr(int tag) throws IOException {
        expect(parser.currentToken() == JsonToken.VALUE_STRING, "\"vr\" must be a string");
        String code = parser.getText();
        Vr vr = code.length() == 2 ? Vr.ofCodeOrNull((code.charAt(0) << 8) | code.charAt(1)) : null;
        if (vr == null) {
            throw error("Unknown VR \"" + code + "\"", null);
        }
        return vr;
    }

    private String copyCurrent() throws IOException {
        StringWriter buffer = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            g.copyCurrentStructure(parser);
        }
        return buffer.toString();
    }

    private void replay(int tag, Vr vr, String member, String json, long start) throws IOException {
        JsonParser outer = parser;
        long outerReplay = replayOffset;
        try (JsonParser sub = FACTORY.createParser(json)) {
            parser = sub;
            replayOffset = outerReplay >= 0 ? outerReplay : start;
            next();
            readContent(tag, vr, member);
        } finally {
            parser = outer;
            replayOffset = outerReplay;
        }
    }

    private void emitEmpty(int tag, Vr vr) throws IOException {
        if (vr == Vr.SQ) {
            handler.startSequence(tag, vr);
            handler.endSequence();
        } else {
            emit(tag, vr, new byte[0]);
        }
    }

    private void readContent(int tag, Vr vr, String member) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            emitEmpty(tag, vr);
            return;
        }
        switch (member) {
            case "InlineBinary" -> {
                expect(parser.currentToken() == JsonToken.VALUE_STRING, "InlineBinary must be a base64 string");
                expect(vr != Vr.SQ, "A sequence cannot have InlineBinary");
                // As given, odd length included: padding is the Part 10 writer's job (PS3.19 A.1.1 says the same).
                emit(tag, vr, parser.getBinaryValue(BASE64));
            }
            case "BulkDataURI" -> {
                expect(parser.currentToken() == JsonToken.VALUE_STRING, "BulkDataURI must be a string");
                resolve(tag, vr, parser.getText());
            }
            default -> {
                expect(parser.currentToken() == JsonToken.START_ARRAY, "\"Value\" must be an array");
                if (vr == Vr.SQ) {
                    readItems(tag);
                } else {
                    readValues(tag, vr);
                }
            }
        }
    }

    private void resolve(int tag, Vr vr, String uri) throws IOException {
        Object value = resolver.resolve(path(tag), vr, uri);
        switch (value) {
            case byte[] b -> emit(tag, vr, b);
            case BulkDataRef ref -> handler.bulkData(tag, vr, ref);
            case Fragments f -> handler.fragments(tag, vr, f);
            case null, default -> throw error("BulkDataUriResolver returned " + value + " for '" + uri + "'", null);
        }
    }

    private void readItems(int tag) throws IOException {
        handler.startSequence(tag, Vr.SQ);
        int[] seq = {tag, -1};
        sequences.push(seq);
        while (next() != JsonToken.END_ARRAY) {
            JsonToken t = parser.currentToken();
            expect(t == JsonToken.START_OBJECT || t == JsonToken.VALUE_NULL, "A sequence item must be an object");
            seq[1]++;
            handler.startItem();
            charsets.push(charsets.peek());
            if (t == JsonToken.START_OBJECT) {
                readAttributes();
            }
            charsets.pop();
            currentTag = tag;
            handler.endItem();
        }
        sequences.pop();
        handler.endSequence();
    }

    private void readValues(int tag, Vr vr) throws IOException {
        expect(!ValueFormat.isOctets(vr), vr + " values are written as InlineBinary or BulkDataURI, not Value");
        List<String> values = new ArrayList<>();
        try {
            while (next() != JsonToken.END_ARRAY) {
                String v = vr == Vr.PN ? personName() : scalar(vr);
                if (vr == Vr.DS && v != null && parser.currentToken().isNumeric()) {
                    // A number is ours to format; a string keeps its original form (F.2.3).
                    v = ValueEncoder.decimalString(v);
                }
                values.add(v);
            }
            if (vr == Vr.AT) {
                int[] tags = new int[values.size()];
                for (int i = 0; i < tags.length; i++) {
                    expect(values.get(i) != null, "AT values cannot be null");
                    tags[i] = Tag.parse(values.get(i));
                }
                emit(tag, vr, BinaryValues.encodeInts(tags, vr));
            } else if (ValueFormat.isBinaryNumber(vr)) {
                expect(!values.contains(null), vr + " values cannot be null");
                emit(tag, vr, ValueEncoder.numbers(values, vr));
            } else {
                emit(tag, vr, ValueEncoder.text(values, vr, charsets.peek()));
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException included: a value that does not fit the VR
            throw error("Bad " + vr + " value: " + e.getMessage(), e);
        }
    }

    /** One element of a "Value" array of a VR other than PN and SQ, as text; null for JSON null. */
    private String scalar(Vr vr) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            default -> throw error("A " + vr + " value must be a string or a number", null);
        };
    }

    /** A PN value: an object of component groups (F.2.2), or null; a plain string is taken as it stands. */
    private String personName() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_STRING) {
            return t == JsonToken.VALUE_NULL ? null : parser.getText();
        }
        expect(t == JsonToken.START_OBJECT, "A PN value must be an object with Alphabetic, Ideographic, Phonetic");
        String[] groups = {"", "", ""};
        while (next() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            next();
            int index = switch (name) {
                case "Alphabetic" -> 0;
                case "Ideographic" -> 1;
                case "Phonetic" -> 2;
                default -> -1;
            };
            if (index < 0) {
                parser.skipChildren();
                continue;
            }
            expect(parser.currentToken() == JsonToken.VALUE_STRING || parser.currentToken() == JsonToken.VALUE_NULL,
                    "PN component group " + name + " must be a string");
            groups[index] = parser.currentToken() == JsonToken.VALUE_NULL ? "" : parser.getText();
        }
        return ValueEncoder.personName(groups);
    }

    private void emit(int tag, Vr vr, byte[] value) throws IOException {
        if (tag == Tag.SpecificCharacterSet) {
            charsets.pop();
            charsets.push(SpecificCharacterSet.of(TextValues.split(new String(value, StandardCharsets.ISO_8859_1), Vr.CS)));
        }
        handler.element(tag, vr, value);
    }

    private TagPath path(int tag) {
        int n = sequences.size();
        int[] tags = new int[n + 1];
        int[] items = new int[n];
        Iterator<int[]> outermostFirst = sequences.descendingIterator();
        for (int i = 0; i < n; i++) {
            int[] s = outermostFirst.next();
            tags[i] = s[0];
            items[i] = s[1];
        }
        tags[n] = tag;
        return new TagPath(tags, items);
    }

    private JsonToken next() throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw error("Invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void expectEnd() throws IOException {
        expect(next() == null, "Unexpected content after the DICOM JSON");
    }

    private void expect(boolean condition, String message) throws DicomJsonException {
        if (!condition) {
            throw error(message + (parser.currentToken() != null ? ", found " + parser.currentToken() : ""), null);
        }
    }

    private long offset() {
        if (replayOffset >= 0) {
            return replayOffset;
        }
        JsonLocation at = parser.currentTokenLocation();
        return at.getCharOffset() >= 0 ? at.getCharOffset() : at.getByteOffset();
    }

    private DicomJsonException error(String message, Throwable cause) {
        return new DicomJsonException(message, offset(), currentTag, cause);
    }
}
