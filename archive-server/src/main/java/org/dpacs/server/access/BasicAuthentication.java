package org.dpacs.server.access;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;

/**
 * HTTP Basic authentication (RFC 7617) against the {@link UserStore}. A request with credentials gets its
 * {@link Caller} as the security context's principal, or 401 when they are wrong (503 when too many password
 * checks are already running, see {@link UserStore#authenticate}); a request without them stays anonymous,
 * which DICOMweb still allows (who may see which study is the access layer's job), while administrators'
 * resources require a {@link Caller} with {@link Role#ADMIN}.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BasicAuthentication implements ContainerRequestFilter {
    private final UserStore users;

    public BasicAuthentication(UserStore users) {
        this.users = users;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6) || users.isEmpty()) {
            // Anonymous, a scheme we do not know, or no users at all (then credentials, perhaps a proxy's own,
            // cannot name anyone here): the resource decides whether anonymous is enough.
            return;
        }
        Optional<Caller> caller = decode(header.substring(6).strip()).flatMap(pair -> users
                .authenticate(pair[0], pair[1]).map(u -> new Caller(u.name(), u.role())));
        if (caller.isEmpty()) {
            throw new DpacsException(FailureKind.UNAUTHENTICATED, "Wrong user name or password (HTTP Basic)");
        }
        SecurityContext before = request.getSecurityContext();
        boolean secure = before != null && before.isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller.get();
            }

            @Override
            public boolean isUserInRole(String role) {
                return caller.get().role().configName().equals(role.toLowerCase(Locale.ROOT));
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return SecurityContext.BASIC_AUTH;
            }
        });
    }

    private static Optional<String[]> decode(String token) {
        try {
            String s = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[]{s.substring(0, colon), s.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
