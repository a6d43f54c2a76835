package org.dpacs.server.ingest;

import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.server.catalog.InstanceRecord;

/**
 * Told about each batch the group committer made durable, before the ingests are answered; the server wires
 * the search index here. A failure is logged and does not fail the ingest: the catalog is the truth and
 * derived data catches up from it.
 */
public interface CommitListener {

    /** One committed instance and its header (pixel data not included). */
    record Committed(InstanceRecord record, Attributes header) {
    }

    void committed(List<Committed> batch) throws Exception;

    /** Called about once a second when batches arrived since the last call, and at shutdown. */
    default void flush() throws Exception {
    }

    CommitListener NONE = batch -> {
    };
}
