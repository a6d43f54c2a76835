package org.dpacs.server.access;

import java.util.Locale;
import java.util.Optional;

/** What a user may do beyond reading and storing: an administrator also reaches /api/admin. */
public enum Role {
    USER,
    ADMIN;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> byConfigName(String name) {
        for (Role r : values()) {
            if (r.configName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
