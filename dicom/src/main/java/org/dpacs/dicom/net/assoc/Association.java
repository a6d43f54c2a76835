package org.dpacs.dicom.net.assoc;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.AAssociateAc;
import org.dpacs.dicom.net.pdu.AAssociateRq;
import org.dpacs.dicom.net.pdu.AReleaseRp;
import org.dpacs.dicom.net.pdu.AReleaseRq;
import org.dpacs.dicom.net.pdu.PDataTf;
import org.dpacs.dicom.net.pdu.Pdu;
import org.dpacs.dicom.net.pdu.PduException;
import org.dpacs.dicom.net.pdu.PduReader;
import org.dpacs.dicom.net.pdu.PduWriter;
import org.dpacs.dicom.net.pdu.PresentationContextAc;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.dicom.net.pdu.Pdv;

/**
 * An established association (PS3.8 Sta6), on either side: the negotiated presentation contexts, the PDV stream
 * in both directions, release and abort. DIMSE messages are built on top of it by {@code org.dpacs.dicom.net.dimse}.
 *
 * <p>One thread reads and writes; {@link #abort} and {@link #close} may come from another (a server stopping).
 * Any protocol error met while reading is answered with an A-ABORT before the exception reaches the caller.
 */
public final class Association implements AutoCloseable {
    /** Used for sending when the peer announces no limit (0): large enough to be efficient, small enough to hold. */
    static final int DEFAULT_SEND_LENGTH = 64 * 1024;
    /** We never send PDUs larger than this, whatever the peer accepts. */
    static final int MAX_SEND_LENGTH = 1024 * 1024;

    private final Socket socket;
    private final PduReader reader;
    private final PduWriter writer;
    private final AAssociateRq request;
    private final AAssociateAc accept;
    private final boolean requestor;
    private final Map<Integer, PresentationContext> contexts;
    private final ArrayDeque<Pdv> pending = new ArrayDeque<>();
    private volatile boolean closed;

    Association(Socket socket, PduReader reader, PduWriter writer, AAssociateRq request, AAssociateAc accept,
                boolean requestor) {
        this.socket = socket;
        this.reader = reader;
        this.writer = writer;
        this.request = request;
        this.accept = accept;
        this.requestor = requestor;
        this.contexts = accepted(request, accept);
    }

    private static Map<Integer, PresentationContext> accepted(AAssociateRq rq, AAssociateAc ac) {
        Map<Integer, String> abstractSyntaxes = new LinkedHashMap<>();
        for (PresentationContextRq pc : rq.presentationContexts()) {
            abstractSyntaxes.put(pc.id(), pc.abstractSyntax());
        }
        Map<Integer, PresentationContext> out = new LinkedHashMap<>();
        for (PresentationContextAc pc : ac.presentationContexts()) {
            String as = abstractSyntaxes.get(pc.id());
            if (pc.isAccepted() && as != null) {
                out.put(pc.id(), new PresentationContext(pc.id(), as, TransferSyntax.of(pc.transferSyntax())));
            }
        }
        return out;
    }

    public AAssociateRq request() {
        return request;
    }

    public AAssociateAc accept() {
        return accept;
    }

    public String callingAeTitle() {
        return request.callingAeTitle();
    }

    public String calledAeTitle() {
        return request.calledAeTitle();
    }

    /** The peer's AE title, which depends on our role. */
    public String peerAeTitle() {
        return requestor ? request.calledAeTitle() : request.callingAeTitle();
    }

    /** The peer's address, e.g. {@code 127.0.0.1:40112}, for logs. */
    public String peerAddress() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** E.g. {@code STORESCU@127.0.0.1:40112}, for logs and ingest sources. */
    @Override
    public String toString() {
        return peerAeTitle() + "@" + peerAddress();
    }

    public Collection<PresentationContext> contexts() {
        return contexts.values();
    }

    public Optional<PresentationContext> context(int id) {
        return Optional.ofNullable(contexts.get(id));
    }

    /** The first accepted context for {@code abstractSyntax} in {@code transferSyntax}, as a requestor picks one. */
    public Optional<PresentationContext> contextFor(String abstractSyntax, String transferSyntax) {
        return contexts.values().stream().filter(pc -> pc.abstractSyntax().equals(abstractSyntax)
                && pc.transferSyntax().uid().equals(transferSyntax)).findFirst();
    }

