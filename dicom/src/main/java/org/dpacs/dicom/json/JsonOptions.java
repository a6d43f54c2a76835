package org.dpacs.dicom.json;

import java.util.Objects;
import org.dpacs.dicom.io.BulkDataResolver;

/**
 * How the DICOM JSON and Native DICOM Model XML writers treat bulk data, and whether they indent. The XML writer
 * takes the same record because PS3.18 F.3.1 maps the two models' bulk data one to one (InlineBinary to
 * InlineBinary, BulkDataURI to BulkData uri), so one server setting serves both.
 *
 * @param bulkDataMode  what to do with values that are large or not in memory
 * @param bulkThreshold in {@link BulkDataMode#URI} and {@link BulkDataMode#OMIT} mode, in-memory values longer than
 *                      this many bytes count as bulk data (only for the VRs PS3.18 F.2.2 lets carry a BulkDataURI)
 * @param uriFunction   names the BulkDataURI in {@link BulkDataMode#URI} mode
 * @param resolver      opens {@link org.dpacs.dicom.data.BulkDataRef} and unloaded fragments in
 *                      {@link BulkDataMode#INLINE} mode
 * @param pretty        indent the output
 */
public record JsonOptions(BulkDataMode bulkDataMode, int bulkThreshold, BulkDataUriFunction uriFunction,
                          BulkDataResolver resolver, boolean pretty) {

    /** Everything inline, values not in memory read through {@link BulkDataResolver#FILES}, compact. */
    public static final JsonOptions DEFAULT =
            new JsonOptions(BulkDataMode.INLINE, Integer.MAX_VALUE, BulkDataUriFunction.NONE, BulkDataResolver.FILES, false);

    /** What the writers do with bulk data. */
    public enum BulkDataMode {
        /** Every value is written: binary VRs as InlineBinary, others as Value, reading unloaded ones. */
        INLINE,
        /**
         * Values above the threshold, BulkDataRefs and encapsulated pixel data become BulkDataURI, for the VRs
         * PS3.18 F.2.2 allows one; values of other VRs (e.g. AT, UR) are always written inline.
         */
        URI,
        /** The attributes {@link #URI} would refer to are left out. */
        OMIT
    }

    public JsonOptions {
        Objects.requireNonNull(bulkDataMode, "bulkDataMode");
        Objects.requireNonNull(uriFunction, "uriFunction");
        Objects.requireNonNull(resolver, "resolver");
        if (bulkThreshold < 0) {
            throw new IllegalArgumentException("bulkThreshold must be >= 0, got " + bulkThreshold);
        }
        if (bulkDataMode == BulkDataMode.URI && uriFunction == BulkDataUriFunction.NONE) {
            throw new IllegalArgumentException("BulkDataMode.URI needs a BulkDataUriFunction");
        }
    }

    /** BulkDataURI for values above {@code threshold} bytes and for everything not in memory. */
    public static JsonOptions uris(BulkDataUriFunction uriFunction, int threshold) {
        return new JsonOptions(BulkDataMode.URI, threshold, uriFunction, BulkDataResolver.FILES, false);
    }

    public JsonOptions withBulkData(BulkDataMode mode, int threshold) {
        return new JsonOptions(mode, threshold, uriFunction, resolver, pretty);
    }

    public JsonOptions withUriFunction(BulkDataUriFunction function) {
        return new JsonOptions(bulkDataMode, bulkThreshold, function, resolver, pretty);
    }

    public JsonOptions withResolver(BulkDataResolver bulkDataResolver) {
        return new JsonOptions(bulkDataMode, bulkThreshold, uriFunction, bulkDataResolver, pretty);
    }

    public JsonOptions withPretty(boolean indent) {
        return new JsonOptions(bulkDataMode, bulkThreshold, uriFunction, resolver, indent);
    }
}
