package org.dpacs.dicom.xml;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Text that XML 1.0 can carry, whatever a DICOM value holds. */
final class XmlText {
    private XmlText() {
    }

    /**
     * Replaces characters outside the XML 1.0 Char production (section 2.2) with U+FFFD: C0 controls other than
     * tab, LF and CR, U+FFFE/U+FFFF, and unpaired surrogates. No escape can represent them in XML 1.0.
     */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!ok && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Writes text content. The writer escapes {@code <}, {@code &} and {@code >}; carriage returns go out as
     * {@code &#13;} because XML parsers turn a literal CR LF into LF (XML 1.0 section 2.11).
     */
    static void write(XMLStreamWriter xml, String text) throws XMLStreamException {
        String s = clean(text);
        int start = 0;
        for (int cr = s.indexOf('\r'); cr >= 0; cr = s.indexOf('\r', start)) {
            xml.writeCharacters(s.substring(start, cr));
            xml.writeEntityRef("#13");
            start = cr + 1;
        }
        xml.writeCharacters(s.substring(start));
    }
}
