package org.dpacs.server.dimse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where C-MOVE may send (PS3.4 C.4.2): a known AE title's host and port, from {@code dpacs.dimse.destinations}.
 */
public record MoveDestination(String host, int port) {

    public MoveDestination {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("A move destination needs a host and a port 1..65535, got " + host
                    + ":" + port);
        }
    }

    /**
     * Parses {@code AE1=host:port,AE2=host:port}; AE titles are case-sensitive and at most 16 characters.
     *
     * @throws IllegalArgumentException naming the entry that is not of that form
     */
    public static Map<String, MoveDestination> parse(String list) {
        Map<String, MoveDestination> out = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            int colon = e.lastIndexOf(':');
            if (eq < 1 || colon < eq + 2 || colon == e.length() - 1) {
                throw new IllegalArgumentException("dpacs.dimse.destinations: '" + e + "' is not AE=host:port");
            }
            String ae = e.substring(0, eq).strip();
            if (ae.length() > 16) {
                throw new IllegalArgumentException("dpacs.dimse.destinations: AE title '" + ae
                        + "' is longer than 16 characters");
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1).strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("dpacs.dimse.destinations: '" + e + "' has no numeric port");
            }
            out.put(ae, new MoveDestination(e.substring(eq + 1, colon).strip(), port));
        }
        return Map.copyOf(out);
    }
}
