package org.dpacs.server.dimse;

import java.time.Duration;
import java.util.List;

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
 */
public record DimseSettings(String host, List<String> callingAeTitles, int maxAssociations,
                            boolean acceptUnknownSopClasses, Duration artimTimeout, Duration idleTimeout) {

    public DimseSettings {
        callingAeTitles = List.copyOf(callingAeTitles);
    }
}
