package org.dpacs.server.ingest;

import java.io.InputStream;
import java.util.Optional;
import org.dpacs.server.access.Origin;

/**
 * One arriving object: a Part 10 stream (with or without preamble and File Meta Information), where it came
 * from (for logs and per-source de-identification policies), and the study it must belong to when the
 * protocol scoped it (STOW-RS POST /studies/{study}).
 */
public record IngestRequest(InputStream input, Origin source, Optional<String> expectedStudyInstanceUid) {

    public static IngestRequest of(InputStream input, String source) {
        return new IngestRequest(input, Origin.of(source), Optional.empty());
    }
}
