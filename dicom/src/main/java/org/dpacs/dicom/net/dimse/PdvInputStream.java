package org.dpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.PduException;
import org.dpacs.dicom.net.pdu.Pdv;

/**
 * The data set of one DIMSE message as a stream over its PDV fragments, pulled from the association as the
 * reader asks: at most one PDV is held at a time, never the whole data set. {@link #close()} reads and drops what
 * the reader left, so the next message starts in the right place.
 */
final class PdvInputStream extends InputStream {
    private static final byte[] NONE = new byte[0];

    private final Association association;
    private final int contextId;
    private byte[] buffer;
    private int pos;
    private boolean last;

    PdvInputStream(Association association, int contextId) {
        this.association = association;
        this.contextId = contextId;
        this.buffer = NONE;
    }

    private void accept(Pdv pdv) throws PduException {
        if (pdv.isCommand() || pdv.presentationContextId() != contextId) {
            throw association.protocolError(new PduException(pdv + " arrived inside the data set of presentation "
                    + "context " + contextId, 0, AAbort.UNEXPECTED_PDU_PARAMETER));
        }
        buffer = pdv.data();
        pos = 0;
        last = pdv.isLast();
    }

    /** Makes bytes available; false at the end of the data set. */
    private boolean fill() throws IOException {
        while (pos == buffer.length) {
            if (last) {
                return false;
            }
            Optional<Pdv> next = association.readPdv();
            if (next.isEmpty()) {
                throw new IOException("The association with " + association + " ended inside a data set");
            }
            accept(next.get());
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? buffer[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || !fill()) {
            return 0;
        }
        int k = (int) Math.min(n, buffer.length - pos);
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return buffer.length - pos;
    }

    /** True once the last fragment has been read to its end. */
    boolean isFinished() {
        return last && pos == buffer.length;
    }

    @Override
    public void close() throws IOException {
        while (fill()) {
            pos = buffer.length;
        }
    }
}
