package org.dpacs.dicom.io;

import java.io.IOException;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.TransferSyntax;

/** Replays an in-memory data set as handler events, so every handler also works on {@link Attributes}. */
public final class AttributesEmitter {
    private AttributesEmitter() {
    }

    /** Emits {@code dataset} with start/endDataset; the byte[] values handed out are copies. */
    public static void emit(Attributes dataset, TransferSyntax transferSyntax, DicomHandler handler) throws IOException {
        handler.startDataset(transferSyntax);
        emitElements(dataset, handler);
        handler.endDataset();
    }

    public static void emitElements(Attributes dataset, DicomHandler handler) throws IOException {
        for (int i = 0; i < dataset.size(); i++) {
            int tag = dataset.tagAt(i);
            Object value = dataset.valueAt(i);
            switch (value) {
                case byte[] b -> handler.element(tag, dataset.vrAt(i), b.clone());
                case Sequence s -> {
                    handler.startSequence(tag, dataset.vrAt(i));
                    for (Attributes item : s.items()) {
                        handler.startItem();
                        emitElements(item, handler);
                        handler.endItem();
                    }
                    handler.endSequence();
                }
                case Fragments f -> handler.fragments(tag, dataset.vrAt(i), f);
                case BulkDataRef r -> handler.bulkData(tag, dataset.vrAt(i), r);
                default -> throw new IllegalStateException("Unexpected value type " + value.getClass());
            }
        }
    }
}
