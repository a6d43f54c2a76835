package org.dpacs.server.dicomweb;

import java.io.IOException;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomHandler;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ParseResult;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.storage.ObjectStore;

/**
 * Reads stored objects for retrieval: headers parsed through range reads (values above the threshold and pixel
 * data stay in the store as references whose source is the object key), and a resolver that turns those
 * references back into range reads.
 */
final class StoredObjects {
    private final ObjectStore store;
    private final BulkDataResolver resolver;

    StoredObjects(ObjectStore store) {
        this.store = store;
        this.resolver = ref -> store.openRange(ref.source(), ref.offset(), ref.length());
    }

    ObjectStore store() {
        return store;
    }

    /** Opens references whose source is an object key, reading only the referenced bytes. */
    BulkDataResolver resolver() {
        return resolver;
    }

    /** The object's File Meta Information and data set, big values and pixel data left in the store. */
    DicomFile header(InstanceRecord record, ReadOptions options) {
        try {
            AttributesCollector collector = new AttributesCollector();
            ParseResult parsed = parse(record, options, collector);
            return new DicomFile(parsed.fileMetaInformation(), collector.dataset(), parsed);
        } catch (IOException e) {
            throw unreadable(record, e);
        }
    }

    /** Streams the object's parse events to {@code handler}. */
    ParseResult parse(InstanceRecord record, ReadOptions options, DicomHandler handler) throws IOException {
        try (ObjectChannel channel = open(record)) {
            return new DicomReader(channel, record.objectKey(), options).parse(handler);
        }
    }

    private ObjectChannel open(InstanceRecord record) {
        return new ObjectChannel(store, record.objectKey(), record.size());
    }

    /** A stored object that does not parse is our failure, not the client's. */
    static DpacsException unreadable(InstanceRecord record, Exception e) {
        return new DpacsException(FailureKind.PROCESSING_FAILURE, "Stored object of SOP Instance "
                + record.sopInstanceUid() + " cannot be read: " + e.getMessage(), e);
    }
}
