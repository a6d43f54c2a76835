package org.dpacs.server.ingest;

import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.catalog.QuarantineRecord;
import org.dpacs.server.error.FailureKind;

/** What became of one arriving object; every protocol turns this into its own response. */
public sealed interface IngestResult {

    /**
     * Durable and in the catalog. {@code warnings} are coercions and oddities to report (WarningReason);
     * {@code original} holds the top-level attributes de-identification removed or replaced, as they arrived.
     */
    record Stored(InstanceRecord record, Attributes header, List<String> warnings, Attributes original)
            implements IngestResult {
        public Stored(InstanceRecord record, Attributes header, List<String> warnings) {
            this(record, header, warnings, Attributes.EMPTY);
        }
    }

    /**
     * Durable but held in quarantine, unpublished until an administrator releases it; {@code warnings} say why
     * and what was coerced, {@code original} as for {@link Stored}.
     */
    record Quarantined(QuarantineRecord record, List<String> warnings, Attributes original) implements IngestResult {
    }

    /** The same object was already stored under this SOP Instance UID: nothing changed (idempotent re-send). */
    record Duplicate(InstanceRecord record, Attributes original) implements IngestResult {
        public Duplicate(InstanceRecord record) {
            this(record, Attributes.EMPTY);
        }

        /** The warning a de-identified re-send is answered with, as its first arrival was (B000); fits LO. */
        public static final String DEIDENTIFIED_AGAIN =
                "De-identified on arrival; the same instance is already stored";

        /** Whether this arrival was de-identified (and so coerced) before it was found to be a re-send. */
        public boolean deidentified() {
            return !original.isEmpty();
        }
    }

    /**
     * Not stored. {@code failureReason} is the PS3.18 / PS3.4 status code for FailureReason (0000,1102)
     * or the DIMSE status; UIDs are given when the object was readable far enough to have them.
     */
    record Rejected(FailureKind kind, int failureReason, String message, Optional<String> sopClassUid,
                    Optional<String> sopInstanceUid) implements IngestResult {
    }
}
