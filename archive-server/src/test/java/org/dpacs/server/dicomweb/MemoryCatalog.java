package org.dpacs.server.dicomweb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.catalog.QuarantineRecord;

/** A Catalog in memory, ordered as the interface says. */
final class MemoryCatalog implements Catalog {
    private final List<InstanceRecord> records = new ArrayList<>();
    private final java.util.Map<String, QuarantineRecord> holds = new java.util.LinkedHashMap<>();
    private long seq;

    @Override
    public synchronized void hold(QuarantineRecord record) {
        holds.put(record.sopInstanceUid(), record);
    }

    @Override
    public synchronized List<QuarantineRecord> held() {
        return List.copyOf(holds.values());
    }

    @Override
    public synchronized Optional<QuarantineRecord> held(String sopInstanceUid) {
        return Optional.ofNullable(holds.get(sopInstanceUid));
    }

    @Override
    public synchronized boolean unhold(String sopInstanceUid) {
        return holds.remove(sopInstanceUid) != null;
    }

    @Override
    public synchronized Optional<InstanceRecord> instance(String sopInstanceUid) {
        return records.stream().filter(r -> r.sopInstanceUid().equals(sopInstanceUid)).findFirst();
    }

    @Override
    public synchronized List<InstanceRecord> commit(List<InstanceRecord> batch) {
        List<InstanceRecord> out = new ArrayList<>();
        for (InstanceRecord r : batch) {
            records.removeIf(old -> old.sopInstanceUid().equals(r.sopInstanceUid()));
            InstanceRecord committed = r.withSeq(++seq);
            records.add(committed);
            out.add(committed);
        }
        return out;
    }

    @Override
    public synchronized List<InstanceRecord> study(String studyInstanceUid) {
        return records.stream().filter(r -> r.studyInstanceUid().equals(studyInstanceUid))
                .sorted(Comparator.comparing(InstanceRecord::seriesInstanceUid).thenComparingLong(InstanceRecord::seq))
                .toList();
    }

    @Override
    public synchronized List<InstanceRecord> series(String studyInstanceUid, String seriesInstanceUid) {
        return study(studyInstanceUid).stream().filter(r -> r.seriesInstanceUid().equals(seriesInstanceUid)).toList();
    }

    @Override
    public synchronized List<InstanceRecord> since(long afterSeq, int limit) {
        return records.stream().filter(r -> r.seq() > afterSeq).sorted(Comparator.comparingLong(InstanceRecord::seq))
                .limit(limit).toList();
    }

    @Override
    public synchronized long maxSeq() {
        return seq;
    }

    @Override
    public synchronized long count() {
        return records.size();
    }

    @Override
    public void close() {
    }
}
