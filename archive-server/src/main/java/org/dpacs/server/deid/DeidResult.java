package org.dpacs.server.deid;

import java.util.List;
import org.dpacs.dicom.data.Attributes;

/** What de-identification made of one header: the header to store, or a refusal to store the instance. */
public sealed interface DeidResult {

    /** Store {@code attributes}; {@code warnings} say what was coerced (reported as Warning Reason B000). */
    record Deidentified(Attributes attributes, List<String> warnings) implements DeidResult {
        public Deidentified {
            warnings = List.copyOf(warnings);
        }
    }

    /** Do not store the instance, for {@code reason} (e.g. burned-in annotation under the reject policy). */
    record Refused(String reason) implements DeidResult {
    }
}
