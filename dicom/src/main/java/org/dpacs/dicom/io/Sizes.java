package org.dpacs.dicom.io;

import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;

/** Encoded sizes, for writing sequences and items with defined lengths. */
final class Sizes {
    private Sizes() {
    }

    /**
     * PS3.5 6.2.2: a value too long for a 16-bit length field cannot keep its VR in explicit VR; it is
     * written as UN, which has a 32-bit length.
     */
    static Vr headerVr(Vr vr, long length, boolean explicit) {
        return explicit && !vr.isLongHeader() && length + (length & 1) > 0xFFFF ? Vr.UN : vr;
    }

    static long dataset(Attributes ds, boolean explicit, boolean undefined) {
        long total = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (!Tag.isGroupLength(ds.tagAt(i))) { // the writer drops them (retired, PS3.5 7.2)
                total += element(ds.vrAt(i), ds.valueAt(i), explicit, undefined);
            }
        }
        return total;
    }

    static long sequenceContent(Sequence s, boolean explicit, boolean undefined) {
        long total = 0;
        for (Attributes item : s.items()) {
            total += 8 + dataset(item, explicit, undefined) + (undefined ? 8 : 0);
        }
        return total + (undefined ? 8 : 0);
    }

    private static long element(Vr vr, Object value, boolean explicit, boolean undefined) {
        return switch (value) {
            case byte[] b -> header(headerVr(vr, b.length, explicit), explicit) + even(b.length);
            case BulkDataRef r -> header(headerVr(vr, r.length(), explicit), explicit) + even(r.length());
            case Sequence s -> header(Vr.SQ, explicit) + sequenceContent(s, explicit, undefined);
            case Fragments f -> {
                long total = header(Vr.OB, explicit) + 8;
                for (Fragment fragment : f.items()) {
                    total += 8 + even(fragment.length());
                }
                yield total;
            }
            default -> throw new IllegalStateException("Unexpected value " + value);
        };
    }

    private static int header(Vr vr, boolean explicit) {
        return explicit && vr.isLongHeader() ? 12 : 8;
    }

    private static long even(long length) {
        return length + (length & 1);
    }
}
