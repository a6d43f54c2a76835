package org.dpacs.server.dimse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.net.assoc.AcceptorOptions;
import org.dpacs.dicom.net.assoc.AssociationAcceptor;
import org.dpacs.dicom.net.assoc.TransferCapabilities;
import org.dpacs.dicom.net.dimse.CommandField;
import org.dpacs.dicom.net.dimse.DimseDispatcher;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DIMSE side of the archive: accepts associations on {@code dpacs.dimse.port} as {@code dpacs.ae.title} and
 * serves Verification (C-ECHO), every storage SOP class (C-STORE into the ingest pipeline) and Query/Retrieve of
 * the Patient Root and Study Root models (C-FIND on the search index, C-GET and C-MOVE from the object store).
 * docs/dimse.md is its conformance summary.
 */
public final class DimseServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DimseServer.class);

    private final AssociationAcceptor acceptor;
    private final AssociationAcceptor tlsAcceptor;

    private DimseServer(AssociationAcceptor acceptor, AssociationAcceptor tlsAcceptor) {
        this.acceptor = acceptor;
        this.tlsAcceptor = tlsAcceptor;
    }

    /**
     * Binds {@code dpacs.dimse.port} (0: a free one, see {@link #port()}) and starts accepting, with the AE title of
     * the configuration and {@code settings} ({@code Config.dimse()}).
     */
    public static DimseServer start(Services services, DimseSettings settings) throws IOException {
        Config config = services.config();
        AcceptorOptions options = new AcceptorOptions(config.aeTitle(), Set.copyOf(settings.callingAeTitles()),
                capabilities(settings), settings.maxAssociations(), AcceptorOptions.DEFAULT_MAX_PDU_LENGTH,
                settings.artimTimeout(), settings.idleTimeout());
        RetrieveScope scope = new RetrieveScope(services.catalog(), services.index(), config.qidoMaxLimit());
        Suboperations suboperations = new Suboperations(new InstanceSender(services.store()));
        DimseDispatcher dispatcher = DimseDispatcher.builder()
                .on(CommandField.C_ECHO_RQ, new CEchoScp())
                .on(CommandField.C_STORE_RQ, new CStoreScp(services.ingest()::ingest))
                .on(CommandField.C_FIND_RQ, new CFindScp(services.index(), config.aeTitle(), config.qidoMaxLimit()))
                .on(CommandField.C_GET_RQ, new CGetScp(scope, suboperations))
                .on(CommandField.C_MOVE_RQ, new CMoveScp(scope, suboperations, config.aeTitle(),
                        settings.moveDestinations()))
                .build();
        InetSocketAddress address = new InetSocketAddress(settings.host(), config.dimsePort());
        AssociationAcceptor acceptor;
        try {
            acceptor = AssociationAcceptor.start(address, options, dispatcher);
        } catch (java.net.BindException e) {
            throw new IOException("Cannot listen for DIMSE on " + settings.host() + ":" + config.dimsePort() + " ("
                    + e.getMessage() + "); stop what uses the port or set DPACS_DIMSE_PORT to another one", e);
        }
        LOG.info("DIMSE listening on {}:{} as AE title {}", settings.host(), acceptor.port(), config.aeTitle());
        AssociationAcceptor tls = null;
        if (settings.tls().isPresent()) {
            DimseTls t = settings.tls().get();
            try {
                tls = AssociationAcceptor.start(new InetSocketAddress(settings.host(), t.port()), options, dispatcher,
                        t.serverSocketFactory());
            } catch (java.net.BindException e) {
                acceptor.close();
                throw new IOException("Cannot listen for DICOM over TLS on " + settings.host() + ":" + t.port() + " ("
                        + e.getMessage() + "); stop what uses the port or set DPACS_DIMSE_TLS_PORT", e);
            } catch (IOException | RuntimeException e) {
                acceptor.close();
                throw e;
            }
            LOG.info("DIMSE over TLS listening on {}:{} (key store {})", settings.host(), tls.port(), t.keyStore());
        }
        return new DimseServer(acceptor, tls);
    }

    /**
     * Verification and Query/Retrieve (FIND, MOVE, GET of Patient Root and Study Root) in the three uncompressed
     * syntaxes; storage in every transfer syntax the toolkit reads (objects are stored as they arrive, compressed
     * ones included).
     */
    static TransferCapabilities capabilities(DimseSettings settings) {
        TransferCapabilities.Builder b = TransferCapabilities.builder()
                .add(TransferCapabilities.VERIFICATION, TransferCapabilities.NATIVE::contains);
        for (QueryModel model : QueryModel.values()) {
            b.addAll(model.sopClasses(), TransferCapabilities.NATIVE::contains);
        }
        b.addAll(TransferCapabilities.storageSopClasses(), TransferSyntax::isKnown);
        if (settings.acceptUnknownSopClasses()) {
            b.acceptUnknownAbstractSyntaxes(TransferSyntax::isKnown);
        }
        return b.build();
    }

    /** The port actually bound. */
    public int port() {
        return acceptor.port();
    }

    /** The TLS port actually bound, when TLS is configured. */
    public java.util.OptionalInt tlsPort() {
        return tlsAcceptor == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(tlsAcceptor.port());
    }

    /** Stops accepting; associations in progress get up to 10 seconds to finish the request they are on. */
    @Override
    public void close() {
        if (tlsAcceptor != null) {
            tlsAcceptor.close();
        }
        acceptor.close();
    }
}
