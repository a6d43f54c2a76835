package org.dpacs.dicom.dict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;

/**
 * The PS3.6 data dictionary (including the command group and the repeating groups such as 60xx) and the vendor
 * private dictionary, loaded once on first use from {@code elements.tsv} and {@code private.tsv}.
 *
 * <p>Lookups follow pydicom, from whose tables the resources are generated: exact tags win over repeating-group
 * masks, masks never apply to private groups, and private tags are looked up per creator, first by the exact tag,
 * then as (gggg,xxEE) and finally as (ggxx,xxEE).
 */
public final class ElementDictionary {
    private ElementDictionary() {
    }

    /** The entry for a standard tag; empty for private tags and for group lengths other than (0000,0000) and (0002,0000). */
    public static Optional<DictEntry> lookup(int tag) {
        return Optional.ofNullable(Public.INSTANCE.lookupOrNull(tag));
    }

    /**
     * The VR an implicit VR parser should assume: the dictionary VR (the first of ambiguous ones), UL for group
     * lengths, LO for private creators, UN otherwise. Allocation-free.
     */
    public static Vr vrOf(int tag) {
        return Public.INSTANCE.vrOf(tag);
    }

    /**
     * Like {@link #vrOf(int)} but private data elements are first looked up in the private dictionary of
     * {@code privateCreator} (the value of the creator element reserving the tag's block; may be null).
     */
    public static Vr vrOf(int tag, String privateCreator) {
        if (privateCreator != null && Tag.isPrivate(tag) && Tag.element(tag) > 0xFF) {
            DictEntry entry = Private.INSTANCE.lookupOrNull(privateCreator, tag);
            if (entry != null) {
                return entry.vr();
            }
        }
        return vrOf(tag);
    }

    /** The PS3.6 keyword of a standard tag, e.g. {@code PatientName}; empty when unknown or PS3.6 gives none. */
    public static Optional<String> keywordOf(int tag) {
        DictEntry entry = Public.INSTANCE.lookupOrNull(tag);
        return entry == null || entry.keyword().isEmpty() ? Optional.empty() : Optional.of(entry.keyword());
    }

    /**
     * The tag of a PS3.6 keyword (case-sensitive). A repeating entry yields the lowest tag of its range that
     * {@link #lookup} resolves back to it, e.g. {@code OverlayData} gives (6000,3000).
     */
    public static OptionalInt tagOf(String keyword) {
        Integer tag = Public.INSTANCE.byKeyword.get(keyword);
        return tag == null ? OptionalInt.empty() : OptionalInt.of(tag);
    }

    /**
     * The private dictionary entry for {@code tag} in the block of {@code creator}. The creator is compared after
     * trimming leading and trailing spaces and NULs, which PS3.5 6.2 makes insignificant for LO values.
     */
    public static Optional<DictEntry> lookupPrivate(String creator, int tag) {
        return creator == null ? Optional.empty() : Optional.ofNullable(Private.INSTANCE.lookupOrNull(creator, tag));
    }

    /** Every PS3.6 entry: the exact tags in ascending unsigned order, then the repeating ones. */
    public static List<DictEntry> entries() {
        return Public.INSTANCE.all;
    }

    /** Loads the standard dictionary on first use only; the JVM's class initialisation makes this thread-safe. */
    private static final class Public {
        static final Public INSTANCE = new Public(readTsv("elements.tsv", 6));

        // Parallel arrays sorted by signed int so that Arrays.binarySearch works on the raw tag.
        final int[] tags;
        final Vr[] vrs;
        final DictEntry[] entries;
        // Repeating entries grouped by mask, most specific mask first, each group sorted by masked value.
        final int[] masks;
        final int[][] maskedTags;
        final DictEntry[][] maskedEntries;
        final Map<String, Integer> byKeyword = new HashMap<>();
        final List<DictEntry> all;

