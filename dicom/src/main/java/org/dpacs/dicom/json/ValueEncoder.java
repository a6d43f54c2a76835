package org.dpacs.dicom.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dpacs.dicom.charset.SpecificCharacterSet;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.Vr;

/**
 * Turns the values of a DICOM JSON "Value" array back into value bytes: text joined with backslashes and encoded
 * with the character set, numbers in binary little endian. Messages of the exceptions name the bad value; the
 * reader adds tag and position.
 */
final class ValueEncoder {
    /** PS3.5 Table 6.2-1: DS values are at most 16 bytes. */
    private static final int DS_MAX = 16;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private ValueEncoder() {
    }

    /** Text values (null for an empty value) as one padded value field. */
    static byte[] text(List<String> values, Vr vr, SpecificCharacterSet charset) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append('\\');
            }
            String v = values.get(i);
            sb.append(v == null ? "" : v);
        }
        String joined = sb.toString();
        byte[] bytes = vr.isCharsetDependent() ? charset.encode(joined, vr)
                : joined.getBytes(StandardCharsets.ISO_8859_1);
        return TextValues.pad(bytes, vr);
    }

    /** Alphabetic, ideographic and phonetic groups as one PN value; trailing empty groups and their '=' omitted. */
    static String personName(String[] groups) {
        String value = groups[0] + "=" + groups[1] + "=" + groups[2];
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '=') {
            end--;
        }
        return value.substring(0, end);
    }

    /**
     * A JSON number as DS text. A number longer than DS allows (e.g. the 17 digits a double may need) is rounded
     * to the most significant digits that fit, the only way to keep it a valid DS.
     */
    static String decimalString(String number) {
        if (number.length() <= DS_MAX) {
            return number;
        }
        BigDecimal value = new BigDecimal(number);
        for (int digits = DS_MAX; digits > 0; digits--) {
            BigDecimal rounded = value.round(new MathContext(digits)).stripTrailingZeros();
            String plain = rounded.toPlainString();
            if (plain.length() <= DS_MAX) {
                return plain;
            }
            String scientific = rounded.toString();
            if (scientific.length() <= DS_MAX) {
                return scientific;
            }
        }
        throw new NumberFormatException("'" + number + "' does not fit a DS");
    }

    /**
     * Numbers (as their JSON text, or the strings "NaN", "Infinity", "-Infinity" for floats) in the binary form
     * of {@code vr}, little endian.
     */
    static byte[] numbers(List<String> values, Vr vr) {
        ByteBuffer out = ByteBuffer.allocate(values.size() * vr.unitSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (String v : values) {
            switch (vr) {
                case FL -> out.putFloat(Float.parseFloat(v));
                case FD -> out.putDouble(Double.parseDouble(v));
                case US -> out.putShort((short) integer(v, 0, 0xFFFF));
                case SS -> out.putShort((short) integer(v, Short.MIN_VALUE, Short.MAX_VALUE));
                case UL -> out.putInt((int) integer(v, 0, 0xFFFFFFFFL));
                case SL -> out.putInt((int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case SV -> out.putLong(integer(v, Long.MIN_VALUE, Long.MAX_VALUE));
                case UV -> out.putLong(unsigned64(v));
                default -> throw new IllegalArgumentException(vr + " is not a binary numeric VR");
            }
        }
        return out.array();
    }

    private static long integer(String text, long min, long max) {
        BigInteger v = bigInteger(text);
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new NumberFormatException(text + " is outside " + min + ".." + max);
        }
        return v.longValue();
    }

    private static long unsigned64(String text) {
        BigInteger v = bigInteger(text);
        if (v.signum() < 0 || v.compareTo(TWO_64) >= 0) {
            throw new NumberFormatException(text + " is outside 0..2^64-1");
        }
        return v.longValue();
    }

    /** Integers, also written as "5.0" or "5E2" by generators that only know doubles. */
    private static BigInteger bigInteger(String text) {
        try {
            return new BigInteger(text);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(text).toBigIntegerExact();
            } catch (ArithmeticException notIntegral) {
                throw new NumberFormatException("'" + text + "' is not an integer");
            }
        }
    }
}
