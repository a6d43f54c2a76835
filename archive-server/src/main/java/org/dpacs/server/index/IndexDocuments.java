package org.dpacs.server.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntPredicate;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.json.DicomJsonWriter;
import org.dpacs.dicom.json.JsonOptions;
import org.dpacs.dicom.json.ValueFormat;
import org.dpacs.server.catalog.InstanceRecord;

/**
 * The Lucene documents of the index: one per study, one per series and one per instance, told apart by
 * {@link #LEVEL}. Every document indexes the attributes of its own level and the levels above it as they are in
 * its source instance (the study's and series' newest one), so a key matches at any level without a join:
 *
 * <ul>
 * <li>{@code k:<path>} keyword terms, exact (PN: the normal forms of {@link MatchValues}); {@code path} is the hex
 *     tag, or dotted hex tags for attributes inside sequences (two levels deep);</li>
 * <li>{@code f:<path>} PN words for fuzzy matching; {@code r:<path>} DA/TM/DT as long points;
 *     {@code c:<date tag>} a DA and its TM combined (PS3.4 C.2.2.2.5.1);</li>
 * <li>{@code has} the paths that have a non-empty value, for empty value matching.</li>
 * </ul>
 *
 * Doc values carry the UIDs, the sort keys and what the study and series aggregates need. Stored fields are
 * {@link #BLOB} (study and series: their attributes and counts, {@link DatasetBlob}) and {@link #JSON} (instance:
 * its whole header as DICOM JSON, for WADO-RS metadata). Lucene compresses stored fields by itself (LZ4 in the
 * default codec), which suits JSON well and keeps retrieval fast.
 */
final class IndexDocuments {
    static final String ID = "id";
    static final String LEVEL = "level";
    static final String STUDY = "study";
    static final String SERIES = "series";
    static final String DV_STUDY = "dv_study";
    static final String DV_SERIES = "dv_series";
    static final String DV_SOP = "dv_sop";
    static final String DV_MODALITY = "dv_modality";
    static final String DV_SOP_CLASS = "dv_sop_class";
    static final String DV_SEQ = "dv_seq";
    static final String SORT_WHEN = "s_when";
    static final String SORT_SERIES_NUMBER = "s_series_number";
    static final String SORT_INSTANCE_NUMBER = "s_instance_number";
    static final String BLOB = "blob";
    static final String JSON = "json";
    static final String HAS = "has";
    static final String KEYWORD = "k:";
    static final String FUZZY = "f:";
    static final String RANGE = "r:";
    static final String COMBINED = "c:";

    /** Text longer than this is not indexed (Lucene terms are limited, and nobody matches whole reports). */
    private static final int MAX_TERM_CHARS = 1024;
    private static final int MAX_VALUES = 64;
    private static final int MAX_DEPTH = 2;
    /** Bulk data URIs are written for values above this many bytes. */
    static final int BULK_THRESHOLD = 1024;

    /** DA attributes and the TM that completes them, for combined date-time range matching (C.2.2.2.5.1). */
    static final Map<Integer, Integer> DATE_TIME_PAIRS = Map.of(
            0x00080012, 0x00080013, // InstanceCreationDate/Time
            0x00080020, 0x00080030, // StudyDate/Time
            0x00080021, 0x00080031, // SeriesDate/Time
            0x00080022, 0x00080032, // AcquisitionDate/Time
            0x00080023, 0x00080033, // ContentDate/Time
            0x00100030, 0x00100032, // PatientBirthDate/Time
            0x00400244, 0x00400245, // PerformedProcedureStepStartDate/Time
            0x00400250, 0x00400251); // PerformedProcedureStepEndDate/Time

    private IndexDocuments() {
    }

    static String studyId(String study) {
        return "st:" + study;
    }

    static String seriesId(String study, String series) {
        return "se:" + study + "/" + series;
    }

    static String instanceId(String sop) {
        return "in:" + sop;
    }

    /** The instance document: everything of its header indexed, the header stored as DICOM JSON. */
    static Document instance(InstanceRecord r, Attributes header) throws IOException {
        Document doc = new Document();
        doc.add(new StringField(ID, instanceId(r.sopInstanceUid()), Field.Store.NO));
        doc.add(new StringField(LEVEL, QidoLevel.INSTANCE.label(), Field.Store.NO));
        doc.add(new StringField(STUDY, r.studyInstanceUid(), Field.Store.NO));
        doc.add(new StringField(SERIES, r.seriesInstanceUid(), Field.Store.NO));
        doc.add(new SortedDocValuesField(DV_STUDY, new BytesRef(r.studyInstanceUid())));
        doc.add(new SortedDocValuesField(DV_SERIES, new BytesRef(r.seriesInstanceUid())));
        doc.add(new SortedDocValuesField(DV_SOP, new BytesRef(r.sopInstanceUid())));
        doc.add(new SortedDocValuesField(DV_SOP_CLASS, new BytesRef(r.sopClassUid())));
        header.string(Levels.MODALITY).ifPresent(m -> doc.add(new SortedDocValuesField(DV_MODALITY, new BytesRef(m))));
        doc.add(new NumericDocValuesField(DV_SEQ, r.seq()));
        addSortKeys(doc, header, QidoLevel.INSTANCE);
        indexAttributes(doc, header, tag -> true);
        doc.add(new StoredField(JSON, json(r, header)));
        return doc;
    }

