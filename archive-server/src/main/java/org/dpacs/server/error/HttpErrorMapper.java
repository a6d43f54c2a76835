package org.dpacs.server.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one map from exceptions to HTTP responses. {@link DpacsException} carries its status in its kind;
 * JAX-RS's own exceptions keep theirs (404 for an unknown path, 405...); anything else is our bug or an I/O
 * failure and becomes a 500 with a generic message and a log line, never a 400.
 */
@Provider
public final class HttpErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof DpacsException d) {
            if (d.kind() == FailureKind.PROCESSING_FAILURE) {
                LOG.error("Request failed: {}", d.getMessage(), d);
            }
            Response r = text(d.kind().httpStatus(), d.getMessage());
            if (d.kind() == FailureKind.UNAUTHENTICATED) {
                return Response.fromResponse(r).header("WWW-Authenticate", "Basic realm=\"dPACS\", charset=\"UTF-8\"")
                        .build();
            }
            return r;
        }
        if (e instanceof WebApplicationException w) {
            Response r = w.getResponse();
            String message = r.getStatus() == 404 ? "No such resource; see docs/dicomweb.md for the paths dPACS serves"
                    : r.getStatus() == 405 ? "Method not allowed on this resource" : w.getMessage();
            return text(r.getStatus(), message);
        }
        LOG.error("Unexpected failure", e);
        return text(500, "Internal error; the server log has the details");
    }

    private static Response text(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .header("Warning", "299 dPACS: \"" + message.replace("\"", "'") + "\"")
                .entity(message + "\n").build();
    }
}