        Public(List<String[]> rows) {
            List<DictEntry> exact = new ArrayList<>();
            TreeMap<Integer, List<DictEntry>> byMask =
                    new TreeMap<>(Comparator.comparingInt(Integer::bitCount).reversed().thenComparing(Integer::compareUnsigned));
            for (String[] row : rows) {
                DictEntry entry = entry(row[0], row[1], row[2], row[3], row[5], row[4]);
                if (entry.isRepeating()) {
                    byMask.computeIfAbsent(entry.mask(), m -> new ArrayList<>()).add(entry);
                } else {
                    exact.add(entry);
                }
            }
            exact.sort(Comparator.comparingInt(DictEntry::tag));
            tags = exact.stream().mapToInt(DictEntry::tag).toArray();
            vrs = exact.stream().map(DictEntry::vr).toArray(Vr[]::new);
            entries = exact.toArray(DictEntry[]::new);

            masks = byMask.keySet().stream().mapToInt(Integer::intValue).toArray();
            maskedTags = new int[masks.length][];
            maskedEntries = new DictEntry[masks.length][];
            List<DictEntry> repeating = new ArrayList<>();
            int m = 0;
            for (List<DictEntry> group : byMask.values()) {
                group.sort(Comparator.comparingInt(DictEntry::tag));
                maskedTags[m] = group.stream().mapToInt(DictEntry::tag).toArray();
                maskedEntries[m] = group.toArray(DictEntry[]::new);
                repeating.addAll(group);
                m++;
            }

            for (DictEntry entry : exact) {
                putKeyword(entry.keyword(), entry.tag());
            }
            for (DictEntry entry : repeating) {
                putKeyword(entry.keyword(), representative(entry));
            }

            List<DictEntry> ordered = new ArrayList<>(exact);
            ordered.sort((a, b) -> Integer.compareUnsigned(a.tag(), b.tag()));
            repeating.sort((a, b) -> Integer.compareUnsigned(a.tag(), b.tag()));
            ordered.addAll(repeating);
            all = List.copyOf(ordered);
        }

        private void putKeyword(String keyword, int tag) {
            // A handful of retired PS3.6 rows have no keyword; they must not claim the empty string.
            if (!keyword.isEmpty() && byKeyword.putIfAbsent(keyword, tag) != null) {
                throw new IllegalStateException("elements.tsv: keyword " + keyword + " appears twice");
            }
        }

        /**
         * The lowest tag in the entry's range that resolves back to it: the range's base can be a group length
         * (1000,xxx0 covers 1000,0000) or an exact entry of its own (002804x0 covers TransformLabel 0028,0400).
         */
        private int representative(DictEntry entry) {
            long last = Integer.toUnsignedLong(entry.tag() | ~entry.mask());
            for (long t = Integer.toUnsignedLong(entry.tag()); t <= last; t++) {
                if (entry.matches((int) t) && lookupOrNull((int) t) == entry) {
                    return (int) t;
                }
            }
            throw new IllegalStateException("elements.tsv: " + entry.pattern() + " is shadowed by other entries");
        }

        int indexOf(int tag) {
            return Arrays.binarySearch(tags, tag);
        }

        DictEntry maskedOrNull(int tag) {
            // PS3.5 7.2 reserves element 0000 for the group length, and repeating groups are never private.
            if (Tag.element(tag) == 0 || Tag.isPrivate(tag)) {
                return null;
            }
            for (int m = 0; m < masks.length; m++) {
                int i = Arrays.binarySearch(maskedTags[m], tag & masks[m]);
                if (i >= 0) {
                    return maskedEntries[m][i];
                }
            }
            return null;
        }

        DictEntry lookupOrNull(int tag) {
            int i = indexOf(tag);
            return i >= 0 ? entries[i] : maskedOrNull(tag);
        }

        Vr vrOf(int tag) {
            int i = indexOf(tag);
            if (i >= 0) {
                return vrs[i];
            }
            if (Tag.isGroupLength(tag)) {
                return Vr.UL;
            }
            if (Tag.isPrivateCreator(tag)) {
                return Vr.LO;
            }
            DictEntry entry = maskedOrNull(tag);
            return entry == null ? Vr.UN : entry.vr();
        }
    }

    /** Loaded separately because only data sets with private elements need it. */
    private static final class Private {
        static final Private INSTANCE = new Private(readTsv("private.tsv", 6));

        private static final int BLOCK_MASK = 0xFFFF00FF;
        private static final int GROUP_BLOCK_MASK = 0xFF0000FF;

