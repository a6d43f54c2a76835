package org.dpacs.dicom.json;

import org.dpacs.dicom.data.Vr;

/**
 * Names the BulkDataURI (PS3.18 F.2.6) of a value the writers leave out of the document, e.g. a WADO-RS bulk data
 * URL built from the instance's UIDs and the path.
 */
@FunctionalInterface
public interface BulkDataUriFunction {

    /** Used when no function was configured; bulk data in {@link JsonOptions.BulkDataMode#URI} mode needs one. */
    BulkDataUriFunction NONE = (path, vr, value) -> {
        throw new IllegalStateException("No BulkDataUriFunction configured for " + path);
    };

    /**
     * The URI for the value of the attribute at {@code path}.
     *
     * @param value the value as the data set holds it: {@code byte[]} (little endian),
     *              {@link org.dpacs.dicom.data.BulkDataRef} or {@link org.dpacs.dicom.data.Fragments}
     * @return a URI, never null
     */
    String uri(TagPath path, Vr vr, Object value);
}
