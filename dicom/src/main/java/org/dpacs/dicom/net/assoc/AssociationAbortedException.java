package org.dpacs.dicom.net.assoc;

import java.io.IOException;
import org.dpacs.dicom.net.pdu.AAbort;

/** The peer sent an A-ABORT (or the association was aborted locally) while we were reading or writing. */
public final class AssociationAbortedException extends IOException {
    private final transient AAbort abort;

    public AssociationAbortedException(String message, AAbort abort) {
        super(message + " (A-ABORT source " + abort.source() + ", reason " + abort.reason() + ")");
        this.abort = abort;
    }

    public AAbort abort() {
        return abort;
    }
}
