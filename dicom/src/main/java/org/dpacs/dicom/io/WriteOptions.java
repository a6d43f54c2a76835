package org.dpacs.dicom.io;

/**
 * How a {@link DicomWriter} encodes.
 *
 * @param undefinedLengthSequences sequences and items end with delimitation items (PS3.5 7.5.2) instead of
 *                                 carrying lengths; required when writing from events
 * @param resolver                 opens bulk data and unloaded fragments to copy them
 */
public record WriteOptions(boolean undefinedLengthSequences, BulkDataResolver resolver) {
    public static final WriteOptions DEFAULT = new WriteOptions(true, BulkDataResolver.FILES);

    public WriteOptions withUndefinedLengthSequences(boolean undefined) {
        return new WriteOptions(undefined, resolver);
    }

    public WriteOptions withResolver(BulkDataResolver r) {
        return new WriteOptions(undefinedLengthSequences, r);
    }
}
