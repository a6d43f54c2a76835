package org.dpacs.dicom.data;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dpacs.dicom.charset.SpecificCharacterSet;

/**
 * A data set: tag-sorted parallel arrays of tags, VRs and values, read-only once built and safe to share.
 *
 * <p>A value is one of: {@code byte[]} (the value bytes, always little endian, padding included),
 * {@link Sequence}, {@link Fragments} or {@link BulkDataRef}. Typed getters decode on demand, so an
 * attribute nobody reads costs one array slot. Build instances with {@link Builder}; the reader's
 * {@code AttributesCollector} does.
 *
 * <pre>{@code
 * Attributes ds = DicomReader.readFile(path, ReadOptions.DEFAULT).dataset();
 * String name = ds.string(Tag.PatientName).orElse("");
 * }</pre>
 */
public final class Attributes {
    public static final Attributes EMPTY = new Builder().build();

    private final int[] tags;
    private final Vr[] vrs;
    private final Object[] values;
    private final SpecificCharacterSet charset;

    private Attributes(int[] tags, Vr[] vrs, Object[] values, SpecificCharacterSet charset) {
        this.tags = tags;
        this.vrs = vrs;
        this.values = values;
        this.charset = charset;
    }

    public int size() {
        return tags.length;
    }

    public boolean isEmpty() {
        return tags.length == 0;
    }

    /** The index of {@code tag}, or a negative value ({@code -(insertion point) - 1}) when absent. */
    public int indexOf(int tag) {
        return binarySearch(tags, tags.length, tag);
    }

    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    public int tagAt(int index) {
        return tags[index];
    }

    public Vr vrAt(int index) {
        return vrs[index];
    }

    /**
     * The value at {@code index}: {@code byte[]} (shared, must not be modified), {@link Sequence},
     * {@link Fragments} or {@link BulkDataRef}.
     */
    public Object valueAt(int index) {
        return values[index];
    }

    public Optional<Vr> vr(int tag) {
        int i = indexOf(tag);
        return i < 0 ? Optional.empty() : Optional.of(vrs[i]);
    }

    /** The character set that decodes this data set's text, inherited from the enclosing data set when absent. */
    public SpecificCharacterSet charset() {
        return charset;
    }

    /** The value bytes (a copy) of a value held in memory; empty for absent, sequence, fragments or bulk data. */
    public Optional<byte[]> bytes(int tag) {
        int i = indexOf(tag);
        return i >= 0 && values[i] instanceof byte[] b ? Optional.of(b.clone()) : Optional.empty();
    }

    public Optional<Sequence> sequence(int tag) {
        int i = indexOf(tag);
        return i >= 0 && values[i] instanceof Sequence s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Fragments> fragments(int tag) {
        int i = indexOf(tag);
        return i >= 0 && values[i] instanceof Fragments f ? Optional.of(f) : Optional.empty();
    }

    public Optional<BulkDataRef> bulkData(int tag) {
        int i = indexOf(tag);
        return i >= 0 && values[i] instanceof BulkDataRef r ? Optional.of(r) : Optional.empty();
    }

    /** All values of a text attribute, decoded and trimmed as its VR says; empty for absent or non-text. */
    public List<String> strings(int tag) {
        int i = indexOf(tag);
        return i < 0 ? List.of() : stringsAt(i);
    }

    public List<String> stringsAt(int index) {
        if (!(values[index] instanceof byte[] b) || b.length == 0) {
            return List.of();
        }
        Vr vr = vrs[index];
        if (vr == Vr.AT) {
            return Arrays.stream(BinaryValues.ints(b, vr)).mapToObj(Tag::toHex).toList();
        }
        if (!vr.isText()) {
            return List.of();
        }
        return TextValues.split(decode(b, vr), vr);
    }

    /** The first value of a text attribute, decoded and trimmed; empty when absent or zero length. */
    public Optional<String> string(int tag) {
        List<String> all = strings(tag);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    public String string(int tag, String orElse) {
        return string(tag).orElse(orElse);
    }

    /** The whole text value (all values with their backslashes), trailing padding removed. */
    public Optional<String> text(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b) || !vrs[i].isText()) {
            return Optional.empty();
        }
        return Optional.of(TextValues.trimEnd(decode(b, vrs[i])));
    }

