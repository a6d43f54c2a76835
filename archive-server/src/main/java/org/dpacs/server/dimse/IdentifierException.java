package org.dpacs.server.dimse;

import org.dpacs.dicom.net.dimse.DimseResult;

/** A C-FIND, C-MOVE or C-GET identifier the request cannot be served with, and the failure status that says so. */
final class IdentifierException extends RuntimeException {
    private final int status;

    IdentifierException(int status, String message) {
        super(message);
        this.status = status;
    }

    DimseResult.Failure toResult() {
        return new DimseResult.Failure(status, getMessage());
    }
}
