package org.dpacs.server.app;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * CORS for browser viewers served from another origin (OHIF): answers preflight requests and adds the
 * allow headers for the configured origins ({@code dpacs.cors.origins}, "*" by default).
 */
@PreMatching
final class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private final List<String> origins;

    CorsFilter(List<String> origins) {
        this.origins = origins;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if ("OPTIONS".equals(request.getMethod()) && request.getHeaderString("Origin") != null) {
            request.abortWith(Response.noContent().build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || origins.isEmpty()) {
            return;
        }
        boolean any = origins.contains("*");
        if (!any && !origins.contains(origin)) {
            return;
        }
        var h = response.getHeaders();
        h.putSingle("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) {
            h.putSingle("Vary", "Origin");
        }
        h.putSingle("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        String asked = request.getHeaderString("Access-Control-Request-Headers");
        h.putSingle("Access-Control-Allow-Headers", asked != null ? asked : "Accept, Content-Type, Authorization");
        h.putSingle("Access-Control-Expose-Headers", "Warning, Content-Location, ETag, Location");
        h.putSingle("Access-Control-Max-Age", "3600");
    }
}
