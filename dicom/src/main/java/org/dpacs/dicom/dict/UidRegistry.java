package org.dpacs.dicom.dict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The UIDs registered in PS3.6 Annex A, loaded once on first use from {@code uids.tsv}. */
public final class UidRegistry {
    private UidRegistry() {
    }

    public static Optional<UidEntry> lookup(String uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(Holder.BY_UID.get(uid));
    }

    /** The registered name, e.g. {@code Explicit VR Little Endian}; the UID itself when unknown or unnamed. */
    public static String nameOf(String uid) {
        UidEntry entry = Holder.BY_UID.get(Objects.requireNonNull(uid, "uid"));
        return entry == null || entry.name().isEmpty() ? uid : entry.name();
    }

    /** The UID of a PS3.6 keyword (case-sensitive), e.g. {@code ExplicitVRLittleEndian}. */
    public static Optional<String> uidOf(String keyword) {
        return keyword == null ? Optional.empty() : Optional.ofNullable(Holder.UID_BY_KEYWORD.get(keyword));
    }

    /** All UIDs of one PS3.6 type, such as {@code "Transfer Syntax"}, in numeric UID order; empty when none. */
    public static List<UidEntry> ofType(String type) {
        return type == null ? List.of() : Holder.BY_TYPE.getOrDefault(type, List.of());
    }

    /** Every registered UID in numeric UID order. */
    public static List<UidEntry> entries() {
        return Holder.ALL;
    }

    private static final class Holder {
        static final List<UidEntry> ALL;
        static final Map<String, UidEntry> BY_UID = new HashMap<>();
        static final Map<String, String> UID_BY_KEYWORD = new HashMap<>();
        static final Map<String, List<UidEntry>> BY_TYPE;

        static {
            List<UidEntry> all = new ArrayList<>();
            Map<String, List<UidEntry>> byType = new LinkedHashMap<>();
            for (String[] row : ElementDictionary.readTsv("uids.tsv", 5)) {
                UidEntry entry = new UidEntry(row[0], row[1], row[2], row[3], "Y".equals(row[4]));
                if (BY_UID.put(entry.uid(), entry) != null) {
                    throw new IllegalStateException("uids.tsv: UID " + entry.uid() + " appears twice");
                }
                // Two retired rows have no keyword; they must not claim the empty string.
                if (!entry.keyword().isEmpty() && UID_BY_KEYWORD.put(entry.keyword(), entry.uid()) != null) {
                    throw new IllegalStateException("uids.tsv: keyword " + entry.keyword() + " appears twice");
                }
                all.add(entry);
                byType.computeIfAbsent(entry.type(), t -> new ArrayList<>()).add(entry);
            }
            ALL = List.copyOf(all);
            Map<String, List<UidEntry>> frozen = new HashMap<>();
            byType.forEach((type, list) -> frozen.put(type, List.copyOf(list)));
            BY_TYPE = Map.copyOf(frozen);
        }
    }
}
