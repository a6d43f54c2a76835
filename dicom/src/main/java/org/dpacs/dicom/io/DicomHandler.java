package org.dpacs.dicom.io;

import java.io.IOException;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;

/**
 * Receives a data set as a stream of events, in stream order. The reader ({@link DicomReader}) and an
 * in-memory data set ({@link AttributesEmitter}) both produce these events, so one consumer (the collector,
 * the JSON writer, the indexer) works on either.
 *
 * <p>Values arrive little endian whatever the transfer syntax; text arrives undecoded, and the handler
 * decodes it with the Specific Character Set it has seen at that level or above.
 */
public interface DicomHandler {

    /** The File Meta Information (group 0002), once, before the data set; not called when there is none. */
    default void fileMetaInformation(Attributes fmi) throws IOException {
    }

    default void startDataset(TransferSyntax transferSyntax) throws IOException {
    }

    /** A value held in memory. The handler owns {@code value} from now on. */
    void element(int tag, Vr vr, byte[] value) throws IOException;

    /** A value left in the source. */
    void bulkData(int tag, Vr vr, BulkDataRef ref) throws IOException;

    void startSequence(int tag, Vr vr) throws IOException;

    void startItem() throws IOException;

    void endItem() throws IOException;

    void endSequence() throws IOException;

    /** Encapsulated pixel data, with each fragment's position and, when loaded, its bytes. */
    void fragments(int tag, Vr vr, Fragments fragments) throws IOException;

    default void endDataset() throws IOException {
    }
}
