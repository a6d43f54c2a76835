package org.dpacs.server.dimse;

import org.dpacs.dicom.net.dimse.DimseHandler;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseResult;

/** Verification (PS3.4 Annex A): C-ECHO answers success whenever the archive is up and accepting associations. */
final class CEchoScp implements DimseHandler {

    @Override
    public DimseResult handle(DimseRequest request) {
        return DimseResult.success();
    }
}