    private String decode(byte[] b, Vr vr) {
        if (vr.isCharsetDependent()) {
            return charset.decode(b, 0, b.length, vr);
        }
        // Non-charset VRs are restricted to the default repertoire; Latin-1 keeps stray high bytes visible.
        return new String(b, 0, b.length, StandardCharsets.ISO_8859_1);
    }

    /** Integer values of US, SS, UL, SL, UV, SV, AT, IS (as int; see {@link #longs} for 64-bit VRs). */
    public int[] ints(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b)) {
            return new int[0];
        }
        Vr vr = vrs[i];
        if (vr == Vr.IS || vr == Vr.DS) {
            return stringsAt(i).stream().mapToInt(s -> (int) TextValues.parseDecimal(s, tag)).toArray();
        }
        return BinaryValues.ints(b, vr);
    }

    public OptionalInt integer(int tag) {
        int[] all = ints(tag);
        return all.length == 0 ? OptionalInt.empty() : OptionalInt.of(all[0]);
    }

    public int integer(int tag, int orElse) {
        return integer(tag).orElse(orElse);
    }

    public long[] longs(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b)) {
            return new long[0];
        }
        if (vrs[i] == Vr.IS) {
            return stringsAt(i).stream().mapToLong(s -> (long) TextValues.parseDecimal(s, tag)).toArray();
        }
        return BinaryValues.longs(b, vrs[i]);
    }

    public OptionalLong longValue(int tag) {
        long[] all = longs(tag);
        return all.length == 0 ? OptionalLong.empty() : OptionalLong.of(all[0]);
    }

    /** Floating point values of FL, FD, OF, OD, DS, IS and the integer VRs. */
    public double[] doubles(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b)) {
            return new double[0];
        }
        Vr vr = vrs[i];
        if (vr == Vr.DS || vr == Vr.IS) {
            return stringsAt(i).stream().mapToDouble(s -> TextValues.parseDecimal(s, tag)).toArray();
        }
        return BinaryValues.doubles(b, vr);
    }

    public OptionalDouble doubleValue(int tag) {
        double[] all = doubles(tag);
        return all.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(all[0]);
    }

    public Optional<LocalDate> date(int tag) {
        return string(tag).flatMap(DateTimeValues::parseDate);
    }

    public Optional<LocalTime> time(int tag) {
        return string(tag).flatMap(DateTimeValues::parseTime);
    }

    public Optional<LocalDateTime> dateTime(int tag) {
        return string(tag).flatMap(DateTimeValues::parseDateTime);
    }

    public Optional<PersonName> personName(int tag) {
        return string(tag).map(PersonName::parse);
    }

    public Builder toBuilder() {
        Builder b = new Builder(charset);
        b.tags = tags.clone();
        b.vrs = vrs.clone();
        b.values = values.clone();
        b.size = tags.length;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attributes other) || !Arrays.equals(tags, other.tags) || !Arrays.equals(vrs, other.vrs)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            Object a = values[i];
            Object b = other.values[i];
            if (a instanceof byte[] x ? !(b instanceof byte[] y && Arrays.equals(x, y)) : !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tags);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tags.length; i++) {
            sb.append(Tag.toString(tags[i])).append(' ').append(vrs[i]).append(' ');
            Object v = values[i];
            if (v instanceof byte[] b) {
                sb.append(vrs[i].isText() || vrs[i] == Vr.AT ? String.join("\\", stringsAt(i)) : "<" + b.length + " bytes>");
            } else if (v instanceof Sequence s) {
                sb.append("<").append(s.size()).append(" items>");
            } else {
                sb.append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static int binarySearch(int[] tags, int size, int tag) {
        // Tags compare as unsigned so (FFFE,E000) and (FFFC,FFFC) sort after (7FE0,0010).
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = Integer.compareUnsigned(tags[mid], tag);
            if (cmp < 0) {
                lo = mid + 1;
            } else if (cmp > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /**
     * Collects attributes in any order (appending in tag order is the fast path the reader takes) and freezes
     * them with {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private int[] tags;
        private Vr[] vrs;
        private Object[] values;
        private int size;
        private final SpecificCharacterSet inherited;
        private SpecificCharacterSet own;
        private boolean sorted = true;

        public Builder() {
            this(SpecificCharacterSet.DEFAULT);
        }

        /** A builder for a sequence item, whose text decodes with {@code inherited} unless it has its own (0008,0005). */
        public Builder(SpecificCharacterSet inherited) {
            this.inherited = inherited;
            this.tags = new int[16];
            this.vrs = new Vr[16];
            this.values = new Object[16];
        }

        public int size() {
            sort();
            return size;
        }

        public SpecificCharacterSet charset() {
            return own != null ? own : inherited;
        }

        /** Adds or replaces a value: {@code byte[]} (little endian), Sequence, Fragments or BulkDataRef. */
        public Builder set(int tag, Vr vr, Object value) {
            if (!(value instanceof byte[] || value instanceof Sequence || value instanceof Fragments
                    || value instanceof BulkDataRef)) {
                throw new IllegalArgumentException("Unsupported value type for " + Tag.toString(tag) + ": " + value);
            }
            if (sorted && size > 0 && Integer.compareUnsigned(tags[size - 1], tag) >= 0) {
                int index = binarySearch(tags, size, tag);
                if (index >= 0) {
                    vrs[index] = vr;
                    values[index] = value;
                    afterSet(tag, vr, value);
                    return this;
                }
                // Out of order: append now and sort once in build(), so hostile input stays O(n log n).
                sorted = false;
            }
            if (size == tags.length) {
                int capacity = Math.max(16, size * 2); // toBuilder() of an empty set starts at capacity 0
                tags = Arrays.copyOf(tags, capacity);
                vrs = Arrays.copyOf(vrs, capacity);
                values = Arrays.copyOf(values, capacity);
            }
            tags[size] = tag;
            vrs[size] = vr;
            values[size] = value;
            size++;
            afterSet(tag, vr, value);
            return this;
        }

        /** Sorts by tag (unsigned), keeping the last of equal tags, as replacement semantics require. */
        private void sort() {
            if (sorted) {
                return;
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            // Stable, so among equal tags the later one stays later and wins below.
            Arrays.sort(order, (a, b) -> Integer.compareUnsigned(tags[a], tags[b]));
            int[] t = new int[tags.length];
            Vr[] v = new Vr[tags.length];
            Object[] o = new Object[tags.length];
            int n = 0;
            for (int k = 0; k < size; k++) {
                int i = order[k];
                if (n > 0 && t[n - 1] == tags[i]) {
                    n--;
                }
                t[n] = tags[i];
                v[n] = vrs[i];
                o[n] = values[i];
                n++;
            }
            tags = t;
            vrs = v;
            values = o;
            size = n;
            sorted = true;
        }

        private void afterSet(int tag, Vr vr, Object value) {
            if (tag == Tag.SpecificCharacterSet && value instanceof byte[] b) {
                own = SpecificCharacterSet.of(TextValues.split(new String(b, StandardCharsets.ISO_8859_1), Vr.CS));
            }
        }

        /** Sets a text value, encoded with this data set's character set and padded to even length. */
        public Builder setString(int tag, Vr vr, String... values) {
            String joined = String.join("\\", values);
            byte[] bytes = vr.isCharsetDependent() ? charset().encode(joined, vr)
                    : joined.getBytes(StandardCharsets.ISO_8859_1);
            return set(tag, vr, TextValues.pad(bytes, vr));
        }

        public Builder setInts(int tag, Vr vr, int... values) {
            return set(tag, vr, BinaryValues.encodeInts(values, vr));
        }

        public Builder remove(int tag) {
            sort();
            int index = binarySearch(tags, size, tag);
            if (index >= 0) {
                System.arraycopy(tags, index + 1, tags, index, size - index - 1);
                System.arraycopy(vrs, index + 1, vrs, index, size - index - 1);
                System.arraycopy(values, index + 1, values, index, size - index - 1);
                size--;
                values[size] = null;
                if (tag == Tag.SpecificCharacterSet) {
                    own = null;
                }
            }
            return this;
        }

        public boolean contains(int tag) {
            sort();
            return binarySearch(tags, size, tag) >= 0;
        }

        public Attributes build() {
            sort();
            return new Attributes(Arrays.copyOf(tags, size), Arrays.copyOf(vrs, size), Arrays.copyOf(values, size),
                    charset());
        }
    }
}