    /** A series document: series and study attributes of its newest instance, the series blob stored. */
    static Document series(String study, String series, Attributes source, Attributes blob) throws IOException {
        Document doc = new Document();
        doc.add(new StringField(ID, seriesId(study, series), Field.Store.NO));
        doc.add(new StringField(LEVEL, QidoLevel.SERIES.label(), Field.Store.NO));
        doc.add(new StringField(STUDY, study, Field.Store.NO));
        doc.add(new StringField(SERIES, series, Field.Store.NO));
        doc.add(new SortedDocValuesField(DV_STUDY, new BytesRef(study)));
        doc.add(new SortedDocValuesField(DV_SERIES, new BytesRef(series)));
        addSortKeys(doc, source, QidoLevel.SERIES);
        indexAttributes(doc, source, tag -> Levels.levelOf(tag) != QidoLevel.INSTANCE);
        doc.add(new StoredField(BLOB, DatasetBlob.encode(blob)));
        return doc;
    }

    /** A study document: the study blob (study attributes of its newest instance and the aggregates) indexed. */
    static Document study(String study, Attributes source, Attributes blob) throws IOException {
        Document doc = new Document();
        doc.add(new StringField(ID, studyId(study), Field.Store.NO));
        doc.add(new StringField(LEVEL, QidoLevel.STUDY.label(), Field.Store.NO));
        doc.add(new StringField(STUDY, study, Field.Store.NO));
        doc.add(new SortedDocValuesField(DV_STUDY, new BytesRef(study)));
        addSortKeys(doc, source, QidoLevel.STUDY);
        indexAttributes(doc, blob, tag -> true);
        doc.add(new StoredField(BLOB, DatasetBlob.encode(blob)));
        return doc;
    }

    /** Study date-time (newest first), then series and instance numbers; the UIDs break ties. */
    private static void addSortKeys(Document doc, Attributes ds, QidoLevel level) {
        studyWhen(ds).ifPresent(when -> doc.add(new NumericDocValuesField(SORT_WHEN, when)));
        if (level != QidoLevel.STUDY) {
            number(ds, Levels.SERIES_NUMBER).ifPresent(n -> doc.add(new NumericDocValuesField(SORT_SERIES_NUMBER, n)));
        }
        if (level == QidoLevel.INSTANCE) {
            number(ds, Levels.INSTANCE_NUMBER)
                    .ifPresent(n -> doc.add(new NumericDocValuesField(SORT_INSTANCE_NUMBER, n)));
        }
    }

    private static OptionalLong studyWhen(Attributes ds) {
        OptionalLong date = ds.string(Levels.STUDY_DATE).map(MatchValues::date).orElse(OptionalLong.empty());
        if (date.isEmpty()) {
            return OptionalLong.empty();
        }
        long time = ds.string(Levels.STUDY_TIME).map(MatchValues::time).orElse(OptionalLong.empty()).orElse(0);
        return OptionalLong.of(MatchValues.combine(date.getAsLong(), time));
    }

