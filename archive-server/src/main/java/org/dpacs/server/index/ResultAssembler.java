package org.dpacs.server.index;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import org.dpacs.dicom.charset.SpecificCharacterSet;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.dict.ElementDictionary;
import org.dpacs.dicom.json.BulkDataUriResolver;
import org.dpacs.dicom.json.DicomJsonReader;

/**
 * Builds the result data sets of a page of hits from stored fields only: the blob of each study or series
 * document, the JSON of each instance document. Each attribute is answered by the entity it belongs to, so an
 * instance result takes its study attributes from the study document (as a study search would show them),
 * loaded once per page.
 *
 * <p>Which attributes: the level's defaults (PS3.18 Tables 10.6.3-3/-4/-5), the match keys and includefield
 * attributes; for /series also the study defaults and for /instances the study and series defaults (PS3.18
 * 10.6.3.3.2 and 10.6.3.3.3; study-scoped instances get the series defaults). Required ("R") return keys an
 * entity has no value for, and requested keys, are returned with zero length (PS3.4 C.2.2.1.2).
 */
final class ResultAssembler {
    /** Instance JSON keeps its BulkDataURIs as references; QIDO responses leave them out. */
    private static final BulkDataUriResolver KEEP_URI = (path, vr, uri) -> new BulkDataRef(uri, 0, 0, false);
    private static final String UTF_8 = "ISO_IR 192";

    private final QidoQuery query;
    private final Map<QidoLevel, Set<Integer>> requested = new EnumMap<>(QidoLevel.class);
    private final Map<QidoLevel, Set<Integer>> zeroLength = new EnumMap<>(QidoLevel.class);

    ResultAssembler(QidoQuery query) {
        this.query = query;
        QidoLevel own = query.level();
        Set<Integer> explicit = new LinkedHashSet<>(query.includeFields());
        query.keys().forEach(k -> explicit.add(k.tag()));
        for (QidoLevel level : QidoLevel.values()) {
            if (level.isBelow(own)) {
                continue;
            }
            Set<Integer> tags = new LinkedHashSet<>();
            Set<Integer> zero = new LinkedHashSet<>();
            boolean defaults = level == own || !scoped(level);
            if (defaults) {
                tags.addAll(Levels.defaults(level));
                zero.addAll(Levels.required(level));
            }
            for (int tag : explicit) {
                if (route(tag) == level) {
                    tags.add(tag);
                    zero.add(tag);
                }
            }
            requested.put(level, tags);
            zeroLength.put(level, zero);
        }
    }

    /** The level whose document answers {@code tag} in this query. */
    private QidoLevel route(int tag) {
        if (tag == Levels.MODALITY && query.level() == QidoLevel.STUDY) {
            return QidoLevel.STUDY;
        }
        if (Levels.EVERY_LEVEL.contains(tag)) {
            return query.level();
        }
        return Levels.levelOf(tag);
    }

    private boolean scoped(QidoLevel level) {
        return switch (level) {
            case STUDY -> query.studyUid().isPresent();
            case SERIES -> query.seriesUid().isPresent();
            case INSTANCE -> false;
        };
    }

