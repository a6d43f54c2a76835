package org.dpacs.server.access;

import java.util.Optional;

/**
 * Where an arriving object came from: the description logs and the re-identification log show, and the
 * identities per-source policies are chosen by (the authenticated HTTP user, the DIMSE calling AE title).
 * {@code released} marks an instance an administrator let out of quarantine: it was de-identified when it
 * arrived and must not be de-identified twice.
 */
public record Origin(String description, Optional<String> user, Optional<String> callingAeTitle, boolean released) {

    /** An origin known only by its description (tests, tools). */
    public static Origin of(String description) {
        return new Origin(description, Optional.empty(), Optional.empty(), false);
    }

    /** A DICOMweb request by {@code user} (empty when the request was not authenticated). */
    public static Origin http(String service, Optional<String> user) {
        return new Origin(user.map(u -> service + " user " + u).orElse(service), user, Optional.empty(), false);
    }

    /** A DIMSE association from {@code callingAeTitle}; {@code association} describes it for logs. */
    public static Origin dimse(String callingAeTitle, String association) {
        return new Origin("DIMSE " + association, Optional.empty(), Optional.of(callingAeTitle), false);
    }

    /** An instance {@code admin} released from quarantine. */
    public static Origin releasedBy(String admin) {
        return new Origin("quarantine release by " + admin, Optional.of(admin), Optional.empty(), true);
    }

    @Override
    public String toString() {
        return description;
    }
}
