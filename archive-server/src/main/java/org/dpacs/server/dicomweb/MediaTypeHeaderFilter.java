package org.dpacs.server.dicomweb;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Quotes the parameter values of Accept and Content-Type that RFC 7231 wants quoted, before Jersey reads them.
 * DICOMweb clients send {@code multipart/related; type=application/octet-stream; transfer-syntax=*} (OHIF's
 * cornerstone loader, dcm4che's stowrs), where the '/' in the unquoted value is not a token character; Jersey's
 * strict parser then answers 400 before any resource is chosen. The rewritten header means the same, quoted:
 * {@code type="application/octet-stream"}. Ranges that do not parse at all are left as they are.
 *
 * <p>Register it with the application (it is a pre-matching request filter).
 */
@Provider
@PreMatching
public final class MediaTypeHeaderFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        rewrite(request, HttpHeaders.ACCEPT, true);
        rewrite(request, HttpHeaders.CONTENT_TYPE, false);
    }

    private static void rewrite(ContainerRequestContext request, String name, boolean list) {
        List<String> values = request.getHeaders().get(name);
        if (values == null || values.isEmpty()) {
            return;
        }
        List<String> fixed = values.stream().map(v -> list ? normalizeList(v) : normalize(v).orElse(v)).toList();
        if (!fixed.equals(values)) {
            request.getHeaders().put(name, fixed);
        }
    }

    /** Every range of a list header, each re-written when it parses. */
    static String normalizeList(String header) {
        return MediaRange.split(header, ',').stream().filter(s -> !s.isEmpty())
                .map(range -> normalize(range).orElse(range)).collect(Collectors.joining(", "));
    }

    /** One media type with its parameters (q included) in quoted form; empty when it does not parse. */
    static Optional<String> normalize(String value) {
        return MediaRange.parse(value).map(MediaRange::toString);
    }
}
