package org.dpacs.dicom.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;

/** Builds an {@link Attributes} tree from handler events. */
public final class AttributesCollector implements DicomHandler {
    private final Deque<Attributes.Builder> builders = new ArrayDeque<>();
    private final Deque<PendingSequence> sequences = new ArrayDeque<>();
    private Attributes fileMetaInformation = Attributes.EMPTY;
    private TransferSyntax transferSyntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private Attributes result;

    private record PendingSequence(int tag, Vr vr, List<Attributes> items) {
    }

    public AttributesCollector() {
        builders.push(new Attributes.Builder());
    }

    @Override
    public void fileMetaInformation(Attributes fmi) {
        this.fileMetaInformation = fmi;
    }

    @Override
    public void startDataset(TransferSyntax transferSyntax) {
        this.transferSyntax = transferSyntax;
    }

    @Override
    public void element(int tag, Vr vr, byte[] value) {
        builders.peek().set(tag, vr, value);
    }

    @Override
    public void bulkData(int tag, Vr vr, BulkDataRef ref) {
        builders.peek().set(tag, vr, ref);
    }

    @Override
    public void startSequence(int tag, Vr vr) {
        sequences.push(new PendingSequence(tag, vr, new ArrayList<>()));
    }

    @Override
    public void startItem() {
        builders.push(new Attributes.Builder(builders.peek().charset()));
    }

    @Override
    public void endItem() {
        Attributes item = builders.pop().build();
        sequences.peek().items().add(item);
    }

    @Override
    public void endSequence() {
        PendingSequence s = sequences.pop();
        builders.peek().set(s.tag(), s.vr(), new Sequence(s.items()));
    }

    @Override
    public void fragments(int tag, Vr vr, Fragments fragments) {
        builders.peek().set(tag, vr, fragments);
    }

    @Override
    public void endDataset() {
        result = builders.peekLast().build();
    }

    public Attributes fileMetaInformationAttributes() {
        return fileMetaInformation;
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** The collected data set; call after the reader returned. */
    public Attributes dataset() {
        if (result == null) {
            result = builders.peekLast().build();
        }
        return result;
    }
}
