package org.dpacs.dicom.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembles encoded data sets for tests, independently of DicomWriter. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean bigEndian;

    Bytes(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    static Bytes le() {
        return new Bytes(false);
    }

    static Bytes be() {
        return new Bytes(true);
    }

    Bytes u16(int v) {
        if (bigEndian) {
            out.write(v >> 8);
            out.write(v);
        } else {
            out.write(v);
            out.write(v >> 8);
        }
        return this;
    }

    Bytes u32(long v) {
        if (bigEndian) {
            u16((int) (v >>> 16));
            u16((int) v);
        } else {
            u16((int) v);
            u16((int) (v >>> 16));
        }
        return this;
    }

    Bytes tag(int tag) {
        return u16(tag >>> 16).u16(tag & 0xFFFF);
    }

    Bytes raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    Bytes ascii(String s) {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Explicit VR element with a short (16-bit) length. */
    Bytes explicit(int tag, String vr, byte[] value) {
        tag(tag).ascii(vr).u16(value.length);
        return raw(value);
    }

    /** Explicit VR element with the 12-byte header. */
    Bytes explicitLong(int tag, String vr, long length) {
        return tag(tag).ascii(vr).u16(0).u32(length);
    }

    Bytes implicit(int tag, byte[] value) {
        return tag(tag).u32(value.length).raw(value);
    }

    Bytes item(long length) {
        return tag(0xFFFEE000).u32(length);
    }

    Bytes itemEnd() {
        return tag(0xFFFEE00D).u32(0);
    }

    Bytes sequenceEnd() {
        return tag(0xFFFEE0DD).u32(0);
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] text(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if ((b.length & 1) == 0) {
            return b;
        }
        byte[] p = java.util.Arrays.copyOf(b, b.length + 1);
        p[b.length] = ' ';
        return p;
    }

    static byte[] uid(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return (b.length & 1) == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
    }

    static byte[] us(int v) {
        return new byte[]{(byte) v, (byte) (v >> 8)};
    }

    static byte[] usBe(int v) {
        return new byte[]{(byte) (v >> 8), (byte) v};
    }

    /** 128-byte preamble, DICM and a File Meta Information group declaring {@code tsUid}. */
    static byte[] fileHeader(String tsUid) {
        Bytes group = le().explicit(0x00020010, "UI", uid(tsUid));
        Bytes head = le().raw(new byte[128]).ascii("DICM").explicit(0x00020000, "UL", new byte[]{
                (byte) group.size(), 0, 0, 0});
        return head.raw(group.bytes()).bytes();
    }
}
