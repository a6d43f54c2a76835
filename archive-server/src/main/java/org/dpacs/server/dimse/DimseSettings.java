package org.dpacs.server.dimse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DIMSE settings beyond port and AE title (which are in {@code Config} itself); docs/configuration.md lists the
 * keys.
 *
 * @param host                    the address the DIMSE port binds ({@code dpacs.dimse.host}, default: the HTTP host)
 * @param callingAeTitles         AE titles allowed to call us; empty admits any ({@code dpacs.dimse.calling.ae.titles})
 * @param maxAssociations         associations served at once ({@code dpacs.dimse.max.associations})
 * @param acceptUnknownSopClasses accept storage of SOP classes the registry does not know, i.e. private ones
 *                                ({@code dpacs.dimse.accept.unknown.sop.classes})
 * @param artimTimeout            time a new connection has to send its A-ASSOCIATE-RQ
 * @param idleTimeout             silence after which an association is aborted
 * @param moveDestinations        the AE titles C-MOVE may send to, with host and port
 *                                ({@code dpacs.dimse.destinations}, {@code AE1=host:port,AE2=host:port})
 * @param tls                     the second, TLS port, when a key store is configured ({@code dpacs.dimse.tls.*})
 */
public record DimseSettings(String host, List<String> callingAeTitles, int maxAssociations,
                            boolean acceptUnknownSopClasses, Duration artimTimeout, Duration idleTimeout,
                            Map<String, MoveDestination> moveDestinations, Optional<DimseTls> tls) {

    public DimseSettings {
        callingAeTitles = List.copyOf(callingAeTitles);
        moveDestinations = Map.copyOf(moveDestinations);
    }

    /** No move destinations. */
    public DimseSettings(String host, List<String> callingAeTitles, int maxAssociations,
                         boolean acceptUnknownSopClasses, Duration artimTimeout, Duration idleTimeout) {
        this(host, callingAeTitles, maxAssociations, acceptUnknownSopClasses, artimTimeout, idleTimeout, Map.of(),
                Optional.empty());
    }
}
