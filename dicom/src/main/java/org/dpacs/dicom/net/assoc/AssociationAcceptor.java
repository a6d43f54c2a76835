package org.dpacs.dicom.net.assoc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.dpacs.dicom.io.FileMetaInformation;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.AAssociateAc;
import org.dpacs.dicom.net.pdu.AAssociateRj;
import org.dpacs.dicom.net.pdu.AAssociateRq;
import org.dpacs.dicom.net.pdu.Pdu;
import org.dpacs.dicom.net.pdu.PduException;
import org.dpacs.dicom.net.pdu.PduReader;
import org.dpacs.dicom.net.pdu.PduWriter;
import org.dpacs.dicom.net.pdu.PresentationContextAc;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.dicom.net.pdu.RoleSelection;
import org.dpacs.dicom.net.pdu.UserInformation;

/**
 * Accepts associations on a server socket (PS3.8 Sta2 to Sta6): waits at most the ARTIM timeout for the
 * A-ASSOCIATE-RQ, checks protocol version, application context, called and calling AE titles and the bound on
 * concurrent associations, negotiates the presentation contexts, answers A-ASSOCIATE-AC or -RJ, and hands the
 * association to an {@link AssociationHandler} on its own virtual thread.
 *
 * <p>Connections still negotiating are bounded too, so clients that connect and say nothing cannot exhaust
 * threads or sockets: beyond the bound a new connection is closed at once.
 */
