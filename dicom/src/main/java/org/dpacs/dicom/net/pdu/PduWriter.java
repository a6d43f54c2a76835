package org.dpacs.dicom.net.pdu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Encodes PDUs onto a stream (PS3.8 9.3). {@link #write} sends a whole PDU and flushes; {@link #writePdv} is the
 * streaming path for DIMSE fragments and leaves flushing to the caller. Writes hold a lock, so an abort from
 * another thread never interleaves with a PDU being written (a lock, not {@code synchronized}, so a virtual thread
 * blocked in a socket write does not pin its carrier on Java 21).
 */
public final class PduWriter {
    private final OutputStream out;
    private final byte[] pdvHeader = new byte[12];
    private final ReentrantLock lock = new ReentrantLock();

    /** {@code out} should be buffered; the writer flushes after each whole PDU and on {@link #flush()}. */
    public PduWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes one PDU and flushes it. */
    public void write(Pdu pdu) throws IOException {
        byte[] bytes = encode(pdu);
        lock.lock();
        try {
            out.write(bytes);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a P-DATA-TF holding one PDV of {@code len} bytes, without flushing. The caller keeps
     * {@code len + 6} within the peer's maximum PDU length.
     */
    public void writePdv(int presentationContextId, int messageControlHeader, byte[] b, int off, int len)
            throws IOException {
        long pdvLength = len + 2L;
        lock.lock();
        try {
            putInt(pdvHeader, 0, PDataTf.TYPE << 24);
            putInt(pdvHeader, 2, (int) (pdvLength + 4));
            putInt(pdvHeader, 6, (int) pdvLength);
            pdvHeader[10] = (byte) presentationContextId;
            pdvHeader[11] = (byte) messageControlHeader;
            out.write(pdvHeader);
            out.write(b, off, len);
        } finally {
            lock.unlock();
        }
    }

    public void flush() throws IOException {
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** The bytes of one PDU, header included. */
    public static byte[] encode(Pdu pdu) {
        Body body = new Body();
        switch (pdu) {
            case AAssociateRq rq -> {
                fixedPart(body, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle());
                item(body, 0x10, ascii(rq.applicationContextName()));
                for (PresentationContextRq pc : rq.presentationContexts()) {
                    Body item = new Body();
                    item.u8(pc.id()).u8(0).u8(0).u8(0);
                    item(item, 0x30, ascii(pc.abstractSyntax()));
                    for (String ts : pc.transferSyntaxes()) {
                        item(item, 0x40, ascii(ts));
                    }
                    item(body, PresentationContextRq.ITEM_TYPE, item.toByteArray());
                }
                item(body, UserInformation.ITEM_TYPE, userInformation(rq.userInformation()));
            }
            case AAssociateAc ac -> {
                fixedPart(body, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle());
                item(body, 0x10, ascii(ac.applicationContextName()));
                for (PresentationContextAc pc : ac.presentationContexts()) {
                    Body item = new Body();
                    item.u8(pc.id()).u8(0).u8(pc.result()).u8(0);
                    item(item, 0x40, ascii(pc.transferSyntax()));
                    item(body, PresentationContextAc.ITEM_TYPE, item.toByteArray());
                }
                item(body, UserInformation.ITEM_TYPE, userInformation(ac.userInformation()));
            }
            case AAssociateRj rj -> body.u8(0).u8(rj.result()).u8(rj.source()).u8(rj.reason());
            case PDataTf p -> {
                for (Pdv pdv : p.pdvs()) {
                    body.u32(pdv.data().length + 2L).u8(pdv.presentationContextId()).u8(pdv.messageControlHeader());
                    body.writeBytes(pdv.data());
                }
            }
            case AReleaseRq rq -> body.u32(0);
            case AReleaseRp rp -> body.u32(0);
            case AAbort a -> body.u8(0).u8(0).u8(a.source()).u8(a.reason());
        }
        Body whole = new Body();
        whole.u8(pdu.type()).u8(0).u32(body.size());
        body.writeTo(whole);
        return whole.toByteArray();
    }

    private static void fixedPart(Body body, int version, String called, String calling) {
        body.u16(version).u16(0);
        body.writeBytes(aeTitle(called));
        body.writeBytes(aeTitle(calling));
        body.writeBytes(new byte[32]);
    }

    private static byte[] userInformation(UserInformation u) {
        Body b = new Body();
        item(b, UserInformation.MAX_LENGTH_TYPE, new Body().u32(u.maxPduLength()).toByteArray());
        if (!u.implementationClassUid().isEmpty()) {
            item(b, UserInformation.IMPLEMENTATION_CLASS_UID_TYPE, ascii(u.implementationClassUid()));
        }
        for (UserInformation.SubItem other : u.otherItems()) {
            if (other.type() < RoleSelection.ITEM_TYPE) {
                item(b, other.type(), other.value()); // e.g. 0x53 asynchronous operations window, in type order
            }
        }
        for (RoleSelection r : u.roleSelections()) {
            Body role = new Body();
            byte[] uid = ascii(r.sopClassUid());
            role.u16(uid.length).writeBytes(uid);
            role.u8(r.scuRole() ? 1 : 0).u8(r.scpRole() ? 1 : 0);
            item(b, RoleSelection.ITEM_TYPE, role.toByteArray());
        }
        if (!u.implementationVersionName().isEmpty()) {
            item(b, UserInformation.IMPLEMENTATION_VERSION_NAME_TYPE, ascii(u.implementationVersionName()));
        }
        for (UserInformation.SubItem other : u.otherItems()) {
            if (other.type() >= RoleSelection.ITEM_TYPE) {
                item(b, other.type(), other.value());
            }
        }
        return b.toByteArray();
    }

    private static void item(Body body, int type, byte[] value) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException(String.format("Item 0x%02X of %d bytes exceeds the 65535 an item "
                    + "length can say", type, value.length));
        }
        body.u8(type).u8(0).u16(value.length);
        body.writeBytes(value);
    }

    /** PS3.8 9.3.2: 16 bytes, space padded. */
    private static byte[] aeTitle(String title) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] t = ascii(title);
        System.arraycopy(t, 0, b, 0, Math.min(16, t.length));
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** A growable big endian byte buffer. */
    private static final class Body extends ByteArrayOutputStream {
        Body u8(int v) {
            write(v);
            return this;
        }

        Body u16(int v) {
            write(v >>> 8);
            write(v);
            return this;
        }

        Body u32(long v) {
            write((int) (v >>> 24));
            write((int) (v >>> 16));
            write((int) (v >>> 8));
            write((int) v);
            return this;
        }

        /** Appends this buffer to another one in memory, which cannot fail. */
        void writeTo(Body other) {
            other.write(buf, 0, count);
        }
    }
}
