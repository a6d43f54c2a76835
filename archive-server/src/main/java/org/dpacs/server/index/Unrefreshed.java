package org.dpacs.server.index;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The instances written to the index since the writer last refreshed its searcher, as written: the series and
 * study documents of the next batch are computed from the searcher plus these, so the writer need not reopen
 * its searcher after every batch (the NRT reopen was most of a batch's cost). An entry may already be visible
 * in the searcher too; the entry, being the latest version of its SOP Instance UID, wins. Only the writer
 * (under the index's write lock) touches it.
 */
final class Unrefreshed {
    private final Map<String, IndexedInstance> bySop = new HashMap<>();
    private final Map<String, Map<String, IndexedInstance>> byStudy = new HashMap<>();

    void put(IndexedInstance i) {
        String sop = i.record().sopInstanceUid();
        IndexedInstance old = bySop.put(sop, i);
        if (old != null) {
            Map<String, IndexedInstance> oldStudy = byStudy.get(old.record().studyInstanceUid());
            if (oldStudy != null) {
                oldStudy.remove(sop);
                if (oldStudy.isEmpty()) {
                    byStudy.remove(old.record().studyInstanceUid());
                }
            }
        }
        byStudy.computeIfAbsent(i.record().studyInstanceUid(), s -> new LinkedHashMap<>()).put(sop, i);
    }

    boolean contains(String sop) {
        return bySop.containsKey(sop);
    }

    Optional<IndexedInstance> get(String sop) {
        return Optional.ofNullable(bySop.get(sop));
    }

    /** The entries now in {@code study}. */
    Map<String, IndexedInstance> ofStudy(String study) {
        return byStudy.getOrDefault(study, Map.of());
    }

    int size() {
        return bySop.size();
    }

    void clear() {
        bySop.clear();
        byStudy.clear();
    }
}
