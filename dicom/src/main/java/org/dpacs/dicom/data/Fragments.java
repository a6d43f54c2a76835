package org.dpacs.dicom.data;

import java.util.List;

/**
 * Encapsulated pixel data: the Basic Offset Table item followed by the fragments (PS3.5 A.4). {@code source}
 * names where unloaded fragments can be read, as in {@link BulkDataRef}.
 */
public record Fragments(Vr vr, String source, List<Fragment> items) {
    public Fragments {
        items = List.copyOf(items);
    }

    /** The Basic Offset Table, the first item (possibly empty). */
    public Fragment offsetTable() {
        return items.get(0);
    }

    /** The data fragments, all items after the Basic Offset Table. */
    public List<Fragment> dataFragments() {
        return items.isEmpty() ? items : items.subList(1, items.size());
    }
}
