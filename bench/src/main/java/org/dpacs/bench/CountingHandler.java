package org.dpacs.bench;

import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomHandler;

/**
 * A handler that keeps nothing but a running checksum of what it saw, so parsing into it measures the reader
 * alone; the checksum depends on every event, which stops the JIT from discarding the work.
 */
final class CountingHandler implements DicomHandler {
    long checksum;

    @Override
    public void element(int tag, Vr vr, byte[] value) {
        checksum = checksum * 31 + tag + value.length;
    }

    @Override
    public void bulkData(int tag, Vr vr, BulkDataRef ref) {
        checksum = checksum * 31 + tag + ref.length();
    }

    @Override
    public void startSequence(int tag, Vr vr) {
        checksum = checksum * 31 + tag;
    }

    @Override
    public void startItem() {
        checksum++;
    }

    @Override
    public void endItem() {
        checksum++;
    }

    @Override
    public void endSequence() {
        checksum++;
    }

    @Override
    public void fragments(int tag, Vr vr, Fragments fragments) {
        checksum = checksum * 31 + tag + fragments.items().size();
    }
}
