package org.dpacs.dicom.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.PersonName;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.AttributesEmitter;
import org.dpacs.dicom.io.DicomHandler;

/**
 * Writes a data set as a DICOM JSON Model object (PS3.18 Annex F.2) while handler events arrive, so
 * {@code new DicomReader(channel, name, options).parse(new DicomJsonWriter(gen, opts))} converts a file without
 * building {@link Attributes}. Only a stack of character sets, private creators and item counters is kept.
 *
 * <p>Encoding choices, all within Annex F:
 * <ul>
 * <li>Attributes come out in event order, which for {@link Attributes} and well-formed files is the ascending tag
 *     order F.2.2 asks for. Group lengths and group 0002 are left out (F.2.2).</li>
 * <li>Zero-length values and sequences without items have "vr" only; empty values among several, and PN values
 *     with no non-empty component group, are {@code null} (F.2.5). PN objects carry only non-empty groups.</li>
 * <li>IS is written as a JSON integer and DS as a JSON number from the original decimal text, so no binary
 *     rounding is introduced; a DS or IS that is not a number is written as a string, which F.2.3 allows.</li>
 * <li>FL and FD use the shortest text that reads back to the same value; NaN and the infinities, which JSON
 *     numbers cannot express, are the strings "NaN", "Infinity" and "-Infinity".</li>
 * <li>UV and SV are JSON numbers with all their digits, also beyond 2^53 (F.2.3 would allow strings); readers
 *     that parse numbers as IEEE doubles lose precision there.</li>
 * <li>Encapsulated pixel data in {@link JsonOptions.BulkDataMode#INLINE} mode is the base64 of the value as stored:
 *     every item with its tag and length, no Sequence Delimitation Item. PS3.18 expects a BulkDataURI for it;
 *     this is what pydicom writes, so the two can be compared.</li>
 * </ul>
 */
public final class DicomJsonWriter implements DicomHandler {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonGenerator gen;
    private final JsonOptions options;
    private WriterState state = new WriterState();

    /** A writer emitting to {@code gen}, which the caller owns (and closes). */
    public DicomJsonWriter(JsonGenerator gen, JsonOptions options) {
        this.gen = Objects.requireNonNull(gen, "gen");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A UTF-8 generator on {@code out} that leaves {@code out} open, indenting when the options say so. */
    public static JsonGenerator generator(OutputStream out, JsonOptions options) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        if (options.pretty()) {
            g.useDefaultPrettyPrinter();
        }
        return g;
    }

    /** Writes {@code dataset} as one JSON object to {@code out}, which stays open. */
    public static void write(Attributes dataset, OutputStream out, JsonOptions options) throws IOException {
        try (JsonGenerator g = generator(out, options)) {
            new DicomJsonWriter(g, options).writeDataset(dataset);
        }
    }

    /** Writes the data sets as a JSON array, the shape of a QIDO-RS response (PS3.18 F.2.1). */
    public static void writeArray(Iterable<Attributes> datasets, OutputStream out, JsonOptions options)
            throws IOException {
        try (JsonGenerator g = generator(out, options)) {
            DicomJsonWriter writer = new DicomJsonWriter(g, options);
            g.writeStartArray();
            for (Attributes ds : datasets) {
                writer.writeDataset(ds);
            }
            g.writeEndArray();
        }
    }