    /** The most data one PDV we send may carry: the peer's maximum PDU length less the PDV header (PS3.8 D.1). */
    public int maxPdvDataLength() {
        long peerMax = requestor ? accept.userInformation().maxPduLength() : request.userInformation().maxPduLength();
        long pdu = peerMax == 0 ? DEFAULT_SEND_LENGTH : Math.min(peerMax, MAX_SEND_LENGTH);
        return (int) Math.max(1, pdu - 6);
    }

    /** Times out reads after {@code timeout} of silence (zero: never). */
    public void setReadTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * The next PDV the peer sends, or empty when the peer asked to release (answered with A-RELEASE-RP, then
     * closed) or closed the connection. An A-ABORT from the peer is an {@link AssociationAbortedException}; a
     * protocol error, a PDV on a context that was not accepted, or a read timeout aborts the association and is
     * rethrown.
     */
    public Optional<Pdv> readPdv() throws IOException {
        while (pending.isEmpty()) {
            Optional<Pdu> pdu = readPdu();
            if (pdu.isEmpty()) {
                close();
                return Optional.empty();
            }
            switch (pdu.get()) {
                case PDataTf p -> pending.addAll(p.pdvs());
                case AReleaseRq rq -> {
                    writer.write(new AReleaseRp());
                    closed = true;
                    Sockets.closeAfterLastPdu(socket); // PS3.8 Sta13: the requestor closes the connection
                    return Optional.empty();
                }
                case AAbort a -> {
                    close();
                    throw new AssociationAbortedException("The peer " + this + " aborted the association", a);
                }
                default -> throw protocolError(new PduException("Unexpected " + pdu.get().getClass().getSimpleName()
                        + " on an established association", reader.position(), AAbort.UNEXPECTED_PDU));
            }
        }
        Pdv pdv = pending.poll();
        if (!contexts.containsKey(pdv.presentationContextId())) {
            throw protocolError(new PduException("PDV on presentation context " + pdv.presentationContextId()
                    + ", which was not accepted", reader.position(), AAbort.INVALID_PDU_PARAMETER_VALUE));
        }
        return Optional.of(pdv);
    }

    /**
     * Whether the peer has sent something not read yet, without blocking: lets a long operation notice a
     * C-CANCEL-RQ between its responses (PS3.7 9.3.2.3).
     */
    public boolean hasInput() throws IOException {
        return !pending.isEmpty() || (!closed && reader.available() > 0);
    }

    private Optional<Pdu> readPdu() throws IOException {
        try {
            return reader.read();
        } catch (PduException e) {
            throw protocolError(e);
        } catch (SocketTimeoutException e) {
            abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
            throw e;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Aborts with the reason the exception carries and returns it for throwing. */
    public PduException protocolError(PduException e) {
        abort(AAbort.provider(e.abortReason()));
        return e;
    }

    /** Sends one PDV (not flushed); {@code len} must not exceed {@link #maxPdvDataLength()}. */
    public void writePdv(int contextId, int messageControlHeader, byte[] b, int off, int len) throws IOException {
        if (len > maxPdvDataLength()) {
            throw new IllegalArgumentException("PDV of " + len + " bytes exceeds the peer's limit "
                    + maxPdvDataLength());
        }
        writer.writePdv(contextId, messageControlHeader, b, off, len);
    }

    public void flush() throws IOException {
        writer.flush();
    }

    /**
     * Requestor side: sends A-RELEASE-RQ and waits for A-RELEASE-RP (PS3.8 7.2), then closes. Data still arriving
     * meanwhile is discarded.
     */
    public void release() throws IOException {
        try {
            writer.write(new AReleaseRq());
            while (true) {
                Optional<Pdu> pdu = readPdu();
                if (pdu.isEmpty() || pdu.get() instanceof AReleaseRp) {
                    return;
                }
                if (pdu.get() instanceof AAbort a) {
                    throw new AssociationAbortedException("The peer " + this + " aborted instead of releasing", a);
                }
                if (pdu.get() instanceof AReleaseRq) {
                    writer.write(new AReleaseRp()); // release collision (PS3.8 7.2.2): answer and finish
                    return;
                }
            }
        } finally {
            close();
        }
    }

    /** Sends A-ABORT (best effort) and closes the connection once the peer had a chance to read it. */
    public void abort(AAbort abort) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.write(abort);
        } catch (IOException e) {
            Sockets.closeQuietly(socket); // the peer is gone already
            return;
        }
        Sockets.closeAfterLastPdu(socket);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the connection at once (no A-ABORT: use {@link #abort} or {@link #release} for that). */
    @Override
    public void close() {
        closed = true;
        Sockets.closeQuietly(socket);
    }
}