    List<Attributes> assemble(IndexSearcher searcher, ScoreDoc[] hits) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        StoredFields stored = searcher.storedFields();
        QidoLevel own = query.level();
        boolean needStudy = own != QidoLevel.STUDY && !requested.get(QidoLevel.STUDY).isEmpty();
        boolean needSeries = own == QidoLevel.INSTANCE && !requested.get(QidoLevel.SERIES).isEmpty();
        List<String[]> uids = new ArrayList<>(hits.length);
        for (ScoreDoc hit : hits) {
            uids.add(uids(leaves, hit.doc, own != QidoLevel.STUDY));
        }
        Map<String, Attributes> studies = needStudy ? blobs(searcher, uids.stream().map(u -> u[0]).toList(),
                IndexDocuments::studyId) : Map.of();
        Map<String, Attributes> series = needSeries ? blobs(searcher, uids.stream().map(u -> u[0] + "/" + u[1]).toList(),
                key -> "se:" + key) : Map.of();
        List<Attributes> out = new ArrayList<>(hits.length);
        for (int i = 0; i < hits.length; i++) {
            List<Attributes> parts = new ArrayList<>(3);
            if (own == QidoLevel.INSTANCE) {
                BytesRef json = stored.document(hits[i].doc, Set.of(IndexDocuments.JSON))
                        .getBinaryValue(IndexDocuments.JSON);
                parts.add(part(QidoLevel.INSTANCE, DicomJsonReader.read(
                        new ByteArrayInputStream(json.bytes, json.offset, json.length), KEEP_URI)));
            } else {
                parts.add(part(own, DatasetBlob.decode(bytes(stored.document(hits[i].doc,
                        Set.of(IndexDocuments.BLOB)).getBinaryValue(IndexDocuments.BLOB)))));
            }
            if (needSeries) {
                Attributes s = series.get(uids.get(i)[0] + "/" + uids.get(i)[1]);
                if (s != null) {
                    parts.add(part(QidoLevel.SERIES, s));
                }
            }
            if (needStudy) {
                Attributes s = studies.get(uids.get(i)[0]);
                if (s != null) {
                    parts.add(part(QidoLevel.STUDY, s));
                }
            }
            out.add(merge(parts));
        }
        return out;
    }

    private static String[] uids(List<LeafReaderContext> leaves, int doc, boolean withSeries) throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        int local = doc - leaf.docBase;
        String study = value(DocValues.getSorted(leaf.reader(), IndexDocuments.DV_STUDY), local);
        String series = withSeries ? value(DocValues.getSorted(leaf.reader(), IndexDocuments.DV_SERIES), local) : "";
        return new String[]{study, series};
    }

    static String value(SortedDocValues dv, int doc) throws IOException {
        return dv.advanceExact(doc) ? dv.lookupOrd(dv.ordValue()).utf8ToString() : "";
    }

    /** The stored blobs of the study or series documents with these keys, loaded with one query. */
    private static Map<String, Attributes> blobs(IndexSearcher searcher, List<String> keys,
                                                 java.util.function.Function<String, String> idOf) throws IOException {
        Set<String> distinct = new LinkedHashSet<>(keys);
        if (distinct.isEmpty()) {
            return Map.of(); // an offset past the last match: Lucene refuses a search for 0 hits
        }
        List<BytesRef> ids = distinct.stream().map(k -> new BytesRef(idOf.apply(k))).toList();
        ScoreDoc[] docs = searcher.search(new TermInSetQuery(IndexDocuments.ID, ids), distinct.size()).scoreDocs;
        Map<String, Attributes> out = new HashMap<>();
        StoredFields stored = searcher.storedFields();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (ScoreDoc d : docs) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(d.doc, leaves));
            String study = value(DocValues.getSorted(leaf.reader(), IndexDocuments.DV_STUDY), d.doc - leaf.docBase);
            String series = value(DocValues.getSorted(leaf.reader(), IndexDocuments.DV_SERIES), d.doc - leaf.docBase);
            Attributes blob = DatasetBlob.decode(bytes(stored.document(d.doc, Set.of(IndexDocuments.BLOB))
                    .getBinaryValue(IndexDocuments.BLOB)));
            out.put(series.isEmpty() ? study : study + "/" + series, blob);
        }
        return out;
    }

    /** A stored value's own bytes: a BytesRef may be a window into a larger shared array. */
    private static byte[] bytes(BytesRef ref) {
        return ref.offset == 0 && ref.length == ref.bytes.length ? ref.bytes
                : java.util.Arrays.copyOfRange(ref.bytes, ref.offset, ref.offset + ref.length);
    }

    /** The requested attributes of one document, in its own character set. */
    private Attributes part(QidoLevel level, Attributes source) {
        boolean all = query.includeAll() && level == query.level();
        Set<Integer> tags = requested.get(level);
        Attributes.Builder b = new Attributes.Builder();
        source.bytes(Tag.SpecificCharacterSet).ifPresent(cs -> b.set(Tag.SpecificCharacterSet, Vr.CS, cs));
        for (int i = 0; i < source.size(); i++) {
            int tag = source.tagAt(i);
            if (tag != Tag.SpecificCharacterSet && (all || tags.contains(tag))) {
                b.set(tag, source.vrAt(i), source.valueAt(i));
            }
        }
        if (level == QidoLevel.STUDY && tags.contains(Levels.MODALITY)) {
            // Modality at study level is the list of the study's modalities (see QidoQuery.parse).
            source.bytes(Levels.MODALITIES_IN_STUDY).ifPresent(v -> b.set(Levels.MODALITY, Vr.CS, v));
        }
        if (tags.contains(Levels.INSTANCE_AVAILABILITY)) {
            b.setString(Levels.INSTANCE_AVAILABILITY, Vr.CS, "ONLINE"); // everything indexed is on line
        }
        for (int tag : zeroLength.get(level)) {
            if (!b.contains(tag) && tag != Levels.RETRIEVE_URL && !Tag.isPrivate(tag)) {
                Vr vr = ElementDictionary.vrOf(tag);
                b.set(tag, vr, vr == Vr.SQ ? Sequence.EMPTY : new byte[0]);
            }
        }
        return b.build();
    }

    /**
     * Merges parts, later ones winning. Parts in different character sets (a study whose instances disagree) are
     * re-encoded to UTF-8, since one data set has one Specific Character Set.
     */
    static Attributes merge(List<Attributes> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        String charset = charsetOf(parts.get(0));
        boolean same = parts.stream().allMatch(p -> Objects.equals(charsetOf(p), charset));
        Attributes.Builder b = new Attributes.Builder();
        if (same) {
            for (Attributes p : parts) {
                copy(p, b);
            }
            return b.build();
        }
        b.setString(Tag.SpecificCharacterSet, Vr.CS, UTF_8);
        for (Attributes p : parts) {
            transcode(p, b);
        }
        return b.build();
    }

    private static String charsetOf(Attributes ds) {
        return ds.text(Tag.SpecificCharacterSet).orElse("");
    }

    private static void copy(Attributes from, Attributes.Builder to) {
        for (int i = 0; i < from.size(); i++) {
            to.set(from.tagAt(i), from.vrAt(i), from.valueAt(i));
        }
    }

    private static void transcode(Attributes from, Attributes.Builder to) {
        for (int i = 0; i < from.size(); i++) {
            int tag = from.tagAt(i);
            Vr vr = from.vrAt(i);
            Object value = from.valueAt(i);
            if (tag == Tag.SpecificCharacterSet) {
                continue;
            }
            if (value instanceof byte[] && vr.isCharsetDependent()) {
                to.setString(tag, vr, from.text(tag).orElse(""));
            } else if (value instanceof Sequence s) {
                List<Attributes> items = new ArrayList<>(s.size());
                for (Attributes item : s.items()) {
                    Attributes.Builder ib = new Attributes.Builder(SpecificCharacterSet.of(List.of(UTF_8)));
                    transcode(item, ib);
                    items.add(ib.build());
                }
                to.set(tag, vr, new Sequence(items));
            } else {
                to.set(tag, vr, value);
            }
        }
    }
}
