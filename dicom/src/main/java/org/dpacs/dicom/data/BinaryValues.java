package org.dpacs.dicom.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Decoding and encoding of binary values, which the data model always holds little endian. */
public final class BinaryValues {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private BinaryValues() {
    }

    private static int count(byte[] b, Vr vr) {
        return vr.unitSize() == 0 ? 0 : b.length / vr.unitSize();
    }

    /** Integer values; UL and UV values beyond int range wrap, use {@link #longs} for those. */
    public static int[] ints(byte[] b, Vr vr) {
        int n = count(b, vr);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (vr) {
                case US, OW -> (short) SHORT.get(b, i * 2) & 0xFFFF;
                case SS -> (short) SHORT.get(b, i * 2);
                case UL, SL, OL -> (int) INT.get(b, i * 4);
                // PS3.5 6.2: AT is a pair of 16-bit unsigned integers, group first.
                case AT -> (((short) SHORT.get(b, i * 4) & 0xFFFF) << 16) | ((short) SHORT.get(b, i * 4 + 2) & 0xFFFF);
                case OB, UN -> b[i] & 0xFF;
                case UV, SV, OV -> (int) (long) LONG.get(b, i * 8);
                case FL, OF -> (int) (float) FLOAT.get(b, i * 4);
                case FD, OD -> (int) (double) DOUBLE.get(b, i * 8);
                default -> 0;
            };
        }
        return out;
    }

    public static long[] longs(byte[] b, Vr vr) {
        int n = count(b, vr);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (vr) {
                case UL, OL -> (int) INT.get(b, i * 4) & 0xFFFFFFFFL;
                case UV, SV, OV -> (long) LONG.get(b, i * 8);
                default -> ints(java.util.Arrays.copyOfRange(b, i * vr.unitSize(), (i + 1) * vr.unitSize()), vr)[0];
            };
        }
        return out;
    }

    /** Values as doubles; UV above 2^63 is read as unsigned. */
    public static double[] doubles(byte[] b, Vr vr) {
        int n = count(b, vr);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (vr) {
                case FL, OF -> (float) FLOAT.get(b, i * 4);
                case FD, OD -> (double) DOUBLE.get(b, i * 8);
                case UV -> unsignedToDouble((long) LONG.get(b, i * 8));
                case UL -> (int) INT.get(b, i * 4) & 0xFFFFFFFFL;
                case SV -> (long) LONG.get(b, i * 8);
                default -> ints(java.util.Arrays.copyOfRange(b, i * vr.unitSize(), (i + 1) * vr.unitSize()), vr)[0];
            };
        }
        return out;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    public static byte[] encodeInts(int[] values, Vr vr) {
        byte[] out = new byte[values.length * vr.unitSize()];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            switch (vr) {
                case US, SS, OW -> SHORT.set(out, i * 2, (short) v);
                case UL, SL, OL -> INT.set(out, i * 4, v);
                case AT -> {
                    SHORT.set(out, i * 4, (short) (v >>> 16));
                    SHORT.set(out, i * 4 + 2, (short) v);
                }
                case UV, SV, OV -> LONG.set(out, i * 8, (long) v);
                case FL, OF -> FLOAT.set(out, i * 4, (float) v);
                case FD, OD -> DOUBLE.set(out, i * 8, (double) v);
                case OB, UN -> out[i] = (byte) v;
                default -> throw new IllegalArgumentException(vr + " is not a binary numeric VR");
            }
        }
        return out;
    }

    public static byte[] encodeDoubles(double[] values, Vr vr) {
        byte[] out = new byte[values.length * vr.unitSize()];
        for (int i = 0; i < values.length; i++) {
            switch (vr) {
                case FL, OF -> FLOAT.set(out, i * 4, (float) values[i]);
                case FD, OD -> DOUBLE.set(out, i * 8, values[i]);
                default -> throw new IllegalArgumentException(vr + " is not a floating point VR");
            }
        }
        return out;
    }

    /**
     * Reverses the byte order of each {@code unitSize}-byte value in place (big endian to little endian and
     * back); AT swaps its two 16-bit halves separately, as PS3.5 7.3 says.
     */
    public static void swap(byte[] b, int off, int len, Vr vr) {
        int unit = vr == Vr.AT ? 2 : vr.unitSize();
        if (unit <= 1) {
            return;
        }
        int end = off + len - len % unit;
        for (int i = off; i < end; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
