package org.dpacs.dicom.net.assoc;

import java.time.Duration;
import java.util.Set;

/**
 * How an {@link AssociationAcceptor} admits associations.
 *
 * @param aeTitle          our AE title; a request calling another one is rejected (called-AE-title-not-recognized)
 * @param callingAeTitles  AE titles allowed to call us; empty admits any (else calling-AE-title-not-recognized)
 * @param capabilities     the abstract and transfer syntaxes we accept
 * @param maxAssociations  associations served at once; one more is rejected as transient, local-limit-exceeded
 * @param maxPduLength     the largest P-DATA-TF we receive, announced in the A-ASSOCIATE-AC (PS3.8 D.1)
 * @param artimTimeout     how long a new connection may take to send its A-ASSOCIATE-RQ (PS3.8 9.1.5, ARTIM)
 * @param idleTimeout      how long an established association may stay silent before we abort it
 */
public record AcceptorOptions(String aeTitle, Set<String> callingAeTitles, TransferCapabilities capabilities,
                              int maxAssociations, int maxPduLength, Duration artimTimeout, Duration idleTimeout) {
    /** dcmtk's largest, so dcmtk peers can send PDUs as large as they go. */
    public static final int DEFAULT_MAX_PDU_LENGTH = 131072;

    public AcceptorOptions {
        if (aeTitle == null || aeTitle.isBlank() || aeTitle.strip().length() > 16) {
            throw new IllegalArgumentException("AE title must be 1 to 16 characters, got '" + aeTitle + "'");
        }
        aeTitle = aeTitle.strip();
        callingAeTitles = Set.copyOf(callingAeTitles.stream().map(String::strip).toList());
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations must be at least 1, got " + maxAssociations);
        }
        if (maxPduLength < 4096 || maxPduLength > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxPduLength must be 4096..16777216, got " + maxPduLength);
        }
        if (artimTimeout.isNegative() || artimTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("artimTimeout must be positive and idleTimeout not negative");
        }
    }

    /** Our AE title, any caller, 32 associations, 128 KiB PDUs, ARTIM 10 s, idle 60 s. */
    public static AcceptorOptions of(String aeTitle, TransferCapabilities capabilities) {
        return new AcceptorOptions(aeTitle, Set.of(), capabilities, 32, DEFAULT_MAX_PDU_LENGTH,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public AcceptorOptions withCallingAeTitles(Set<String> titles) {
        return new AcceptorOptions(aeTitle, titles, capabilities, maxAssociations, maxPduLength, artimTimeout,
                idleTimeout);
    }

    public AcceptorOptions withMaxAssociations(int max) {
        return new AcceptorOptions(aeTitle, callingAeTitles, capabilities, max, maxPduLength, artimTimeout,
                idleTimeout);
    }

    public AcceptorOptions withTimeouts(Duration artim, Duration idle) {
        return new AcceptorOptions(aeTitle, callingAeTitles, capabilities, maxAssociations, maxPduLength, artim,
                idle);
    }
}
