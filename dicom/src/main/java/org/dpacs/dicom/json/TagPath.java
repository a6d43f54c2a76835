package org.dpacs.dicom.json;

import java.util.Arrays;
import org.dpacs.dicom.data.Tag;

/**
 * Where an attribute sits in a data set: the sequence tags and item indexes leading to it, then its own tag.
 * {@code tags} has one more entry than {@code items}: {@code tags[i]} is a sequence whose item {@code items[i]}
 * (0-based) holds {@code tags[i + 1]}. A top-level attribute has one tag and no items.
 *
 * <p>{@link #toString()} gives {@code 00081115/0/00081150}, the form used in bulk data URIs and error messages.
 */
public record TagPath(int[] tags, int[] items) {

    public TagPath {
        if (tags.length != items.length + 1) {
            throw new IllegalArgumentException("A path needs one tag more than items, got " + tags.length + " tags and "
                    + items.length + " items");
        }
        tags = tags.clone();
        items = items.clone();
    }

    /** A top-level attribute. */
    public static TagPath of(int tag) {
        return new TagPath(new int[]{tag}, new int[0]);
    }

    /** The attribute's own tag, the last one. */
    public int tag() {
        return tags[tags.length - 1];
    }

    /** Nesting depth: 0 for a top-level attribute. */
    public int depth() {
        return items.length;
    }

    /** The path of {@code tag} inside item {@code item} of the sequence this path names. */
    public TagPath child(int item, int tag) {
        int[] t = Arrays.copyOf(tags, tags.length + 1);
        int[] i = Arrays.copyOf(items, items.length + 1);
        t[tags.length] = tag;
        i[items.length] = item;
        return new TagPath(t, i);
    }

    // Records compare arrays by identity; paths are values.
    @Override
    public boolean equals(Object o) {
        return o instanceof TagPath p && Arrays.equals(tags, p.tags) && Arrays.equals(items, p.items);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tags) * 31 + Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Tag.toHex(tags[0]));
        for (int i = 0; i < items.length; i++) {
            sb.append('/').append(items[i]).append('/').append(Tag.toHex(tags[i + 1]));
        }
        return sb.toString();
    }
}
