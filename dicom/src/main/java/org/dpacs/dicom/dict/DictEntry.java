package org.dpacs.dicom.dict;

import java.util.List;
import java.util.Objects;

import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;

/**
 * One row of the data dictionary (PS3.6) or of the private dictionary.
 *
 * @param tag      the tag, with the wildcard nibbles of a repeating entry set to 0 (e.g. {@code 0x60003000})
 * @param mask     1-bits where a tag must equal {@code tag}: {@code 0xFFFFFFFF} for a plain entry,
 *                 {@code 0xFF00FFFF} for (60xx,3000), {@code 0xFFFF00FF} for a private (0029,xx10)
 * @param vrs      the allowed VRs in PS3.6 order; several for entries such as Pixel Data ("OB or OW"),
 *                 none for Item and the delimitation items
 * @param vm       value multiplicity as PS3.6 writes it, e.g. {@code "1"}, {@code "1-n"}, {@code "2-2n"}
 * @param keyword  the PS3.6 keyword; empty for private entries and for a few retired PS3.6 rows
 * @param name     the PS3.6 or vendor name
 * @param retired  whether PS3.6 (or the vendor table) marks the entry retired
 */
public record DictEntry(int tag, int mask, List<Vr> vrs, String vm, String keyword, String name, boolean retired) {

    public DictEntry {
        vrs = List.copyOf(vrs);
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(name, "name");
        if ((tag & ~mask) != 0) {
            throw new IllegalArgumentException("Tag " + Tag.toHex(tag) + " has bits outside mask " + Tag.toHex(mask));
        }
    }

    /** The first listed VR, which is also what an implicit VR parser must assume; UN when the entry has none. */
    public Vr vr() {
        return vrs.isEmpty() ? Vr.UN : vrs.get(0);
    }

    /** True when PS3.6 allows several VRs and the right one depends on other attributes (PS3.5 Annex A.1 c). */
    public boolean isAmbiguous() {
        return vrs.size() > 1;
    }

    /** True for entries such as (60xx,3000) that stand for a range of tags. */
    public boolean isRepeating() {
        return mask != 0xFFFFFFFF;
    }

    public boolean matches(int tag) {
        return (tag & mask) == this.tag;
    }

    /** The pattern as PS3.6 and pydicom write it: {@code 60xx3000}, {@code 0029xx10}, {@code 00100010}. */
    public String pattern() {
        char[] hex = Tag.toHex(tag).toCharArray();
        for (int i = 0; i < 8; i++) {
            if (((mask >>> ((7 - i) * 4)) & 0xF) == 0) {
                hex[i] = 'x';
            }
        }
        return new String(hex);
    }
}
