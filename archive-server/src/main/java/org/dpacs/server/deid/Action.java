package org.dpacs.server.deid;

/**
 * The action codes of PS3.15 Table E.1-1. Compound codes ("X/Z/D": X unless Z or D is needed for the IOD's
 * Type 2 or Type 1) are resolved without knowing the IOD, to the alternative that keeps every IOD conformant:
 * Z/D, X/D and X/Z/D become D (a dummy value), X/Z becomes Z (empty), X/Z/U* becomes U (the sequence is kept,
 * cleaned, and the instance UIDs in it replaced). A dummy or empty value carries no more information than a
 * removed one, and a viewer or validator that needs a Type 1 or 2 attribute still finds it.
 */
enum Action {
    /** Replace with a non-zero length dummy value consistent with the VR. */
    D,
    /** Replace with a zero length value (or a dummy, as the pseudonyms of Patient ID and Name are). */
    Z,
    /** Remove. */
    X,
    /** Keep (sequences are still cleaned item by item). */
    K,
    /** Clean: replace with values of similar meaning known not to identify. */
    C,
    /** Replace the UID with a new one, consistently. */
    U;

    static Action resolve(String code) {
        return switch (code) {
            case "D", "Z/D", "X/D", "X/Z/D" -> D;
            case "Z", "X/Z" -> Z;
            case "X" -> X;
            case "K" -> K;
            case "C" -> C;
            case "U", "X/Z/U*" -> U;
            default -> throw new IllegalArgumentException("Unknown PS3.15 action code " + code);
        };
    }
}
