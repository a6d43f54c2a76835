package org.dpacs.server.deid;

import java.util.Locale;
import java.util.Set;

/**
 * What to do with an instance that may carry identifying text in its pixels, which the attribute-level profile
 * cannot remove: Burned In Annotation (0028,0301) = YES, or a SOP class known for burned-in text (secondary
 * capture, ultrasound) that does not say Burned In Annotation = NO.
 */
public enum BurnedInPolicy {
    /** Refuse to store it (the sender gets a failure saying why). */
    REJECT,
    /** Store it and say so in the response (STOW-RS Warning Reason B000, a DIMSE warning status). */
    ACCEPT_WITH_WARNING,
    /**
     * Store it durably but unpublished (not indexed, not retrievable) until an administrator looks at its
     * pixels and releases or deletes it; the sender gets a warning saying so.
     */
    QUARANTINE;

    /** Secondary Capture (PS3.4 A.8) and Ultrasound (A.6, A.7, and their retired forms) SOP classes. */
    static final Set<String> SUSPECT_SOP_CLASSES = Set.of(
            "1.2.840.10008.5.1.4.1.1.7",       // Secondary Capture Image
            "1.2.840.10008.5.1.4.1.1.7.1",     // Multi-frame Single Bit Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.2",     // Multi-frame Grayscale Byte Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.3",     // Multi-frame Grayscale Word Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.4",     // Multi-frame True Color Secondary Capture
            "1.2.840.10008.5.1.4.1.1.6",       // Ultrasound Image (retired)
            "1.2.840.10008.5.1.4.1.1.6.1",     // Ultrasound Image
            "1.2.840.10008.5.1.4.1.1.3",       // Ultrasound Multi-frame Image (retired)
            "1.2.840.10008.5.1.4.1.1.3.1");    // Ultrasound Multi-frame Image

    static BurnedInPolicy parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "reject" -> REJECT;
            case "accept-with-warning", "warn" -> ACCEPT_WITH_WARNING;
            case "quarantine" -> QUARANTINE;
            default -> throw new IllegalArgumentException("dpacs.deid.burned.in (DPACS_DEID_BURNED_IN) must be "
                    + "reject, quarantine or accept-with-warning, got '" + value + "'");
        };
    }
}
