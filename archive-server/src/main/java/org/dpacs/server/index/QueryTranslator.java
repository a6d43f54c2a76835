package org.dpacs.server.index;

import static org.dpacs.server.index.IndexDocuments.COMBINED;
import static org.dpacs.server.index.IndexDocuments.FUZZY;
import static org.dpacs.server.index.IndexDocuments.HAS;
import static org.dpacs.server.index.IndexDocuments.KEYWORD;
import static org.dpacs.server.index.IndexDocuments.LEVEL;
import static org.dpacs.server.index.IndexDocuments.RANGE;
import static org.dpacs.server.index.IndexDocuments.SERIES;
import static org.dpacs.server.index.IndexDocuments.STUDY;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;

/** Turns a {@link QidoQuery} into a Lucene query over the documents {@link IndexDocuments} describes. */
final class QueryTranslator {
    private static final long END_OF_DAY = 235_959_999L;

    /** Finds the study UIDs a study-level query matches, for keys only study documents can answer. */
    @FunctionalInterface
    interface StudyJoin {
        Set<String> studies(Query studyQuery) throws IOException;
    }

    private QueryTranslator() {
    }

    static Query toQuery(QidoQuery q, StudyJoin join) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(term(LEVEL, q.level().label()), Occur.FILTER);
        q.studyUid().ifPresent(uid -> b.add(term(STUDY, uid), Occur.FILTER));
        q.seriesUid().ifPresent(uid -> b.add(term(SERIES, uid), Occur.FILTER));
        Set<MatchKey> done = new HashSet<>();
        for (MatchKey date : q.keys()) {
            combined(q, date).ifPresent(query -> {
                b.add(query, Occur.FILTER);
                done.add(date);
                done.add(pairOf(q, date).orElseThrow());
            });
        }
        List<Query> joined = new ArrayList<>();
        for (MatchKey key : q.keys()) {
            if (done.contains(key) || key.condition() instanceof MatchKey.Universal) {
                continue;
            }
            String name = fieldName(q.level(), key);
            Query query = keyQuery(key, name, q.fuzzyMatching(), q.emptyValueMatching());
            if (q.level() != QidoLevel.STUDY && Levels.COMPUTED.contains(key.tag())) {
                // Modalities and SOP Classes in Study exist on study documents only: match there, join by UID.
                joined.add(query);
            } else {
                b.add(query, Occur.FILTER);
            }
        }
        if (!joined.isEmpty()) {
            BooleanQuery.Builder studies = new BooleanQuery.Builder();
            studies.add(term(LEVEL, QidoLevel.STUDY.label()), Occur.FILTER);
            joined.forEach(j -> studies.add(j, Occur.FILTER));
            Set<String> uids = join.studies(studies.build());
            b.add(uids.isEmpty() ? new MatchNoDocsQuery("no study matches")
                    : new TermInSetQuery(STUDY, uids.stream().map(BytesRef::new).toList()), Occur.FILTER);
        }
        return b.build();
    }

    /** At study level Modality is answered by Modalities in Study (see {@link QidoQuery#parse}). */
    static String fieldName(QidoLevel level, MatchKey key) {
        if (level == QidoLevel.STUDY && key.path().size() == 1 && key.tag() == Levels.MODALITY) {
            return Tag.toHex(Levels.MODALITIES_IN_STUDY);
        }
        return key.name();
    }

    private static Query keyQuery(MatchKey key, String name, boolean fuzzy, boolean emptyMatches) {
        Query match = switch (key.condition()) {
            case MatchKey.Universal u -> new MatchAllDocsQuery();
            case MatchKey.Empty e -> absent(name);
            case MatchKey.Values v -> values(key.vr(), name, v.values(), fuzzy);
            case MatchKey.Range r -> LongPoint.newRangeQuery(RANGE + name, r.low(), r.high());
        };
        if (!emptyMatches || key.condition() instanceof MatchKey.Empty) {
            return match;
        }
        // PS3.18 8.3.4.5: entities without a value for the key match it as well.
        return new BooleanQuery.Builder().add(match, Occur.SHOULD).add(absent(name), Occur.SHOULD).build();
    }

    private static Query absent(String name) {
        return new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(term(HAS, name), Occur.MUST_NOT).build();
    }

    private static Query values(Vr vr, String name, List<String> values, boolean fuzzy) {
        String field = KEYWORD + name;
        if (vr == Vr.UI || values.stream().noneMatch(QueryTranslator::isWildcard) && vr != Vr.PN) {
            return values.size() == 1 ? term(field, values.get(0))
                    : new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String v : values) {
            Query q;
            if (vr == Vr.PN && fuzzy) {
                q = fuzzyPersonName(name, v);
            } else if (vr == Vr.PN) {
                String norm = MatchValues.personName(v);
                q = isWildcard(v) ? new WildcardQuery(new Term(field, norm)) : term(field, norm);
            } else {
                q = isWildcard(v) ? new WildcardQuery(new Term(field, v)) : term(field, v);
            }
            any.add(q, Occur.SHOULD);
        }
        return any.build();
    }

    /** Every word of the query is a prefix of some name component word (see {@link QidoQuery#parse}). */
    private static Query fuzzyPersonName(String name, String value) {
        List<String> words = MatchValues.fuzzyQueryWords(value);
        if (words.isEmpty()) {
            return new MatchAllDocsQuery();
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (String w : words) {
            Term t = new Term(FUZZY + name, isWildcard(w) ? (w.endsWith("*") ? w : w + "*") : w);
            all.add(isWildcard(w) ? new WildcardQuery(t) : new PrefixQuery(t), Occur.FILTER);
        }
        return all.build();
    }

    private static boolean isWildcard(String v) {
        return v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
    }

    /**
     * PS3.4 C.2.2.2.5.1: a DA key and its TM key, both ranges, match as one date-time range: StudyDate
     * 20060705-20060707 with StudyTime 1000-1800 is 5 July 10:00 to 7 July 18:00, not 10:00-18:00 on each day.
     */
    private static Optional<Query> combined(QidoQuery q, MatchKey date) {
        if (date.vr() != Vr.DA || date.path().size() != 1 || !(date.condition() instanceof MatchKey.Range d)) {
            return Optional.empty();
        }
        Optional<MatchKey> time = pairOf(q, date);
        if (time.isEmpty() || !(time.get().condition() instanceof MatchKey.Range t)) {
            return Optional.empty();
        }
        long low = d.openLow() ? Long.MIN_VALUE : MatchValues.combine(d.low(), t.openLow() ? 0 : t.low());
        long high = d.openHigh() ? Long.MAX_VALUE : MatchValues.combine(d.high(), t.openHigh() ? END_OF_DAY : t.high());
        if (low > high) {
            return Optional.of(new MatchNoDocsQuery("empty date-time range"));
        }
        Query range = LongPoint.newRangeQuery(COMBINED + Tag.toHex(date.tag()), low, high);
        if (q.emptyValueMatching()) {
            range = new BooleanQuery.Builder().add(range, Occur.SHOULD).add(absent(date.name()), Occur.SHOULD).build();
        }
        return Optional.of(range);
    }

    private static Optional<MatchKey> pairOf(QidoQuery q, MatchKey date) {
        Integer timeTag = IndexDocuments.DATE_TIME_PAIRS.get(date.tag());
        if (timeTag == null) {
            return Optional.empty();
        }
        return q.keys().stream().filter(k -> k.path().size() == 1 && k.tag() == timeTag).findFirst();
    }

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }
}
