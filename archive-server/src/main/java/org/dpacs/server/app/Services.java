package org.dpacs.server.app;

import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.index.StudyIndex;
import org.dpacs.server.ingest.IngestPipeline;
import org.dpacs.server.ingest.Quarantine;
import org.dpacs.server.storage.ObjectStore;

/** The feature services a protocol adapter may call; built once by {@link DpacsServer}. */
public record Services(Config config, ObjectStore store, Catalog catalog, StudyIndex index, IngestPipeline ingest) {

    /** The instances held back by the burned-in annotation policy. */
    public Quarantine quarantine() {
        return new Quarantine(store, catalog, ingest);
    }
}