        /** Sorted keys and parallel entries per key shape, so a lookup is three binary searches. */
        record Table(int[] exactTags, DictEntry[] exact, int[] blockTags, DictEntry[] block,
                     int[] groupBlockTags, DictEntry[] groupBlock) {

            static Table of(List<DictEntry> entries) {
                List<DictEntry> exact = new ArrayList<>();
                List<DictEntry> block = new ArrayList<>();
                List<DictEntry> groupBlock = new ArrayList<>();
                for (DictEntry entry : entries) {
                    switch (entry.mask()) {
                        case 0xFFFFFFFF -> exact.add(entry);
                        case BLOCK_MASK -> block.add(entry);
                        case GROUP_BLOCK_MASK -> groupBlock.add(entry);
                        // pydicom's lookup never builds a key ending in "xx", so GDCM's (gggg,10xx) "Private
                        // Element Creator" rows are unreachable there; matching them would give LO to every
                        // element of a GE block that the table does not list.
                        default -> { }
                    }
                }
                return new Table(tagsOf(exact), sorted(exact), tagsOf(block), sorted(block),
                        tagsOf(groupBlock), sorted(groupBlock));
            }

            private static DictEntry[] sorted(List<DictEntry> entries) {
                return entries.stream().sorted(Comparator.comparingInt(DictEntry::tag)).toArray(DictEntry[]::new);
            }

            private static int[] tagsOf(List<DictEntry> entries) {
                return entries.stream().mapToInt(DictEntry::tag).sorted().toArray();
            }

            DictEntry lookupOrNull(int tag) {
                int i = Arrays.binarySearch(exactTags, tag);
                if (i >= 0) {
                    return exact[i];
                }
                i = Arrays.binarySearch(blockTags, tag & BLOCK_MASK);
                if (i >= 0) {
                    return block[i];
                }
                i = Arrays.binarySearch(groupBlockTags, tag & GROUP_BLOCK_MASK);
                return i >= 0 ? groupBlock[i] : null;
            }
        }

        final Map<String, Table> byCreator = new HashMap<>();

        Private(List<String[]> rows) {
            Map<String, List<DictEntry>> entries = new HashMap<>();
            for (String[] row : rows) {
                entries.computeIfAbsent(row[0], c -> new ArrayList<>()).add(entry(row[1], row[2], row[3], "", row[4], row[5]));
            }
            entries.forEach((creator, list) -> byCreator.put(creator, Table.of(list)));
        }

        DictEntry lookupOrNull(String creator, int tag) {
            // trim() returns the same instance when there is nothing to trim, so the usual case allocates nothing.
            Table table = byCreator.get(creator.trim());
            return table == null ? null : table.lookupOrNull(tag);
        }
    }

    private static DictEntry entry(String pattern, String vrs, String vm, String keyword, String name, String retired) {
        if (pattern.length() != 8) {
            throw new IllegalStateException("Bad tag pattern '" + pattern + "'");
        }
        int tag = 0;
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            char c = pattern.charAt(i);
            tag <<= 4;
            mask <<= 4;
            if (c != 'x') {
                int nibble = Character.digit(c, 16);
                if (nibble < 0) {
                    throw new IllegalStateException("Bad tag pattern '" + pattern + "'");
                }
                tag |= nibble;
                mask |= 0xF;
            }
        }
        return new DictEntry(tag, mask, parseVrs(vrs), vm, keyword, name, "Y".equals(retired));
    }

    /** pydicom writes "OB or OW" for PS3.6 entries and "OB_OW" in the GDCM-derived private table. */
    private static List<Vr> parseVrs(String text) {
        if (text.equals("NONE")) {
            return List.of();
        }
        List<Vr> vrs = new ArrayList<>(2);
        for (String code : text.split(" or |_")) {
            vrs.add(Vr.valueOf(code));
        }
        return vrs;
    }

    /** Reads a generated resource of this package, skipping '#' comment lines and checking the column count. */
    static List<String[]> readTsv(String resource, int columns) {
        try (InputStream in = ElementDictionary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource org/dpacs/dicom/dict/" + resource
                        + "; regenerate it with /usr/bin/python3 dicom/tools/gen-dictionary.py");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<String[]> rows = new ArrayList<>();
            int lineNo = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] row = line.split("\t", -1);
                if (row.length != columns) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": expected " + columns
                            + " tab-separated columns, found " + row.length);
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read org/dpacs/dicom/dict/" + resource, e);
        }
    }
}
