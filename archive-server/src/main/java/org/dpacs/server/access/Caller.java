package org.dpacs.server.access;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;

/** An authenticated HTTP caller. */
public record Caller(String name, Role role) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    /** The authenticated caller of a request, if it sent credentials. */
    public static Optional<Caller> of(SecurityContext context) {
        return context != null && context.getUserPrincipal() instanceof Caller c ? Optional.of(c) : Optional.empty();
    }

    /** The caller, who must be an administrator: 401 without credentials, 403 for another role. */
    public static Caller requireAdmin(SecurityContext context) {
        Caller c = of(context).orElseThrow(() -> new DpacsException(FailureKind.UNAUTHENTICATED,
                "This resource is for administrators: send HTTP Basic credentials of a user with role admin "
                        + "(created by 'scripts/run user add NAME admin')"));
        if (c.role() != Role.ADMIN) {
            throw new DpacsException(FailureKind.FORBIDDEN, "User " + c.name() + " has role " + c.role().configName()
                    + "; this resource is for administrators");
        }
        return c;
    }
}
