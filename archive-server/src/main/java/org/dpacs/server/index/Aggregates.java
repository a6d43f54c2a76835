package org.dpacs.server.index;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.dpacs.server.catalog.InstanceRecord;

/**
 * What a series or study document summarises of its instances: how many, in how many series, with which
 * modalities and SOP classes, and which one is the newest (highest seq). Computed from the instance documents
 * the searcher sees, minus those written since ({@link Unrefreshed}) or in the batch, plus those: so a re-sent
 * instance is counted once, and one moved to another series leaves its old one.
 */
final class Aggregates {
    /** One matching document's doc values; absent values are empty strings and seq -1. */
    record Row(int doc, String sop, String study, String series, String modality, String sopClass, long seq) {
    }

    @FunctionalInterface
    interface RowConsumer {
        void accept(Row row) throws IOException;
    }

    private int instances;
    private final Set<String> series = new HashSet<>();
    private final Set<String> modalities = new TreeSet<>();
    private final Set<String> sopClasses = new TreeSet<>();
    private long newestSeq = Long.MIN_VALUE;
    private int newestDoc = -1;
    private IndexedInstance newestInBatch;

    private Aggregates() {
    }

    /**
     * {@code recent}: instances written after the searcher was opened (their latest versions, some of them
     * perhaps visible in the searcher too); {@code batch}: the instances being written now. A later source wins
     * over an earlier one for the same SOP Instance UID.
     */
    static Aggregates of(IndexSearcher searcher, Query scope, Unrefreshed recent, Map<String, IndexedInstance> batch,
                         String study, Predicate<InstanceRecord> inScope) throws IOException {
        Aggregates a = new Aggregates();
        forEach(searcher, scope, row -> {
            if (!batch.containsKey(row.sop()) && !recent.contains(row.sop())) {
                a.count(row.series(), row.modality(), row.sopClass());
                if (row.seq() > a.newestSeq) {
                    a.newestSeq = row.seq();
                    a.newestDoc = row.doc();
                }
            }
        });
        for (IndexedInstance i : recent.ofStudy(study).values()) {
            if (!batch.containsKey(i.record().sopInstanceUid())) {
                a.countWritten(i, inScope);
            }
        }
        for (IndexedInstance i : batch.values()) {
            a.countWritten(i, inScope);
        }
        return a;
    }

    private void countWritten(IndexedInstance i, Predicate<InstanceRecord> inScope) {
        InstanceRecord r = i.record();
        if (inScope.test(r)) {
            count(r.seriesInstanceUid(), i.header().string(Levels.MODALITY, ""), r.sopClassUid());
            if (r.seq() >= newestSeq) {
                newestSeq = r.seq();
                newestInBatch = i;
                newestDoc = -1;
            }
        }
    }

    private void count(String seriesUid, String modality, String sopClass) {
        instances++;
        series.add(seriesUid);
        if (!modality.isEmpty()) {
            modalities.add(modality);
        }
        if (!sopClass.isEmpty()) {
            sopClasses.add(sopClass);
        }
    }

    int instances() {
        return instances;
    }

    Set<String> series() {
        return series;
    }

    /** Sorted, so the stored value does not depend on arrival order. */
    Set<String> modalities() {
        return modalities;
    }

    Set<String> sopClasses() {
        return sopClasses;
    }

    /** The newest instance when it was written since the searcher opened, else null and {@link #newestDoc()} names it. */
    IndexedInstance newestInBatch() {
        return newestInBatch;
    }

    int newestDoc() {
        return newestDoc;
    }

    /** Visits every live document matching {@code query}, in index order, with its doc values. */
    static void forEach(IndexSearcher searcher, Query query, RowConsumer consumer) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            SortedDocValues sop = DocValues.getSorted(leaf.reader(), IndexDocuments.DV_SOP);
            SortedDocValues study = DocValues.getSorted(leaf.reader(), IndexDocuments.DV_STUDY);
            SortedDocValues series = DocValues.getSorted(leaf.reader(), IndexDocuments.DV_SERIES);
            SortedDocValues modality = DocValues.getSorted(leaf.reader(), IndexDocuments.DV_MODALITY);
            SortedDocValues sopClass = DocValues.getSorted(leaf.reader(), IndexDocuments.DV_SOP_CLASS);
            NumericDocValues seq = DocValues.getNumeric(leaf.reader(), IndexDocuments.DV_SEQ);
            DocIdSetIterator it = scorer.iterator();
            for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
                if (live != null && !live.get(d)) {
                    continue;
                }
                consumer.accept(new Row(leaf.docBase + d, ResultAssembler.value(sop, d),
                        ResultAssembler.value(study, d), ResultAssembler.value(series, d),
                        ResultAssembler.value(modality, d), ResultAssembler.value(sopClass, d),
                        seq.advanceExact(d) ? seq.longValue() : -1));
            }
        }
    }
}
