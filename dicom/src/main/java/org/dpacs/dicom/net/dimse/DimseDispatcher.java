package org.dpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationHandler;

/**
 * Serves an association as a DIMSE SCP: reads each request, passes it to the {@link DimseHandler} registered for
 * its command field, and sends the response with the status the handler returns. C-ECHO is answered with success
 * unless a handler is registered for it. A handler's exception becomes 0110 (processing failure) with a generic
 * comment; failures of the association itself end it.
 *
 * <pre>{@code
 * DimseDispatcher scp = DimseDispatcher.builder().on(CommandField.C_STORE_RQ, storeHandler).build();
 * AssociationAcceptor.start(address, options, scp);
 * }</pre>
 */
public final class DimseDispatcher implements AssociationHandler {
    private static final System.Logger LOG = System.getLogger(DimseDispatcher.class.getName());

    private final Map<CommandField, DimseHandler> handlers;

    private DimseDispatcher(Map<CommandField, DimseHandler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void serve(Association association) throws IOException {
        DimseReader reader = new DimseReader(association);
        while (true) {
            Optional<DimseReader.Message> message = reader.next();
            if (message.isEmpty()) {
                return; // released (answered) or closed by the peer
            }
            handle(association, message.get());
        }
    }

    private void handle(Association association, DimseReader.Message m) throws IOException {
        Command rq = m.command();
        Optional<CommandField> field = rq.field();
        if (field.isPresent() && field.get() == CommandField.C_CANCEL_RQ) {
            m.dataset().close();
            return; // too late: its operation is answered (long ones poll DimseRequest.cancelRequested); no response
        }
        if (field.isEmpty() || !field.get().isRequest()) {
            m.dataset().close();
            LOG.log(Level.INFO, "Ignored {0} from {1}: not a request we answer", rq, association);
            return;
        }
        DimseResult result = dispatch(association, m, field.get());
        if (result instanceof DimseResult.Detailed d) {
            DimseRequest.sendResponse(new DimseRequest(association, m.context(), rq, InputStream.nullInputStream()),
                    d.status(), d.comment(), d.commandFields(), d.identifier());
        } else {
            Command rsp = Command.response(rq, m.context().abstractSyntax(), result.status(), result.comment());
            DimseWriter.command(association, m.context().id(), rsp);
        }
        if (result.status() != DimseStatus.SUCCESS && result.status() != DimseStatus.CANCEL) {
            LOG.log(Level.INFO, "{0} from {1} answered {2}: {3}", rq, association,
                    DimseStatus.toHex(result.status()), result.comment().orElse(""));
        }
    }

    private DimseResult dispatch(Association association, DimseReader.Message m, CommandField field)
            throws IOException {
        Command rq = m.command();
        DimseHandler handler = handlers.get(field);
        try (InputStream dataset = m.dataset()) {
            if (handler == null && field == CommandField.C_ECHO_RQ) {
                return DimseResult.success();
            }
            if (handler == null) {
                return new DimseResult.Failure(DimseStatus.UNRECOGNIZED_OPERATION, field + " is not supported");
            }
            Optional<String> sopClass = rq.affectedSopClassUid();
            if (sopClass.isPresent() && !sopClass.get().equals(m.context().abstractSyntax())) {
                return new DimseResult.Failure(DimseStatus.SOP_CLASS_NOT_SUPPORTED, "Affected SOP Class "
                        + sopClass.get() + " differs from the presentation context's " + m.context().abstractSyntax());
            }
            return handler.handle(new DimseRequest(association, m.context(), rq, dataset));
        } catch (IOException e) {
            if (association.isClosed()) {
                throw e; // the association failed (abort, timeout, protocol error): nothing to answer on
            }
            LOG.log(Level.WARNING, "Handling " + rq + " from " + association + " failed", e);
            return new DimseResult.Failure(DimseStatus.PROCESSING_FAILURE, "Processing failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Handling " + rq + " from " + association + " failed", e);
            return new DimseResult.Failure(DimseStatus.PROCESSING_FAILURE, "Processing failed; see the server log");
        }
    }

    public static final class Builder {
        private final Map<CommandField, DimseHandler> handlers = new EnumMap<>(CommandField.class);

        /** Serves {@code request} (a request command field, e.g. C-STORE-RQ) with {@code handler}. */
        public Builder on(CommandField request, DimseHandler handler) {
            if (!request.isRequest()) {
                throw new IllegalArgumentException(request + " is not a request");
            }
            handlers.put(request, handler);
            return this;
        }

        public DimseDispatcher build() {
            return new DimseDispatcher(handlers);
        }
    }
}
