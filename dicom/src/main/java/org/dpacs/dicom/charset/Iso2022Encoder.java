package org.dpacs.dicom.charset;

import java.util.Arrays;
import org.dpacs.dicom.charset.Iso2022Decoder.CodeElement;
import org.dpacs.dicom.data.Vr;

/**
 * Encodes text with ISO/IEC 2022 code extensions (PS3.5 6.1.2.4-6.1.2.5), the inverse of {@link Iso2022Decoder}.
 *
 * <p>Each character goes to the active G0 or G1 set when it can; otherwise the first declared set that has it is
 * designated, trying value 1's sets before the others. Value 1's G0 is designated again before every delimiter
 * and control character and at the end of the value (PS3.5 6.1.2.5.3), and G1 designations are repeated after
 * them (PS3.5 Annex I.2, K.2, K.3). Characters no declared set contains become '?'. Immutable and thread-safe.
 */
final class Iso2022Encoder {

    private final CodeElement initialG0;
    private final CodeElement initialG1;
    private final CodeElement[] candidates;

    /**
     * @param candidates the designatable elements of all values of (0008,0005), value 1's first
     */
    Iso2022Encoder(CodeElement initialG0, CodeElement initialG1, CodeElement[] candidates) {
        this.initialG0 = initialG0;
        this.initialG1 = initialG1;
        this.candidates = candidates.clone();
    }

    byte[] encode(String value, Vr vr) {
        Bytes out = new Bytes(value.length() * 2 + 8);
        CodeElement g0 = initialG0;
        CodeElement g1 = initialG1;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if ((cp < 0x20 && cp != Iso2022Decoder.ESC) || Iso2022Decoder.isDelimiter(cp, vr)) {
                // PS3.5 6.1.2.5.3: value 1's set shall be active before delimiters and control characters
                if (g0 != initialG0) {
                    out.write(initialG0.escape);
                }
                out.write(cp);
                g0 = initialG0;
                g1 = initialG1;
                continue;
            }
            CodeElement target = null;
            if (cp != Iso2022Decoder.ESC) {
                int code = g0.encode(cp);
                if (code >= 0) {
                    out.write(code, g0.width);
                    continue;
                }
                code = g1.encode(cp);
                if (code >= 0) {
                    out.write(code, g1.width);
                    continue;
                }
                target = find(cp);
            }
            if (target == null) {
                // a raw ESC would corrupt the designations, and unmappable characters have no code: '?' in G0
                if (!g0.asciiLike) {
                    out.write(initialG0.escape);
                    g0 = initialG0;
                }
                out.write('?');
                continue;
            }
            out.write(target.escape);
            if (target.g1) {
                g1 = target;
            } else {
                g0 = target;
            }
            out.write(target.encode(cp), target.width);
        }
        if (g0 != initialG0) {
            // PS3.5 6.1.2.5.3: value 1's set shall be active at the end of the value
            out.write(initialG0.escape);
        }
        return out.toByteArray();
    }

    private CodeElement find(int cp) {
        for (CodeElement e : candidates) {
            if (e.encode(cp) >= 0) {
                return e;
            }
        }
        return null;
    }

    /** Minimal growable byte buffer; avoids ByteArrayOutputStream's synchronization. */
    private static final class Bytes {
        private byte[] buf;
        private int size;

        Bytes(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        void write(int code, int width) {
            if (width == 2) {
                write(code >> 8);
            }
            write(code & 0xFF);
        }

        void write(byte[] b) {
            for (byte x : b) {
                write(x);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
