package org.dpacs.dicom.net.pdu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decodes PDUs from a stream (PS3.8 9.3). Every length is checked before anything is allocated: a P-DATA-TF may
 * not exceed the maximum length we announced, an A-ASSOCIATE-RQ/AC a fixed ceiling, and the other PDUs have
 * their fixed length of 4; each item must fit in what is left of its PDU. Any violation is a
 * {@link PduException} carrying the stream offset and the A-ABORT reason to answer with.
 *
 * <p>Not thread-safe: one reader per connection, read by one thread.
 */
public final class PduReader {
    /** Ceiling on A-ASSOCIATE-RQ/AC: 128 contexts with a dozen transfer syntaxes each fit with room to spare. */
    public static final int DEFAULT_MAX_ASSOCIATE_LENGTH = 256 * 1024;
    private static final int HEADER = 6;

    private final InputStream in;
    private final long maxPDataLength;
    private final int maxAssociateLength;
    private final byte[] header = new byte[HEADER];
    private long position;

    /**
     * @param maxPDataLength     the maximum P-DATA-TF length we announced (PS3.8 D.1), at least 8
     * @param maxAssociateLength the ceiling for A-ASSOCIATE-RQ and -AC
     */
    public PduReader(InputStream in, long maxPDataLength, int maxAssociateLength) {
        if (maxPDataLength < 8 || maxPDataLength > Integer.MAX_VALUE - 8 || maxAssociateLength < 68) {
            throw new IllegalArgumentException("maxPDataLength must be 8.." + (Integer.MAX_VALUE - 8)
                    + " and maxAssociateLength at least 68");
        }
        this.in = in;
        this.maxPDataLength = maxPDataLength;
        this.maxAssociateLength = maxAssociateLength;
    }

    public PduReader(InputStream in, long maxPDataLength) {
        this(in, maxPDataLength, DEFAULT_MAX_ASSOCIATE_LENGTH);
    }

    /** Bytes consumed so far. */
    /** Bytes that can be read without blocking (buffered or already arrived); 0 says nothing about the end. */
    public int available() throws IOException {
        return in.available();
    }

    public long position() {
        return position;
    }

