package org.dpacs.server.index;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.json.DicomJsonReader;
import org.dpacs.server.catalog.InstanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of stored instances: QIDO-RS searches and the per-instance DICOM JSON that WADO-RS metadata
 * serves. It is derived data: the catalog is the truth, {@link #checkpoint()} says how far the durable index got,
 * and the index can always be rebuilt ({@link #deleteAll()}, then {@link #add} from the catalog).
 *
 * <p>One document per study, per series and per instance ({@link IndexDocuments}); study and series documents
 * are recomputed from the instance documents whenever an instance of theirs is added, so counts, Modalities in
 * Study and SOP Classes in Study stay right when an instance is sent again, even into another series. Searches
 * read doc values and stored fields of the page they return only; no instance is opened.
 *
 * <p>Thread safety: {@link #add}, {@link #commit()} and {@link #deleteAll()} are serialised (one group-commit
 * thread calls them); searches and metadata reads run concurrently on near-real-time readers.
 */
public final class StudyIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StudyIndex.class);
    private static final String SEQ = "dpacs.seq";
    /** Results are fetched in pages of this many, so a large offset does not allocate a huge queue. */
    private static final int PAGE = 10_000;
    /** The writer refreshes its own searcher at the latest after this many unrefreshed instances (memory bound). */
    private static final int MAX_UNREFRESHED = 4_096;

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Object writeLock = new Object();
    /** Held while a batch's documents are written and while a reader refreshes: batches appear whole. */
    private final Object publishLock = new Object();
    /** Written since the writer's last refresh; only touched under {@link #writeLock}. */
    private final Unrefreshed unrefreshed = new Unrefreshed();
    /** Batches written, and the count a refreshed searcher is known to show: readers refresh when behind. */
    private volatile long written;
    private final AtomicLong visible = new AtomicLong();
    private long addedSeq;
    private volatile long committedSeq;
    private volatile boolean closed;

    private StudyIndex(Directory directory) throws IOException {
        this.directory = directory;
        IndexWriterConfig config = new IndexWriterConfig();
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setCommitOnClose(false); // close() commits itself, with the checkpoint
        this.writer = new IndexWriter(directory, config);
        long seq = 0;
        Iterable<Map.Entry<String, String>> userData = writer.getLiveCommitData(); // the last commit's
        if (userData != null) {
            for (Map.Entry<String, String> e : userData) {
                if (e.getKey().equals(SEQ)) {
                    seq = Long.parseLong(e.getValue());
                }
            }
        }
        this.addedSeq = seq;
        this.committedSeq = seq;
        this.searchers = new SearcherManager(writer, null);
    }

    /**
     * Opens (or creates) the index in {@code dir}. An index Lucene cannot read (corrupt, or written by another
     * version) is discarded, since it can be rebuilt: its checkpoint is then 0 and the caller refills it.
     */
    public static StudyIndex open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Directory d = FSDirectory.open(dir);
        try {
            return new StudyIndex(d);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
            LOG.warn("The index in {} cannot be read ({}); starting an empty one to be rebuilt from the catalog",
                    dir, e.getMessage());
            for (String file : d.listAll()) {
                d.deleteFile(file);
            }
            return new StudyIndex(d);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Adds or replaces (by SOP Instance UID) the instances and recomputes their series and studies; the result is
     * visible to {@link #search} when this returns (a reader's searcher is refreshed on demand). Within the batch the highest seq of a UID wins.
     */
    public void add(List<IndexedInstance> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            ensureOpen();
            Map<String, IndexedInstance> bySop = new LinkedHashMap<>();
            for (IndexedInstance i : batch) {
                bySop.merge(i.record().sopInstanceUid(), i,
                        (old, neu) -> neu.record().seq() >= old.record().seq() ? neu : old);
            }
            long batchSeq = batch.stream().mapToLong(i -> i.record().seq()).max().orElse(0);
            // Build every document before writing any, so a failure leaves the index as it was.
            List<Update> updates = new ArrayList<>();
            Map<String, Document> instanceDocs = instanceDocuments(bySop);
            // Not acquire(): the writer works on the searcher it has plus what it wrote since (unrefreshed).
            IndexSearcher searcher = searchers.acquire();
            try {
                Map<String, SeriesKey> previous = locate(searcher, bySop.keySet());
                Set<SeriesKey> series = new LinkedHashSet<>();
                Set<String> studies = new LinkedHashSet<>();
                for (IndexedInstance i : bySop.values()) {
                    InstanceRecord r = i.record();
                    SeriesKey key = new SeriesKey(r.studyInstanceUid(), r.seriesInstanceUid());
                    series.add(key);
                    studies.add(key.study());
                    SeriesKey before = previous.get(r.sopInstanceUid());
                    if (before != null && !before.equals(key)) {
                        // Sent again into another series: the one it left must be recomputed too.
                        series.add(before);
                        studies.add(before.study());
                    }
                    updates.add(new Update(IndexDocuments.instanceId(r.sopInstanceUid()),
                            instanceDocs.get(r.sopInstanceUid())));
                }
                for (SeriesKey key : series) {
                    updates.add(seriesUpdate(searcher, key, bySop));
                }
                for (String study : studies) {
                    updates.add(studyUpdate(searcher, study, bySop));
                }
            } finally {
                searchers.release(searcher);
            }
            // Readers refresh under the same lock, so none sees half a batch (instances without their series).
            synchronized (publishLock) {
                for (Update u : updates) {
                    Term id = new Term(IndexDocuments.ID, u.id());
                    if (u.doc() == null) {
                        writer.deleteDocuments(id);
                    } else {
                        writer.updateDocument(id, u.doc());
                    }
                }
                written++;
            }
            bySop.values().forEach(unrefreshed::put);
            if (unrefreshed.size() >= MAX_UNREFRESHED) {
                refreshWriterSearcher();
            }
            addedSeq = Math.max(addedSeq, batchSeq);
        }
    }

    /**
     * The instance documents of the batch. An instance whose document cannot be built is logged and left out
     * (its seq still counts as done), so one odd header cannot stop the index from catching up; it stays
     * retrievable through the catalog, and a re-send indexes it.
     */
    private static Map<String, Document> instanceDocuments(Map<String, IndexedInstance> bySop) {
        Map<String, Document> docs = new LinkedHashMap<>();
        for (var it = bySop.values().iterator(); it.hasNext(); ) {
            IndexedInstance i = it.next();
            try {
                docs.put(i.record().sopInstanceUid(), IndexDocuments.instance(i.record(), i.header()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Instance {} (seq {}) is not indexed: {}", i.record().sopInstanceUid(), i.record().seq(),
                        e.toString());
                it.remove();
            }
        }
        return docs;
    }

    /** A document to write under {@code id}, or a delete when {@code doc} is null. */
    private record Update(String id, Document doc) {
    }

    private record SeriesKey(String study, String series) {
    }

    /** Where the instances of these SOP UIDs are indexed now. */
    private Map<String, SeriesKey> locate(IndexSearcher searcher, Set<String> sops) throws IOException {
        List<BytesRef> ids = sops.stream().map(s -> new BytesRef(IndexDocuments.instanceId(s))).toList();
        Map<String, SeriesKey> out = new LinkedHashMap<>();
        Aggregates.forEach(searcher, new TermInSetQuery(IndexDocuments.ID, ids), row ->
                out.put(row.sop(), new SeriesKey(row.study(), row.series())));
        for (String sop : sops) {
            unrefreshed.get(sop).ifPresent(i -> out.put(sop, new SeriesKey(i.record().studyInstanceUid(),
                    i.record().seriesInstanceUid())));
        }
        return out;
    }

    /** Makes the writer's searcher show everything written; the overlay is then redundant. Under writeLock. */
    private void refreshWriterSearcher() throws IOException {
        synchronized (publishLock) {
            long w = written;
            searchers.maybeRefreshBlocking();
            visible.accumulateAndGet(w, Math::max);
        }
        unrefreshed.clear();
    }

    private Update seriesUpdate(IndexSearcher searcher, SeriesKey key, Map<String, IndexedInstance> batch)
            throws IOException {
        Aggregates agg = Aggregates.of(searcher, instancesOf(key.study(), Optional.of(key.series())), unrefreshed,
                batch, key.study(),
                r -> r.studyInstanceUid().equals(key.study()) && r.seriesInstanceUid().equals(key.series()));
        String id = IndexDocuments.seriesId(key.study(), key.series());
        if (agg.instances() == 0) {
            return new Update(id, null);
        }
        Attributes source = source(searcher, agg);
        Attributes blob = DatasetBlob.subset(source,
                        tag -> Levels.keptAt(QidoLevel.SERIES, tag) || tag == Levels.STUDY_INSTANCE_UID)
                .setString(Levels.NUMBER_OF_SERIES_RELATED_INSTANCES, Vr.IS, Integer.toString(agg.instances()))
                .build();
        return new Update(id, IndexDocuments.series(key.study(), key.series(), source, blob));
    }

    private Update studyUpdate(IndexSearcher searcher, String study, Map<String, IndexedInstance> batch)
            throws IOException {
        Aggregates agg = Aggregates.of(searcher, instancesOf(study, Optional.empty()), unrefreshed, batch, study,
                r -> r.studyInstanceUid().equals(study));
        String id = IndexDocuments.studyId(study);
        if (agg.instances() == 0) {
            return new Update(id, null);
        }
        Attributes source = source(searcher, agg);
        // PS3.4 Table C.3-1: the study's aggregates, computed from all its instances.
        Attributes blob = DatasetBlob.subset(source, tag -> Levels.keptAt(QidoLevel.STUDY, tag))
                .setString(Levels.MODALITIES_IN_STUDY, Vr.CS, agg.modalities().toArray(String[]::new))
                .setString(Levels.SOP_CLASSES_IN_STUDY, Vr.UI, agg.sopClasses().toArray(String[]::new))
                .setString(Levels.NUMBER_OF_STUDY_RELATED_SERIES, Vr.IS, Integer.toString(agg.series().size()))
                .setString(Levels.NUMBER_OF_STUDY_RELATED_INSTANCES, Vr.IS, Integer.toString(agg.instances()))
                .build();
        return new Update(id, IndexDocuments.study(study, source, blob));
    }

    /** The header of the newest instance: from the batch when it is there, else from its stored JSON. */
    private static Attributes source(IndexSearcher searcher, Aggregates agg) throws IOException {
        if (agg.newestInBatch() != null) {
            return agg.newestInBatch().header();
        }
        return parseJson(storedJson(searcher, agg.newestDoc()));
    }

    private static Query instancesOf(String study, Optional<String> series) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexDocuments.LEVEL, QidoLevel.INSTANCE.label())), Occur.FILTER)
                .add(new TermQuery(new Term(IndexDocuments.STUDY, study)), Occur.FILTER);
        series.ifPresent(s -> b.add(new TermQuery(new Term(IndexDocuments.SERIES, s)), Occur.FILTER));
        return b.build();
    }

    /** Highest {@link InstanceRecord#seq()} durably committed to the index; 0 when empty. */
    public long checkpoint() {
        return committedSeq;
    }

    /** Makes everything added durable (a Lucene commit) and records the highest seq added as the checkpoint. */
    public void commit() throws IOException {
        synchronized (writeLock) {
            ensureOpen();
            writer.setLiveCommitData(Map.of(SEQ, Long.toString(addedSeq)).entrySet());
            writer.commit();
            committedSeq = addedSeq;
            refreshWriterSearcher(); // once a second while ingest runs, instead of once a batch
        }
    }

    /** Runs a QIDO search; see {@link QidoQuery#parse} for the matching rules. */
    public QidoResult search(QidoQuery query) throws IOException {
        IndexSearcher searcher = acquire();
        try {
            Query q = QueryTranslator.toQuery(query, studyQuery -> studyUids(searcher, studyQuery));
            ScoreDoc[] hits = page(searcher, q, sort(query.level()), query.offset(), query.limit());
            boolean truncated = hits.length > query.limit();
            ScoreDoc[] shown = truncated ? Arrays.copyOf(hits, query.limit()) : hits;
            return new QidoResult(new ResultAssembler(query).assemble(searcher, shown), truncated);
        } finally {
            searchers.release(searcher);
        }
    }

    /** Up to {@code limit + 1} hits after skipping {@code offset}; one more than asked tells about truncation. */
    private static ScoreDoc[] page(IndexSearcher searcher, Query q, Sort sort, int offset, int limit)
            throws IOException {
        long wanted = (long) offset + limit + 1;
        List<ScoreDoc> out = new ArrayList<>();
        ScoreDoc after = null;
        long seen = 0;
        while (seen < wanted) {
            int n = (int) Math.min(PAGE, wanted - seen);
            TopDocs td = after == null ? searcher.search(q, n, sort) : searcher.searchAfter(after, q, n, sort);
            for (ScoreDoc d : td.scoreDocs) {
                if (seen++ >= offset) {
                    out.add(d);
                }
            }
            if (td.scoreDocs.length < n) {
                break;
            }
            after = td.scoreDocs[td.scoreDocs.length - 1];
        }
        return out.toArray(ScoreDoc[]::new);
    }

    private static Set<String> studyUids(IndexSearcher searcher, Query studyQuery) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Aggregates.forEach(searcher, studyQuery, row -> out.add(row.study()));
        return out;
    }

    /** PS3.18 10.6.3: studies newest first; series and instances by their numbers; UIDs break ties. */
    static Sort sort(QidoLevel level) {
        SortField when = new SortField(IndexDocuments.SORT_WHEN, SortField.Type.LONG, true);
        when.setMissingValue(Long.MIN_VALUE); // undated studies last
        SortField study = new SortField(IndexDocuments.DV_STUDY, SortField.Type.STRING);
        return switch (level) {
            case STUDY -> new Sort(when, study);
            case SERIES -> new Sort(concat(new SortField[]{when, study}, seriesOrder()));
            case INSTANCE -> new Sort(concat(new SortField[]{when, study}, seriesOrder(), instanceOrder()));
        };
    }

    private static SortField[] seriesOrder() {
        SortField number = new SortField(IndexDocuments.SORT_SERIES_NUMBER, SortField.Type.LONG);
        number.setMissingValue(Long.MAX_VALUE); // unnumbered last
        return new SortField[]{number, new SortField(IndexDocuments.DV_SERIES, SortField.Type.STRING)};
    }

    private static SortField[] instanceOrder() {
        SortField number = new SortField(IndexDocuments.SORT_INSTANCE_NUMBER, SortField.Type.LONG);
        number.setMissingValue(Long.MAX_VALUE);
        return new SortField[]{number, new SortField(IndexDocuments.DV_SOP, SortField.Type.STRING)};
    }

    private static SortField[] concat(SortField[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(SortField[]::new);
    }

    /**
     * The stored DICOM JSON object of each instance of the series, ordered by Instance Number then SOP Instance
     * UID; empty when the series is unknown.
     *
     * <p>BulkDataURIs in it are relative, so the stored JSON does not depend on the host the server is reached
     * under: {@code studies/{study}/series/{series}/instances/{sop}/bulk/{path}}, where {@code path} is the
     * attribute's {@link org.dpacs.dicom.json.TagPath} ({@code 7FE00010} for pixel data, {@code 00283010/0/00283006}
     * for a value in the first item of a sequence). WADO-RS resolves them against its base URL ({@code base + "/"
     * + uri}). Pixel data, values the reader left in the object and values above 1024 bytes are bulk data.
     */
    public List<byte[]> seriesMetadata(String studyUid, String seriesUid) throws IOException {
        return metadata(instancesOf(studyUid, Optional.of(seriesUid)), new Sort(instanceOrder()));
    }

    /** The stored DICOM JSON of each instance of the study, by series (number, UID) then instance; may be empty. */
    public List<byte[]> studyMetadata(String studyUid) throws IOException {
        return metadata(instancesOf(studyUid, Optional.empty()), new Sort(concat(seriesOrder(), instanceOrder())));
    }

    /** The stored DICOM JSON of one instance, when it is indexed under this study and series. */
    public Optional<byte[]> instanceMetadata(String studyUid, String seriesUid, String sopUid) throws IOException {
        Query q = new BooleanQuery.Builder().add(instancesOf(studyUid, Optional.of(seriesUid)), Occur.FILTER)
                .add(new TermQuery(new Term(IndexDocuments.ID, IndexDocuments.instanceId(sopUid))), Occur.FILTER)
                .build();
        List<byte[]> found = metadata(q, Sort.INDEXORDER);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<byte[]> metadata(Query q, Sort sort) throws IOException {
        IndexSearcher searcher = acquire();
        try {
            int n = searcher.count(q);
            if (n == 0) {
                return List.of();
            }
            ScoreDoc[] docs = searcher.search(q, n, sort).scoreDocs;
            List<byte[]> out = new ArrayList<>(docs.length);
            for (ScoreDoc d : docs) {
                out.add(storedJson(searcher, d.doc));
            }
            return out;
        } finally {
            searchers.release(searcher);
        }
    }

    private static byte[] storedJson(IndexSearcher searcher, int doc) throws IOException {
        BytesRef json = searcher.storedFields().document(doc, Set.of(IndexDocuments.JSON))
                .getBinaryValue(IndexDocuments.JSON);
        return Arrays.copyOfRange(json.bytes, json.offset, json.offset + json.length);
    }

    static Attributes parseJson(byte[] json) throws IOException {
        return DicomJsonReader.read(new ByteArrayInputStream(json), (path, vr, uri) -> new BulkDataRef(uri, 0, 0, false));
    }

    /** Removes everything, for a rebuild; the checkpoint becomes 0 with the next {@link #commit()}. */
    public void deleteAll() throws IOException {
        synchronized (writeLock) {
            ensureOpen();
            synchronized (publishLock) {
                writer.deleteAll();
                written++;
            }
            addedSeq = 0;
            refreshWriterSearcher();
        }
    }

    /**
     * A searcher for readers that shows every batch written before the call: acknowledged instances are found
     * at once. Refreshes only when a batch was written since the last refresh, so queries between ingests cost
     * nothing extra and queries during ingest pay the reopen the writer no longer pays per batch.
     */
    private IndexSearcher acquire() throws IOException {
        ensureOpen();
        if (visible.get() < written) {
            synchronized (publishLock) {
                long wanted = written;
                if (visible.get() < wanted) {
                    searchers.maybeRefreshBlocking();
                    visible.accumulateAndGet(wanted, Math::max);
                }
            }
        }
        return searchers.acquire();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The study index is closed");
        }
    }

    /** Commits (recording the checkpoint) and closes. */
    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            try {
                commit();
            } finally {
                closed = true;
                try {
                    searchers.close();
                } finally {
                    try {
                        writer.close();
                    } finally {
                        directory.close();
                    }
                }
            }
        }
    }
}