    private static Optional<Long> number(Attributes ds, int tag) {
        return ds.string(tag).flatMap(MatchValues::number).flatMap(n -> {
            try {
                return Optional.of(new java.math.BigDecimal(n).longValueExact());
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        });
    }

    /** Indexes the top-level attributes {@code keep} accepts, and their sequence items, as described above. */
    static void indexAttributes(Document doc, Attributes ds, IntPredicate keep) {
        index(doc, ds, keep, "", 0);
        for (Map.Entry<Integer, Integer> pair : DATE_TIME_PAIRS.entrySet()) {
            if (!keep.test(pair.getKey())) {
                continue;
            }
            OptionalLong date = ds.string(pair.getKey()).map(MatchValues::date).orElse(OptionalLong.empty());
            if (date.isPresent()) {
                long time = ds.string(pair.getValue()).map(MatchValues::time).orElse(OptionalLong.empty()).orElse(0);
                doc.add(new LongPoint(COMBINED + Tag.toHex(pair.getKey()), MatchValues.combine(date.getAsLong(), time)));
            }
        }
    }

    private static void index(Document doc, Attributes ds, IntPredicate keep, String prefix, int depth) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if ((depth == 0 && !keep.test(tag)) || Tag.isPrivate(tag) || Tag.isGroupLength(tag)
                    || Tag.group(tag) == 0x0002) {
                continue;
            }
            String name = prefix + Tag.toHex(tag);
            Vr vr = ds.vrAt(i);
            Object value = ds.valueAt(i);
            if (value instanceof Sequence s) {
                if (!s.isEmpty()) {
                    doc.add(new StringField(HAS, name, Field.Store.NO));
                }
                if (depth < MAX_DEPTH) {
                    for (Attributes item : s.items()) {
                        index(doc, item, keep, name + ".", depth + 1);
                    }
                }
            } else if (value instanceof byte[] bytes && bytes.length > 0) {
                List<String> values = vr.isText() ? ds.stringsAt(i)
                        : ValueFormat.isBinaryNumber(vr) ? List.of(ValueFormat.numbers(bytes, vr)) : List.of();
                indexValues(doc, name, vr, values);
            }
        }
    }

    private static void indexValues(Document doc, String name, Vr vr, List<String> values) {
        boolean any = false;
        int n = 0;
        for (String v : values) {
            if (v.isEmpty() || v.length() > MAX_TERM_CHARS || n++ >= MAX_VALUES) {
                continue;
            }
            any = true;
            switch (vr) {
                case PN -> {
                    for (String term : MatchValues.personNameTerms(v)) {
                        doc.add(new StringField(KEYWORD + name, term, Field.Store.NO));
                    }
                    for (String word : MatchValues.personNameWords(v)) {
                        doc.add(new StringField(FUZZY + name, word, Field.Store.NO));
                    }
                }
                case DA -> MatchValues.date(v).ifPresent(d -> doc.add(new LongPoint(RANGE + name, d)));
                case TM -> MatchValues.time(v).ifPresent(t -> doc.add(new LongPoint(RANGE + name, t)));
                case DT -> MatchValues.dateTime(v).ifPresent(t -> doc.add(new LongPoint(RANGE + name, t)));
                case AT -> doc.add(new StringField(KEYWORD + name, v, Field.Store.NO));
                case IS, DS, US, SS, UL, SL, UV, SV, FL, FD ->
                        doc.add(new StringField(KEYWORD + name, MatchValues.number(v).orElse(v), Field.Store.NO));
                default -> doc.add(new StringField(KEYWORD + name, v, Field.Store.NO));
            }
        }
        if (any) {
            doc.add(new StringField(HAS, name, Field.Store.NO));
        }
    }

    /**
     * The header as DICOM JSON with bulk data as relative BulkDataURIs, so the stored metadata does not depend on
     * the host name the server is reached under. The scheme, which WADO-RS resolves against its base URL:
     * {@code studies/{study}/series/{series}/instances/{sop}/bulk/{path}}, where {@code path} is the
     * {@link org.dpacs.dicom.json.TagPath} of the attribute ({@code 7FE00010} for pixel data,
     * {@code 00540016/0/00281201} for a value inside a sequence item: tag, 0-based item, tag). Values become bulk
     * data above {@value #BULK_THRESHOLD} bytes, as do pixel data and anything the reader left in place.
     */
    static byte[] json(InstanceRecord r, Attributes header) throws IOException {
        String prefix = "studies/" + r.studyInstanceUid() + "/series/" + r.seriesInstanceUid() + "/instances/"
                + r.sopInstanceUid() + "/bulk/";
        JsonOptions options = JsonOptions.uris((path, vr, value) -> prefix + path, BULK_THRESHOLD)
                .withResolver(NOT_READABLE);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        DicomJsonWriter.write(inlineableOnly(header), out, options);
        return out.toByteArray();
    }

    /** The index never reads objects: the header it is given is all it knows. */
    private static final BulkDataResolver NOT_READABLE = ref -> {
        throw new IOException("The index does not read bulk data (" + ref.source() + ")");
    };

    /**
     * PS3.18 F.2.2 lets only some VRs carry a BulkDataURI; a value of another VR that the reader left in place
     * (never expected: those VRs are short) cannot be written without reading it, so it is dropped here.
     */
    private static Attributes inlineableOnly(Attributes ds) {
        Attributes.Builder b = null;
        for (int i = 0; i < ds.size(); i++) {
            Object value = ds.valueAt(i);
            boolean drop = value instanceof BulkDataRef && !ValueFormat.mayBeBulkData(ds.vrAt(i));
            Object replaced = value;
            if (value instanceof Sequence s) {
                List<Attributes> items = s.items().stream().map(IndexDocuments::inlineableOnly).toList();
                boolean same = true;
                for (int k = 0; k < items.size(); k++) {
                    same &= items.get(k) == s.items().get(k);
                }
                replaced = same ? value : new Sequence(items);
            }
            if (drop || replaced != value) {
                if (b == null) {
                    b = ds.toBuilder();
                }
                if (drop) {
                    b.remove(ds.tagAt(i));
                } else {
                    b.set(ds.tagAt(i), ds.vrAt(i), replaced);
                }
            }
        }
        return b == null ? ds : b.build();
    }
}
