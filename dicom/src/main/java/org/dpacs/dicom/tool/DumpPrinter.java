package org.dpacs.dicom.tool;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.dict.DictEntry;
import org.dpacs.dicom.dict.ElementDictionary;
import org.dpacs.dicom.dict.UidEntry;
import org.dpacs.dicom.dict.UidRegistry;

/**
 * Prints a data set in dcmdump's line format: {@code (gggg,eeee) VR value}, padded to column 55, then
 * {@code # length, VM Name}. Sequences and items are indented two spaces per level and closed by delimitation
 * lines, as dcmdump does.
 *
 * <p>Where the data model cannot know what dcmdump shows, the printer says less rather than guess: sequences and
 * items read {@code (Sequence #=n)} and {@code (Item #=n)} because the reader does not keep whether their length
 * was defined, and their length is the one they have when encoded with defined lengths (dcmdump's figure for
 * files that use them). UIDs are named by their PS3.6 keyword, which differs from dcmtk's names for a few
 * (e.g. transfer syntaxes). Control characters in text are escaped so that every element stays on one line.
 */
final class DumpPrinter {
    /** dcmdump pads "tag VR value" to this width before the '#' column. */
    private static final int VALUE_WIDTH = 55;
    /** dcmdump stops adding binary values once the text reaches this length, then prints "...". */
    private static final int BINARY_LIMIT = 64;
    /** dcmdump cuts a bracketed text longer than this to its first 67 characters and "...". */
    private static final int TEXT_LIMIT = 70;
    private static final int ITEM_HEADER = 8;

    private final PrintWriter out;
    private final boolean explicitVr;

    /** {@code explicitVr} decides header sizes in computed sequence lengths (PS3.5 7.1.2 vs 7.1.3). */
    DumpPrinter(PrintWriter out, boolean explicitVr) {
        this.out = out;
        this.explicitVr = explicitVr;
    }

    void dataset(Attributes ds, int depth) {
        for (int i = 0; i < ds.size(); i++) {
            element(ds, i, depth);
        }
    }

    private void element(Attributes ds, int i, int depth) {
        int tag = ds.tagAt(i);
        Vr vr = ds.vrAt(i);
        String name = name(ds, tag);
        switch (ds.valueAt(i)) {
            case Sequence s -> {
                line(depth, tag, "SQ", "(Sequence #=" + s.size() + ")", length(sequenceLength(s)), 1, name);
                for (Attributes item : s.items()) {
                    line(depth + 1, Tag.Item, "na", "(Item #=" + item.size() + ")", length(datasetLength(item)), 1, "Item");
                    dataset(item, depth + 2);
                    line(depth + 1, Tag.ItemDelimitationItem, "na", "(ItemDelimitationItem)", length(0), 0,
                            "ItemDelimitationItem");
                }
                sequenceEnd(depth);
            }
            case Fragments f -> {
                line(depth, tag, vr.name(), "(PixelSequence #=" + f.items().size() + ")", "u/l", 1, name);
                for (Fragment fragment : f.items()) {
                    String value = fragment.length() == 0 ? "(no value available)"
                            : fragment.isLoaded() ? binary(fragment.bytesOrNull(), Vr.OB) : "(not loaded)";
                    line(depth + 1, Tag.Item, "pi", value, length(fragment.length()), 1, "Item");
                }
                sequenceEnd(depth);
            }
            case BulkDataRef ref -> line(depth, tag, vr.name(), ref.length() == 0 ? "(no value available)" : "(not loaded)",
                    length(ref.length()), valueCount(vr, ref.length(), null), name);
            case byte[] b -> valueLine(ds, depth, tag, vr, b, name);
            default -> throw new IllegalStateException("Unexpected value in " + Tag.toString(tag));
        }
    }

    private void valueLine(Attributes ds, int depth, int tag, Vr vr, byte[] b, String name) {
        if (b.length == 0) {
            line(depth, tag, vr.name(), "(no value available)", length(0), valueCount(vr, 0, null), name);
            return;
        }
        String text = vr.isText() ? ds.text(tag).orElse("") : null;
        line(depth, tag, vr.name(), value(ds, tag, vr, b), length(b.length), valueCount(vr, b.length, text), name);
    }

    private void sequenceEnd(int depth) {
        line(depth, Tag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", length(0), 0,
                "SequenceDelimitationItem");
    }

    private void line(int depth, int tag, String vr, String value, String length, int vm, String name) {
        StringBuilder sb = new StringBuilder(120);
        sb.repeat(' ', 2 * depth);
        int start = sb.length();
        sb.append(tagText(tag)).append(' ').append(vr).append(' ').append(value);
        while (sb.length() - start < VALUE_WIDTH) {
            sb.append(' ');
        }
        sb.append(" # ").append(length).append(',').append(String.format(Locale.ROOT, "%2d", vm)).append(' ').append(name);
        out.println(sb);
    }

    private static String length(long length) {
        return String.format(Locale.ROOT, "%3d", length);
    }

    static String tagText(int tag) {
        return String.format(Locale.ROOT, "(%04x,%04x)", Tag.group(tag), Tag.element(tag));
    }

