package org.dpacs.dicom.io;

import java.io.IOException;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;

/**
 * Passes every parse event on to another handler; subclasses override the events they change. Reader plus
 * forwarding handler plus {@link DicomWriter} is how an object is re-encoded as it streams (another transfer
 * syntax, another File Meta Information) without holding it.
 */
public class ForwardingHandler implements DicomHandler {
    protected final DicomHandler target;

    public ForwardingHandler(DicomHandler target) {
        this.target = target;
    }

    @Override
    public void fileMetaInformation(Attributes fmi) throws IOException {
        target.fileMetaInformation(fmi);
    }

    @Override
    public void startDataset(TransferSyntax transferSyntax) throws IOException {
        target.startDataset(transferSyntax);
    }

    @Override
    public void element(int tag, Vr vr, byte[] value) throws IOException {
        target.element(tag, vr, value);
    }

    @Override
    public void bulkData(int tag, Vr vr, BulkDataRef ref) throws IOException {
        target.bulkData(tag, vr, ref);
    }

    @Override
    public void startSequence(int tag, Vr vr) throws IOException {
        target.startSequence(tag, vr);
    }

    @Override
    public void startItem() throws IOException {
        target.startItem();
    }

    @Override
    public void endItem() throws IOException {
        target.endItem();
    }

    @Override
    public void endSequence() throws IOException {
        target.endSequence();
    }

    @Override
    public void fragments(int tag, Vr vr, Fragments fragments) throws IOException {
        target.fragments(tag, vr, fragments);
    }

    @Override
    public void endDataset() throws IOException {
        target.endDataset();
    }
}
