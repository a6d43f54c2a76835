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

    /** Equal when VR and items are: the source name is where the bytes came from, not what they are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Fragments f && vr == f.vr && items.equals(f.items);
    }

    @Override
    public int hashCode() {
        return vr.hashCode() * 31 + items.hashCode();
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