    /** dcmdump's VM: values of a text or numeric VR, 1 for the O* VRs and UN, 0 when empty (UN: 1). */
    private static int valueCount(Vr vr, long length, String textOrNull) {
        if (length == 0) {
            return vr == Vr.UN ? 1 : 0;
        }
        if (vr.isText()) {
            return textOrNull == null || !vr.isMultiValuedText() ? 1 : (int) textOrNull.chars().filter(c -> c == '\\').count() + 1;
        }
        return switch (vr) {
            case OB, OD, OF, OL, OV, OW, UN -> 1;
            default -> (int) (length / vr.unitSize());
        };
    }

    private static String value(Attributes ds, int tag, Vr vr, byte[] b) {
        if (vr == Vr.UI) {
            String uid = ds.text(tag).orElse("");
            return UidRegistry.lookup(uid).map(UidEntry::keyword).filter(k -> !k.isEmpty())
                    .map(k -> "=" + k).orElseGet(() -> bracket(uid));
        }
        if (vr.isText()) {
            return bracket(escape(ds.text(tag).orElse("")));
        }
        return binary(b, vr);
    }

    private static String bracket(String text) {
        String full = "[" + text + "]";
        return full.length() <= TEXT_LIMIT ? full : full.substring(0, TEXT_LIMIT - 3) + "...";
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Values separated by backslashes, as many as fit dcmdump's limit, then "..." when some are left out. */
    static String binary(byte[] b, Vr vr) {
        int unit = vr == Vr.AT ? 4 : Math.max(1, vr.unitSize());
        int count = b.length / unit;
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (; k < count && sb.length() < BINARY_LIMIT; k++) {
            if (k > 0) {
                sb.append('\\');
            }
            sb.append(binaryValue(buf, k * unit, vr));
        }
        return k < count ? sb.append("...").toString() : sb.toString();
    }

    private static String binaryValue(ByteBuffer b, int at, Vr vr) {
        return switch (vr) {
            case OW -> String.format(Locale.ROOT, "%04x", b.getShort(at) & 0xFFFF);
            case OL -> String.format(Locale.ROOT, "%08x", b.getInt(at));
            case OV -> String.format(Locale.ROOT, "%016x", b.getLong(at));
            case US -> Integer.toString(b.getShort(at) & 0xFFFF);
            case SS -> Short.toString(b.getShort(at));
            case UL -> Integer.toUnsignedString(b.getInt(at));
            case SL -> Integer.toString(b.getInt(at));
            case UV -> Long.toUnsignedString(b.getLong(at));
            case SV -> Long.toString(b.getLong(at));
            case FL, OF -> general(b.getFloat(at), 9);
            case FD, OD -> general(b.getDouble(at), 17);
            // PS3.5 6.2: AT is the group number, then the element number.
            case AT -> tagText(((b.getShort(at) & 0xFFFF) << 16) | (b.getShort(at + 2) & 0xFFFF));
            default -> String.format(Locale.ROOT, "%02x", b.get(at) & 0xFF);
        };
    }

    /**
     * C's {@code %.Ng}, which dcmdump uses for floats: N significant digits of the exact binary value (hence
     * BigDecimal; Java's %g starts from the shortest decimal form), trailing zeros dropped.
     */
    static String general(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= digits) {
            String mantissa = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
            return mantissa + (exponent < 0 ? "e-" : "e+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** The PS3.6 keyword, the private dictionary's name for the block's creator, or dcmdump's fallbacks. */
    private static String name(Attributes ds, int tag) {
        if (Tag.isPrivate(tag)) {
            if (Tag.isPrivateCreator(tag)) {
                return "PrivateCreator";
            }
            String creator = ds.string(Tag.privateCreatorOf(tag)).orElse(null);
            return ElementDictionary.lookupPrivate(creator, tag).map(DictEntry::name).map(DumpPrinter::camelCase)
                    .filter(n -> !n.isEmpty()).orElse("Unknown Tag & Data");
        }
        if (Tag.isGroupLength(tag) && ElementDictionary.keywordOf(tag).isEmpty()) {
            return "GenericGroupLength";
        }
        return ElementDictionary.keywordOf(tag).orElse("Unknown Tag & Data");
    }

    private static String camelCase(String name) {
        StringBuilder sb = new StringBuilder();
        for (String word : name.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                sb.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
        }
        return sb.toString();
    }

    // Lengths as the data set would be encoded with defined lengths (PS3.5 7.1.2, 7.5.1).

    private long sequenceLength(Sequence s) {
        long total = 0;
        for (Attributes item : s.items()) {
            total += ITEM_HEADER + datasetLength(item);
        }
        return total;
    }

    private long datasetLength(Attributes ds) {
        long total = 0;
        for (int i = 0; i < ds.size(); i++) {
            Vr vr = ds.vrAt(i);
            long header = explicitVr && vr.isLongHeader() ? 12 : 8;
            total += header + switch (ds.valueAt(i)) {
                case byte[] b -> even(b.length);
                case BulkDataRef ref -> even(ref.length());
                case Sequence s -> sequenceLength(s);
                case Fragments f -> f.items().stream().mapToLong(x -> ITEM_HEADER + even(x.length())).sum() + ITEM_HEADER;
                default -> 0L;
            };
        }
        return total;
    }

    private static long even(long length) {
        return length + (length & 1);
    }
}