    /** The JSON text of {@code dataset}. */
    public static String toJson(Attributes dataset, JsonOptions options) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (options.pretty()) {
                g.useDefaultPrettyPrinter();
            }
            new DicomJsonWriter(g, options).writeDataset(dataset);
        }
        return out.toString();
    }

    /** Writes one data set as a JSON object at the generator's position, e.g. as the next element of an array. */
    public void writeDataset(Attributes dataset) throws IOException {
        AttributesEmitter.emit(dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, this);
    }

    @Override
    public void startDataset(TransferSyntax transferSyntax) throws IOException {
        state = new WriterState();
        gen.writeStartObject();
    }

    @Override
    public void endDataset() throws IOException {
        gen.writeEndObject();
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
        startAttribute(tag, vr);
        writeValue(vr, value);
        gen.writeEndObject();
    }

    @Override
    public void bulkData(int tag, Vr vr, BulkDataRef ref) throws IOException {
        if (state.skipping() || WriterState.excluded(tag)) {
            return;
        }
        // Not in memory counts as bulk, except for VRs that may not have a BulkDataURI (F.2.2): those are inlined.
        if (options.bulkDataMode() != JsonOptions.BulkDataMode.INLINE && ValueFormat.mayBeBulkData(vr)) {
            if (options.bulkDataMode() == JsonOptions.BulkDataMode.URI) {
                writeUri(tag, vr, ref);
            }
            return;
        }
        startAttribute(tag, vr);
        if (ref.length() > 0 && (vr.isText() || ValueFormat.isBinaryNumber(vr))) {
            // Text and numbers must be decoded to be written, so they are read whole.
            writeValue(vr, BulkDataStreams.readAll(ref, vr, options.resolver()));
        } else if (ref.length() > 0) {
            gen.writeFieldName("InlineBinary");
            try (InputStream in = BulkDataStreams.open(ref, vr, options.resolver())) {
                gen.writeBinary(in, checkedLength(ref.length(), tag));
            }
        }
        gen.writeEndObject();
    }

    @Override
    public void fragments(int tag, Vr vr, Fragments fragments) throws IOException {
        if (state.skipping() || WriterState.excluded(tag)) {
            return;
        }
        switch (options.bulkDataMode()) {
            case OMIT -> { }
            case URI -> writeUri(tag, vr, fragments);
            case INLINE -> {
                startAttribute(tag, vr);
                long length = BulkDataStreams.encapsulatedLength(fragments);
                if (length > 0) {
                    gen.writeFieldName("InlineBinary");
                    try (InputStream in = BulkDataStreams.openEncapsulated(fragments, options.resolver())) {
                        gen.writeBinary(in, checkedLength(length, tag));
                    }
                }
                gen.writeEndObject();
            }
        }
    }

    @Override
    public void startSequence(int tag, Vr vr) throws IOException {
        if (state.enterSequence(tag)) {
            // Also for UN of undefined length read as a sequence: its items are what the JSON can carry.
            startAttribute(tag, Vr.SQ);
        }
    }

    @Override
    public void startItem() throws IOException {
        if (state.skipping()) {
            return;
        }
        if (state.itemCount() == 0) {
            // Opened lazily: a sequence without items has no "Value" (F.2.5).
            gen.writeArrayFieldStart("Value");
        }
        state.startItem();
        gen.writeStartObject();
    }

    @Override
    public void endItem() throws IOException {
        if (!state.skipping()) {
            state.endItem();
            gen.writeEndObject();
        }
    }

    @Override
    public void endSequence() throws IOException {
        boolean hadItems = !state.skipping() && state.itemCount() > 0;
        if (state.exitSequence()) {
            if (hadItems) {
                gen.writeEndArray();
            }
            gen.writeEndObject();
        }
    }

    private void startAttribute(int tag, Vr vr) throws IOException {
        gen.writeFieldName(Tag.toHex(tag));
        gen.writeStartObject();
        gen.writeStringField("vr", vr.name());
    }

    private void writeUri(int tag, Vr vr, Object value) throws IOException {
        String uri = Objects.requireNonNull(options.uriFunction().uri(state.path(tag), vr, value),
                "BulkDataUriFunction returned null");
        startAttribute(tag, vr);
        gen.writeStringField("BulkDataURI", uri);
        gen.writeEndObject();
    }

    private void writeValue(Vr vr, byte[] value) throws IOException {
        if (value.length == 0) {
            return;
        }
        if (vr == Vr.PN) {
            writePersonNames(ValueFormat.texts(value, vr, state.charset()));
        } else if (vr.isText()) {
            writeTexts(vr, ValueFormat.texts(value, vr, state.charset()));
        } else if (ValueFormat.isBinaryNumber(vr)) {
            writeNumbers(vr, ValueFormat.numbers(value, vr));
        } else {
            // OB, OD, OF, OL, OV, OW, UN; and an SQ handed over as bytes, which has no other JSON form.
            gen.writeFieldName("InlineBinary");
            gen.writeBinary(value);
        }
    }

    private void writeTexts(Vr vr, List<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        gen.writeArrayFieldStart("Value");
        for (String v : values) {
            if (v.isEmpty()) {
                gen.writeNull();
            } else if (vr == Vr.DS) {
                Optional<String> number = ValueFormat.decimal(v);
                if (number.isPresent()) {
                    gen.writeNumber(number.get());
                } else {
                    gen.writeString(v);
                }
            } else if (vr == Vr.IS) {
                Optional<java.math.BigInteger> number = ValueFormat.integer(v);
                if (number.isPresent()) {
                    gen.writeNumber(number.get());
                } else {
                    gen.writeString(v);
                }
            } else {
                gen.writeString(v);
            }
        }
        gen.writeEndArray();
    }

    private void writeNumbers(Vr vr, String[] values) throws IOException {
        if (values.length == 0) {
            return;
        }
        gen.writeArrayFieldStart("Value");
        for (String v : values) {
            if (vr == Vr.AT || ValueFormat.isNonFinite(v)) {
                gen.writeString(v);
            } else {
                gen.writeNumber(v);
            }
        }
        gen.writeEndArray();
    }

    private void writePersonNames(List<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        gen.writeArrayFieldStart("Value");
        for (String v : values) {
            PersonName pn = PersonName.parse(v);
            if (pn.alphabetic().isEmpty() && pn.ideographic().isEmpty() && pn.phonetic().isEmpty()) {
                gen.writeNull();
                continue;
            }
            gen.writeStartObject();
            writeGroup("Alphabetic", pn.alphabetic());
            writeGroup("Ideographic", pn.ideographic());
            writeGroup("Phonetic", pn.phonetic());
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    private void writeGroup(String name, String group) throws IOException {
        if (!group.isEmpty()) {
            gen.writeStringField(name, group);
        }
    }

    private static int checkedLength(long length, int tag) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new IOException("Value of " + Tag.toString(tag) + " has " + length
                    + " bytes, too many for one InlineBinary; use BulkDataMode.URI");
        }
        return (int) length;
    }
}
