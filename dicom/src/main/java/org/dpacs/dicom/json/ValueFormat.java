package org.dpacs.dicom.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dpacs.dicom.charset.SpecificCharacterSet;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.Vr;

/** Value formatting shared by the JSON and XML writers. */
public final class ValueFormat {
    /** RFC 8259 section 6 number grammar. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private ValueFormat() {
    }

    /**
     * The values of a text VR, decoded and trimmed as PS3.5 6.2 says; empty for a zero-length or all-padding value.
     * Values that are not charset-dependent are decoded as ISO 8859-1, like {@link org.dpacs.dicom.data.Attributes}.
     */
    public static List<String> texts(byte[] value, Vr vr, SpecificCharacterSet charset) {
        String decoded = vr.isCharsetDependent() ? charset.decode(value, 0, value.length, vr)
                : new String(value, StandardCharsets.ISO_8859_1);
        return TextValues.split(decoded, vr);
    }

    /**
     * A DS value as a JSON number: the original text when it already is one (so "1.0" keeps its digits and no
     * binary rounding creeps in), else the canonical text of the decimal ("+.5" gives "0.5"); empty when the value
     * is not a decimal number at all.
     */
    public static Optional<String> decimal(String ds) {
        if (JSON_NUMBER.matcher(ds).matches()) {
            return Optional.of(ds);
        }
        try {
            return Optional.of(new BigDecimal(ds).toString());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** An IS value as an integer ("+007" gives 7, "2.0" gives 2); empty when it is not an integer. */
    public static Optional<BigInteger> integer(String is) {
        try {
            return Optional.of(new BigInteger(is.startsWith("+") ? is.substring(1) : is));
        } catch (NumberFormatException e) {
            try {
                return Optional.of(new BigDecimal(is).toBigIntegerExact());
            } catch (NumberFormatException | ArithmeticException notIntegral) {
                return Optional.empty();
            }
        }
    }

    /**
     * Decimal text of each value of a binary numeric VR (US, SS, UL, SL, UV, SV, FL, FD): unsigned VRs as
     * unsigned, floats in the shortest text that reads back to the same value ({@link Float#toString}), NaN and
     * infinities as "NaN", "Infinity", "-Infinity". AT values come out as 8 hex digits (PS3.18 F.2.3). Trailing
     * bytes short of a whole value are ignored.
     */
    public static String[] numbers(byte[] value, Vr vr) {
        int n = vr.unitSize() == 0 ? 0 : value.length / vr.unitSize();
        String[] out = new String[n];
        switch (vr) {
            case FL -> {
                double[] d = BinaryValues.doubles(value, vr);
                for (int i = 0; i < n; i++) {
                    out[i] = Float.toString((float) d[i]);
                }
            }
            case FD -> {
                double[] d = BinaryValues.doubles(value, vr);
                for (int i = 0; i < n; i++) {
                    out[i] = Double.toString(d[i]);
                }
            }
            case UV -> {
                long[] l = BinaryValues.longs(value, vr);
                for (int i = 0; i < n; i++) {
                    out[i] = Long.toUnsignedString(l[i]);
                }
            }
            case UL, SV -> {
                long[] l = BinaryValues.longs(value, vr);
                for (int i = 0; i < n; i++) {
                    out[i] = Long.toString(l[i]);
                }
            }
            case AT -> {
                int[] t = BinaryValues.ints(value, vr);
                for (int i = 0; i < n; i++) {
                    out[i] = Tag.toHex(t[i]);
                }
            }
            case US, SS, SL -> {
                int[] v = BinaryValues.ints(value, vr);
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toString(v[i]);
                }
            }
            default -> throw new IllegalArgumentException(vr + " is not a binary numeric VR");
        }
        return out;
    }

    /** True for the texts {@link #numbers} gives NaN and the infinities, which JSON cannot hold as numbers. */
    public static boolean isNonFinite(String number) {
        return number.equals("NaN") || number.endsWith("Infinity");
    }

    /** VRs whose values are numbers in binary form. */
    public static boolean isBinaryNumber(Vr vr) {
        return switch (vr) {
            case US, SS, UL, SL, UV, SV, FL, FD, AT -> true;
            default -> false;
        };
    }

    /** VRs written as base64 octets (PS3.18 Table F.2.3-1), never as "Value". */
    public static boolean isOctets(Vr vr) {
        return switch (vr) {
            case OB, OD, OF, OL, OV, OW, UN -> true;
            default -> false;
        };
    }

    /** VRs PS3.18 F.2.2 allows to carry a BulkDataURI. */
    public static boolean mayBeBulkData(Vr vr) {
        return switch (vr) {
            case DS, FL, FD, IS, LT, OB, OD, OF, OL, OV, OW, SL, SS, ST, SV, UC, UL, UN, US, UT, UV -> true;
            default -> false;
        };
    }
}
