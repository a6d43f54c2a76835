/**
 * Frames of pixel data by number, without reading the others: {@link org.dpacs.dicom.frame.FrameIndex} finds
 * the byte ranges of each frame of native (PS3.5 8.1.1) or encapsulated (PS3.5 A.4) pixel data from a data set
 * read with pixel data left in its source, and {@link org.dpacs.dicom.frame.FrameReader} reads or streams one
 * frame's ranges through a {@link org.dpacs.dicom.io.BulkDataResolver}. This is what WADO-RS frame retrieval
 * needs.
 *
 * <p>Not for: decoding or transcoding (frames are handed out as stored, compressed or not), byte swapping of
 * big endian native frames, or pixel data held in memory.
 */
package org.dpacs.dicom.frame;