public final class AssociationAcceptor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AssociationAcceptor.class.getName());

    private final ServerSocket server;
    private final AcceptorOptions options;
    private final AssociationHandler handler;
    private final Semaphore associations;
    private final Semaphore negotiating;
    private final Map<Socket, Thread> open = new ConcurrentHashMap<>();
    private final AtomicLong serial = new AtomicLong();
    private final Thread acceptLoop;
    private volatile boolean closed;

    private AssociationAcceptor(ServerSocket server, AcceptorOptions options, AssociationHandler handler) {
        this.server = server;
        this.options = options;
        this.handler = handler;
        this.associations = new Semaphore(options.maxAssociations());
        this.negotiating = new Semaphore(Math.max(16, options.maxAssociations()));
        this.acceptLoop = Thread.ofPlatform().daemon().name("dimse-accept-" + server.getLocalPort())
                .unstarted(this::acceptLoop);
    }

    /** Binds {@code address} (port 0: a free one) and starts accepting. */
    public static AssociationAcceptor start(InetSocketAddress address, AcceptorOptions options,
                                            AssociationHandler handler) throws IOException {
        return start(address, options, handler, javax.net.ServerSocketFactory.getDefault());
    }

    /**
     * As {@link #start(InetSocketAddress, AcceptorOptions, AssociationHandler)}, with sockets from {@code sockets}:
     * an {@code SSLServerSocketFactory} gives DICOM over TLS (PS3.15 B.1); the handshake happens on the
     * connection's first read, within the ARTIM timeout.
     */
    public static AssociationAcceptor start(InetSocketAddress address, AcceptorOptions options,
                                            AssociationHandler handler, javax.net.ServerSocketFactory sockets)
            throws IOException {
        ServerSocket server = sockets.createServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        AssociationAcceptor acceptor = new AssociationAcceptor(server, options, handler);
        acceptor.acceptLoop.start();
        return acceptor;
    }

    /** The port actually bound. */
    public int port() {
        return server.getLocalPort();
    }

    /** Associations being served right now. */
    public int activeAssociations() {
        return options.maxAssociations() - associations.availablePermits();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.ERROR, "Accepting DIMSE connections failed", e);
                }
                return;
            }
            if (!negotiating.tryAcquire()) {
                LOG.log(Level.WARNING, "Closing connection from {0}: too many connections negotiating at once",
                        socket.getRemoteSocketAddress());
                Sockets.closeQuietly(socket);
                continue;
            }
            Thread t = Thread.ofVirtual().name("dimse-" + serial.incrementAndGet()).unstarted(() -> connection(socket));
            open.put(socket, t);
            t.start();
        }
    }

    private void connection(Socket socket) {
        boolean negotiatingHeld = true;
        boolean answered = false; // an A-ASSOCIATE-RJ or A-ABORT may be on its way: let the peer read it
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) options.artimTimeout().toMillis());
            PduReader reader = new PduReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024),
                    options.maxPduLength());
            PduWriter writer = new PduWriter(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
            Optional<AAssociateRq> rq = readRequest(socket, reader, writer);
            answered = true;
            if (rq.isEmpty()) {
                return;
            }
            Optional<AAssociateRj> rejection = check(rq.get());
            if (rejection.isPresent()) {
                writer.write(rejection.get());
                LOG.log(Level.INFO, "Rejected association from {0}@{1}: {2}", rq.get().callingAeTitle(),
                        address(socket), rejection.get().describe());
                return;
            }
            if (!associations.tryAcquire()) {
                writer.write(AAssociateRj.localLimitExceeded());
                LOG.log(Level.WARNING, "Rejected association from {0}@{1}: {2} associations already open",
                        rq.get().callingAeTitle(), address(socket), String.valueOf(options.maxAssociations()));
                return;
            }
            negotiating.release();
            negotiatingHeld = false;
            answered = false; // the association closes itself (release or abort)
            try {
                serve(socket, reader, writer, rq.get());
            } finally {
                associations.release();
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(Level.INFO, "Connection from {0} ended: {1}", address(socket), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Association from " + address(socket) + " failed", e);
        } finally {
            if (negotiatingHeld) {
                negotiating.release();
            }
            open.remove(socket);
            if (answered && !closed) {
                Sockets.closeAfterLastPdu(socket);
            } else {
                Sockets.closeQuietly(socket);
            }
        }
    }

    /** PS3.8 Sta2: the first PDU must be an A-ASSOCIATE-RQ, within ARTIM. */
    private Optional<AAssociateRq> readRequest(Socket socket, PduReader reader, PduWriter writer) throws IOException {
        Optional<Pdu> first;
        try {
            first = reader.read();
        } catch (SocketTimeoutException e) {
            // PS3.8 Table 9-10 AA-2: ARTIM expired in Sta2, close the transport connection.
            LOG.log(Level.INFO, "Closing connection from {0}: no A-ASSOCIATE-RQ within {1} ms (ARTIM)",
                    address(socket), String.valueOf(options.artimTimeout().toMillis()));
            return Optional.empty();
        } catch (PduException e) {
            writer.write(AAbort.provider(e.abortReason()));
            LOG.log(Level.INFO, "Aborted connection from {0}: {1}", address(socket), e.getMessage());
            return Optional.empty();
        }
        if (first.isEmpty()) {
            return Optional.empty();
        }
        if (!(first.get() instanceof AAssociateRq rq)) {
            writer.write(AAbort.provider(AAbort.UNEXPECTED_PDU));
            LOG.log(Level.INFO, "Aborted connection from {0}: it opened with {1} instead of an A-ASSOCIATE-RQ",
                    address(socket), first.get().getClass().getSimpleName());
            return Optional.empty();
        }
        return Optional.of(rq);
    }

    private Optional<AAssociateRj> check(AAssociateRq rq) {
        if ((rq.protocolVersion() & 1) == 0) {
            return Optional.of(AAssociateRj.protocolVersionNotSupported());
        }
        if (!AAssociateRq.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContextName())) {
            return Optional.of(AAssociateRj.applicationContextNameNotSupported());
        }
        if (!options.aeTitle().equals(rq.calledAeTitle())) {
            return Optional.of(AAssociateRj.calledAeTitleNotRecognized());
        }
        if (!options.callingAeTitles().isEmpty() && !options.callingAeTitles().contains(rq.callingAeTitle())) {
            return Optional.of(AAssociateRj.callingAeTitleNotRecognized());
        }
        return Optional.empty();
    }

    private void serve(Socket socket, PduReader reader, PduWriter writer, AAssociateRq rq) throws IOException {
        AAssociateAc ac = negotiate(rq);
        writer.write(ac);
        Association association = new Association(socket, reader, writer, rq, ac, false);
        association.setReadTimeout(options.idleTimeout());
        long accepted = ac.presentationContexts().stream().filter(PresentationContextAc::isAccepted).count();
        LOG.log(Level.INFO, "Accepted association from {0}: {1} of {2} presentation contexts", association,
                String.valueOf(accepted), String.valueOf(rq.presentationContexts().size()));
        try {
            handler.serve(association);
        } catch (SocketTimeoutException e) {
            LOG.log(Level.INFO, "Aborted association from {0}: silent for {1} ms", association,
                    String.valueOf(options.idleTimeout().toMillis()));
        } finally {
            if (!association.isClosed()) {
                association.abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
            }
        }
    }

    private AAssociateAc negotiate(AAssociateRq rq) {
        List<PresentationContextAc> answers = new ArrayList<>();
        for (PresentationContextRq pc : rq.presentationContexts()) {
            answers.add(options.capabilities().negotiate(pc));
        }
        // PS3.7 D.3.3.4: the requestor may act as SCU as proposed, and as SCP (it receives the C-STORE
        // sub-operations of a C-GET on this association) for the SOP classes we support, i.e. storage.
        List<RoleSelection> roles = rq.userInformation().roleSelections().stream()
                .map(r -> new RoleSelection(r.sopClassUid(), r.scuRole(),
                        r.scpRole() && options.capabilities().supports(r.sopClassUid()))).toList();
        UserInformation user = UserInformation.of(options.maxPduLength(), FileMetaInformation.IMPLEMENTATION_CLASS_UID,
                FileMetaInformation.IMPLEMENTATION_VERSION_NAME).withRoleSelections(roles);
        return new AAssociateAc(rq.protocolVersion() & 1, rq.calledAeTitle(), rq.callingAeTitle(),
                rq.applicationContextName(), answers, user);
    }

    private static String address(Socket socket) {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /**
     * Stops accepting, ends every connection's input (a request being processed still gets its response) and
     * waits up to {@code grace} for the handlers to return; connections still open then are closed hard.
     */
    public void close(Duration grace) {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // nothing more to do
        }
        for (Socket s : open.keySet()) {
            try {
                s.shutdownInput(); // a blocked reader sees the end of input and its association ends
            } catch (IOException e) {
                Sockets.closeQuietly(s);
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            acceptLoop.join(Math.max(1, grace.toMillis()));
            for (Thread t : open.values()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.keySet().forEach(Sockets::closeQuietly);
    }

    /** {@link #close(Duration)} with 10 seconds of grace. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
