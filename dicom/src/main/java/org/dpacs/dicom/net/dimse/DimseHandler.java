package org.dpacs.dicom.net.dimse;

import java.io.IOException;

/**
 * Serves one kind of DIMSE request and returns the final status; the {@link DimseDispatcher} sends the response.
 * A handler reads the data set from {@link DimseRequest#dataset()} if it wants it; whatever it leaves is skipped.
 * A thrown exception becomes a 0110 processing failure (unless the association itself failed).
 */
@FunctionalInterface
public interface DimseHandler {
    DimseResult handle(DimseRequest request) throws IOException;
}
