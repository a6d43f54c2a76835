package org.dpacs.dicom.io;

/**
 * How much of a stream to read and what to keep in memory.
 *
 * @param stopAt          stop before the first top-level element whose tag is >= this one (unsigned);
 *                        {@link #NO_STOP} reads to the end
 * @param bulkThreshold   values of bulk-data VRs longer than this many bytes are left as
 *                        {@link org.dpacs.dicom.data.BulkDataRef}s instead of being read
 * @param loadPixelData   read top-level pixel data into memory; when false (the default) it is left as a
 *                        reference or as fragment offsets and skipped
 * @param maxBytes        ceiling on the bytes held in memory for one data set; more fails the parse
 *                        (default: a quarter of the heap, at most 512 MB)
 * @param maxDepth        ceiling on sequence nesting, so a hostile file cannot exhaust the stack
 */
public record ReadOptions(int stopAt, int bulkThreshold, boolean loadPixelData, long maxBytes, int maxDepth) {
    public static final int NO_STOP = 0xFFFFFFFF;

    /** Reads everything but pixel data, which stays a reference. */
    public static final ReadOptions DEFAULT = new ReadOptions(NO_STOP, Integer.MAX_VALUE, false, defaultMaxBytes(), 64);

    /** Reads everything, pixel data included. */
    public static final ReadOptions EVERYTHING = DEFAULT.withLoadPixelData(true);

    /** A quarter of the heap, at most 512 MB: one hostile data set must not exhaust the JVM. */
    private static long defaultMaxBytes() {
        return Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    public ReadOptions {
        if (bulkThreshold < 0 || maxBytes < 0 || maxDepth < 1) {
            throw new IllegalArgumentException("bulkThreshold and maxBytes must be >= 0 and maxDepth >= 1");
        }
    }

    public ReadOptions withStopAt(int tag) {
        return new ReadOptions(tag, bulkThreshold, loadPixelData, maxBytes, maxDepth);
    }

    public ReadOptions withBulkThreshold(int bytes) {
        return new ReadOptions(stopAt, bytes, loadPixelData, maxBytes, maxDepth);
    }

    public ReadOptions withLoadPixelData(boolean load) {
        return new ReadOptions(stopAt, bulkThreshold, load, maxBytes, maxDepth);
    }

    public ReadOptions withMaxBytes(long bytes) {
        return new ReadOptions(stopAt, bulkThreshold, loadPixelData, bytes, maxDepth);
    }
}
