package org.dpacs.dicom.data;

import java.util.List;

/** The items of a sequence of items (PS3.5 7.5); immutable. */
public record Sequence(List<Attributes> items) {
    public static final Sequence EMPTY = new Sequence(List.of());

    public Sequence {
        items = List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public Attributes item(int index) {
        return items.get(index);
    }
}