    /**
     * The next PDU, or empty when the stream ended cleanly between two PDUs (the peer closed the connection).
     *
     * @throws PduException for anything that is not a well-formed PDU, including a stream that ends inside one
     */
    public Optional<Pdu> read() throws IOException {
        long start = position;
        int n = in.readNBytes(header, 0, HEADER);
        if (n == 0) {
            return Optional.empty();
        }
        if (n < HEADER) {
            throw new PduException("The connection ended inside a PDU header, after " + n + " of 6 bytes",
                    start + n, AAbort.REASON_NOT_SPECIFIED);
        }
        position += HEADER;
        int type = header[0] & 0xFF;
        long length = ((header[2] & 0xFFL) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
                | (header[5] & 0xFF);
        checkLength(type, length, start);
        byte[] body = new byte[(int) length]; // bounded by checkLength
        int got = in.readNBytes(body, 0, body.length);
        position += got;
        if (got < length) {
            throw new PduException(name(type) + " of " + length + " bytes is truncated: the connection ended after "
                    + got, position, AAbort.REASON_NOT_SPECIFIED);
        }
        Cursor c = new Cursor(body, 0, body.length, start + HEADER);
        try {
            return Optional.of(switch (type) {
                case AAssociateRq.TYPE -> associateRq(c);
                case AAssociateAc.TYPE -> associateAc(c);
                case AAssociateRj.TYPE -> new AAssociateRj(body[1] & 0xFF, body[2] & 0xFF, body[3] & 0xFF);
                case PDataTf.TYPE -> pData(c);
                case AReleaseRq.TYPE -> new AReleaseRq();
                case AReleaseRp.TYPE -> new AReleaseRp();
                case AAbort.TYPE -> new AAbort(body[2] & 0xFF, body[3] & 0xFF);
                default -> throw new IllegalStateException("type checked above");
            });
        } catch (IllegalArgumentException e) {
            // A record refused a decoded value (an AE title of spaces, an over-long UID): the PDU is invalid.
            throw new PduException("Invalid " + name(type) + ": " + e.getMessage(), start,
                    AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
    }

    private void checkLength(int type, long length, long start) throws PduException {
        long max = switch (type) {
            case AAssociateRq.TYPE, AAssociateAc.TYPE -> maxAssociateLength;
            case PDataTf.TYPE -> maxPDataLength;
            case AAssociateRj.TYPE, AReleaseRq.TYPE, AReleaseRp.TYPE, AAbort.TYPE -> 4;
            default -> throw new PduException(String.format("Unrecognized PDU type 0x%02X", type), start,
                    AAbort.UNRECOGNIZED_PDU);
        };
        if (max == 4 && length != 4) {
            throw new PduException(name(type) + " has length " + length + " but PS3.8 9.3 fixes it at 4", start + 2,
                    AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        if (length > max) {
            String why = type == PDataTf.TYPE ? "the maximum PDU length we announced" : "the limit for this PDU";
            throw new PduException(name(type) + " length " + length + " exceeds " + max + " bytes, " + why,
                    start + 2, AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
    }

    private static AAssociateRq associateRq(Cursor c) throws PduException {
        Fixed f = fixedPart(c, "A-ASSOCIATE-RQ");
        List<PresentationContextRq> contexts = new ArrayList<>();
        String[] appContext = {null};
        UserInformation[] user = {null};
        boolean[] seenIds = new boolean[256];
        items(c, "A-ASSOCIATE-RQ", (type, item) -> {
            switch (type) {
                case 0x10 -> appContext[0] = uid(item, "application context name");
                case PresentationContextRq.ITEM_TYPE -> {
                    PresentationContextRq pc = contextRq(item);
                    if ((pc.id() & 1) == 0 || seenIds[pc.id()]) {
                        throw new PduException("Presentation context ID " + pc.id() + " is "
                                + ((pc.id() & 1) == 0 ? "even" : "used twice") + " (PS3.8 9.3.2.2: distinct odd IDs)",
                                item.base, AAbort.INVALID_PDU_PARAMETER_VALUE);
                    }
                    seenIds[pc.id()] = true;
                    contexts.add(pc);
                }
                case PresentationContextAc.ITEM_TYPE -> throw new PduException(
                        "A-ASSOCIATE-RQ holds an A-ASSOCIATE-AC presentation context item", item.base - 4,
                        AAbort.UNEXPECTED_PDU_PARAMETER);
                case UserInformation.ITEM_TYPE -> user[0] = userInformation(item);
                default -> {
                    // Unknown item types are ignored, as reserved fields are (PS3.8 9.3.1).
                }
            }
        });
        requireApplicationContext(appContext[0], c);
        return new AAssociateRq(f.version, f.called, f.calling, appContext[0], contexts, orDefault(user[0]));
    }

    private static AAssociateAc associateAc(Cursor c) throws PduException {
        Fixed f = fixedPart(c, "A-ASSOCIATE-AC");
        List<PresentationContextAc> contexts = new ArrayList<>();
        String[] appContext = {null};
        UserInformation[] user = {null};
        items(c, "A-ASSOCIATE-AC", (type, item) -> {
            switch (type) {
                case 0x10 -> appContext[0] = uid(item, "application context name");
                case PresentationContextAc.ITEM_TYPE -> contexts.add(contextAc(item));
                case PresentationContextRq.ITEM_TYPE -> throw new PduException(
                        "A-ASSOCIATE-AC holds an A-ASSOCIATE-RQ presentation context item", item.base - 4,
                        AAbort.UNEXPECTED_PDU_PARAMETER);
                case UserInformation.ITEM_TYPE -> user[0] = userInformation(item);
                default -> {
                }
            }
        });
        requireApplicationContext(appContext[0], c);
        return new AAssociateAc(f.version, f.called, f.calling, appContext[0], contexts, orDefault(user[0]));
    }

    private record Fixed(int version, String called, String calling) {
    }

    /** PS3.8 Table 9-11: protocol version, reserved, called and calling AE titles, 32 reserved bytes. */
    private static Fixed fixedPart(Cursor c, String pdu) throws PduException {
        if (c.remaining() < 68) {
            throw new PduException(pdu + " of " + c.remaining() + " bytes is shorter than its 68-byte fixed part",
                    c.offset(), AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        int version = c.u16();
        c.skip(2);
        String called = text(c.bytes(16));
        String calling = text(c.bytes(16));
        c.skip(32);
        return new Fixed(version, called, calling);
    }

    private static void requireApplicationContext(String name, Cursor c) throws PduException {
        if (name == null) {
            throw new PduException("The association PDU has no Application Context item (PS3.8 9.3.2.1)",
                    c.base, AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
    }

    private static UserInformation orDefault(UserInformation user) {
        // PS3.7 D.3.3.1 makes the item mandatory; without it nothing limits what we send (0 = no limit).
        return user != null ? user : UserInformation.of(0, "", "");
    }

    private static PresentationContextRq contextRq(Cursor item) throws PduException {
        if (item.remaining() < 4) {
            throw new PduException("Presentation context item of " + item.remaining() + " bytes is too short",
                    item.offset(), AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        int id = item.u8();
        item.skip(3);
        String[] abstractSyntax = {null};
        List<String> transferSyntaxes = new ArrayList<>();
        items(item, "presentation context " + id, (type, sub) -> {
            switch (type) {
                case 0x30 -> abstractSyntax[0] = uid(sub, "abstract syntax");
                case 0x40 -> transferSyntaxes.add(uid(sub, "transfer syntax"));
                default -> throw new PduException(String.format("Presentation context %d holds an item of type 0x%02X",
                        id, type), sub.base - 4, AAbort.UNRECOGNIZED_PDU_PARAMETER);
            }
        });
        if (abstractSyntax[0] == null) {
            throw new PduException("Presentation context " + id + " has no abstract syntax", item.base,
                    AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        return new PresentationContextRq(id, abstractSyntax[0], transferSyntaxes);
    }

    private static PresentationContextAc contextAc(Cursor item) throws PduException {
        if (item.remaining() < 4) {
            throw new PduException("Presentation context item of " + item.remaining() + " bytes is too short",
                    item.offset(), AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        int id = item.u8();
        item.skip(1);
        int result = item.u8();
        item.skip(1);
        String[] ts = {null};
        items(item, "presentation context " + id, (type, sub) -> {
            if (type == 0x40) {
                ts[0] = uid(sub, "transfer syntax");
            }
        });
        if (ts[0] == null && result == PresentationContextAc.ACCEPTANCE) {
            throw new PduException("Accepted presentation context " + id + " names no transfer syntax", item.base,
                    AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        return new PresentationContextAc(id, result, ts[0] == null ? "" : ts[0]);
    }

    private static UserInformation userInformation(Cursor item) throws PduException {
        long[] maxLength = {0};
        String[] classUid = {""};
        String[] version = {""};
        List<RoleSelection> roles = new ArrayList<>();
        List<UserInformation.SubItem> others = new ArrayList<>();
        items(item, "user information", (type, sub) -> {
            switch (type) {
                case UserInformation.MAX_LENGTH_TYPE -> {
                    if (sub.remaining() != 4) {
                        throw new PduException("Maximum length sub-item has " + sub.remaining()
                                + " bytes instead of 4", sub.base, AAbort.INVALID_PDU_PARAMETER_VALUE);
                    }
                    maxLength[0] = sub.u32();
                }
                case UserInformation.IMPLEMENTATION_CLASS_UID_TYPE ->
                        classUid[0] = uid(sub, "implementation class UID");
                case UserInformation.IMPLEMENTATION_VERSION_NAME_TYPE -> {
                    if (sub.remaining() > 16) {
                        throw new PduException("Implementation version name of " + sub.remaining()
                                + " bytes exceeds 16", sub.base, AAbort.INVALID_PDU_PARAMETER_VALUE);
                    }
                    version[0] = text(sub.bytes(sub.remaining()));
                }
                case RoleSelection.ITEM_TYPE -> {
                    int uidLength = sub.remaining() >= 2 ? sub.u16() : -1;
                    if (uidLength < 0 || uidLength + 2 != sub.remaining()) {
                        throw new PduException("SCP/SCU role selection sub-item lengths disagree", sub.base,
                                AAbort.INVALID_PDU_PARAMETER_VALUE);
                    }
                    String sopClass = uid(sub.sub(uidLength), "SOP class UID");
                    roles.add(new RoleSelection(sopClass, sub.u8() != 0, sub.u8() != 0));
                }
                default -> others.add(new UserInformation.SubItem(type, sub.bytes(sub.remaining())));
            }
        });
        return new UserInformation(maxLength[0], classUid[0], version[0], roles, others);
    }

    private static PDataTf pData(Cursor c) throws PduException {
        List<Pdv> pdvs = new ArrayList<>();
        while (c.remaining() > 0) {
            long start = c.offset();
            if (c.remaining() < 6) {
                throw new PduException("PDV header truncated: " + c.remaining() + " bytes left in the P-DATA-TF",
                        start, AAbort.INVALID_PDU_PARAMETER_VALUE);
            }
            long length = c.u32();
            if (length < 2 || length > c.remaining()) {
                throw new PduException("PDV length " + length + (length < 2 ? " is below 2"
                        : " exceeds the " + c.remaining() + " bytes left in the P-DATA-TF"), start,
                        AAbort.INVALID_PDU_PARAMETER_VALUE);
            }
            int id = c.u8();
            int mch = c.u8();
            if ((id & 1) == 0) {
                throw new PduException("PDV names presentation context " + id + ", an even ID", start + 4,
                        AAbort.INVALID_PDU_PARAMETER_VALUE);
            }
            // PS3.8 E.2: bits 2-7 are reserved; ignore rather than test them.
            pdvs.add(new Pdv(id, mch & 0x03, c.bytes((int) length - 2)));
        }
        if (pdvs.isEmpty()) {
            throw new PduException("P-DATA-TF without a PDV", c.base, AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        return new PDataTf(pdvs);
    }

    @FunctionalInterface
    private interface ItemHandler {
        void item(int type, Cursor value) throws PduException;
    }

    /** Walks the items of {@code c}: type, reserved byte, 16-bit length, value (PS3.8 9.3.2.x). */
    private static void items(Cursor c, String where, ItemHandler handler) throws PduException {
        while (c.remaining() > 0) {
            long start = c.offset();
            if (c.remaining() < 4) {
                throw new PduException("Item header truncated: " + c.remaining() + " bytes left in the " + where,
                        start, AAbort.INVALID_PDU_PARAMETER_VALUE);
            }
            int type = c.u8();
            c.skip(1);
            int length = c.u16();
            if (length > c.remaining()) {
                throw new PduException(String.format("Item 0x%02X claims %d bytes but %d remain in the %s", type,
                        length, c.remaining(), where), start, AAbort.INVALID_PDU_PARAMETER_VALUE);
            }
            handler.item(type, c.sub(length));
        }
    }

    /** A UID field: not padded in PDUs, but trailing NUL or space padding is tolerated (PS3.8 Annex F). */
    private static String uid(Cursor c, String what) throws PduException {
        long start = c.base;
        String s = text(c.bytes(c.remaining()));
        if (s.length() > PduFields.MAX_UID_LENGTH) {
            throw new PduException(what + " of " + s.length() + " characters exceeds 64", start,
                    AAbort.INVALID_PDU_PARAMETER_VALUE);
        }
        return s;
    }

    /** ASCII text with leading and trailing spaces and NULs removed (AE titles, UIDs, version names). */
    private static String text(byte[] b) {
        int from = 0;
        int to = b.length;
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == 0)) {
            to--;
        }
        while (from < to && (b[from] == ' ' || b[from] == 0)) {
            from++;
        }
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    static String name(int type) {
        return switch (type) {
            case AAssociateRq.TYPE -> "A-ASSOCIATE-RQ";
            case AAssociateAc.TYPE -> "A-ASSOCIATE-AC";
            case AAssociateRj.TYPE -> "A-ASSOCIATE-RJ";
            case PDataTf.TYPE -> "P-DATA-TF";
            case AReleaseRq.TYPE -> "A-RELEASE-RQ";
            case AReleaseRp.TYPE -> "A-RELEASE-RP";
            case AAbort.TYPE -> "A-ABORT";
            default -> String.format("PDU type 0x%02X", type);
        };
    }

    /** A bounds-checked big endian view of part of a PDU body; {@code base} is the stream offset of {@code pos}. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;
        private final int end;
        private final long base;
        private final int start;

        Cursor(byte[] b, int pos, int end, long base) {
            this.b = b;
            this.pos = pos;
            this.start = pos;
            this.end = end;
            this.base = base;
        }

        int remaining() {
            return end - pos;
        }

        long offset() {
            return base + (pos - start);
        }

        private void need(int n) throws PduException {
            if (n > remaining()) {
                throw new PduException("Field of " + n + " bytes runs past the end of its item (" + remaining()
                        + " bytes left)", offset(), AAbort.INVALID_PDU_PARAMETER_VALUE);
            }
        }

        int u8() throws PduException {
            need(1);
            return b[pos++] & 0xFF;
        }

        int u16() throws PduException {
            need(2);
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32() throws PduException {
            need(4);
            long v = ((b[pos] & 0xFFL) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8)
                    | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        void skip(int n) throws PduException {
            need(n);
            pos += n;
        }

        byte[] bytes(int n) throws PduException {
            need(n);
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        Cursor sub(int n) throws PduException {
            need(n);
            Cursor c = new Cursor(b, pos, pos + n, offset());
            pos += n;
            return c;
        }
    }
}
