package org.dpacs.server.deid;

import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;

/** What de-identification made of one header: the header to store, or a refusal to store the instance. */
public sealed interface DeidResult {

    /**
     * Store {@code attributes}; {@code warnings} say what was coerced (reported as Warning Reason B000);
     * {@code original} holds the top-level attributes removed or replaced, with their values as they arrived
     * (for the sender only: the Original Attributes Sequence of the STOW-RS response, never stored);
     * {@code hold} is the reason to keep the instance in quarantine instead of publishing it.
     */
    record Deidentified(Attributes attributes, List<String> warnings, Attributes original, Optional<String> hold)
            implements DeidResult {
        public Deidentified {
            warnings = List.copyOf(warnings);
        }

        /** Stored as it arrived: nothing coerced, nothing held. */
        public static Deidentified unchanged(Attributes attributes) {
            return new Deidentified(attributes, List.of(), Attributes.EMPTY, Optional.empty());
        }
    }

    /** Do not store the instance, for {@code reason} (e.g. burned-in annotation under the reject policy). */
    record Refused(String reason) implements DeidResult {
    }
}
