package org.dpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.OutputStream;
import org.dpacs.dicom.net.assoc.Association;

/** Writes DIMSE messages: the command set, then the data set as a stream of fragments (PS3.8 E.2). */
final class DimseWriter {
    private DimseWriter() {
    }

    /** Sends a command set; flushed, so a command without a data set is on its way when this returns. */
    static void command(Association association, int contextId, Command command) throws IOException {
        try (OutputStream out = new PdvOutputStream(association, contextId, true)) {
            out.write(command.encode());
        }
    }

    /** A stream for the data set that follows a command; closing it sends the last fragment and flushes. */
    static OutputStream dataset(Association association, int contextId) {
        return new PdvOutputStream(association, contextId, false);
    }
}
