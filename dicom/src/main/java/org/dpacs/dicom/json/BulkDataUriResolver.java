package org.dpacs.dicom.json;

import java.io.IOException;
import org.dpacs.dicom.data.Vr;

/**
 * Turns a BulkDataURI met while reading DICOM JSON back into a value, e.g. the matching part of a STOW-RS
 * multipart request.
 */
@FunctionalInterface
public interface BulkDataUriResolver {

    /** Refuses every URI, for callers that expect self-contained JSON. */
    BulkDataUriResolver REJECT = (path, vr, uri) -> {
        throw new DicomJsonException("BulkDataURI '" + uri + "' cannot be resolved here (no BulkDataUriResolver)",
                -1, path.tag());
    };

    /**
     * The value for the attribute at {@code path}: a {@code byte[]} (little endian, as PS3.18 8.7.3.3.2 delivers
     * bulk data), a {@link org.dpacs.dicom.data.BulkDataRef} or a {@link org.dpacs.dicom.data.Fragments}; never null.
     */
    Object resolve(TagPath path, Vr vr, String uri) throws IOException;
}
