package org.dpacs.server.index;

import java.util.Objects;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.server.catalog.InstanceRecord;

/**
 * One instance to index: its catalog record and its header, the data set without pixel data (pixel data, when
 * the reader left it in place, is a {@link org.dpacs.dicom.data.BulkDataRef} or
 * {@link org.dpacs.dicom.data.Fragments} and becomes a BulkDataURI in the stored metadata).
 */
public record IndexedInstance(InstanceRecord record, Attributes header) {
    public IndexedInstance {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(header, "header");
    }
}
