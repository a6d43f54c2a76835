package org.dpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.OutputStream;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.pdu.Pdv;

/**
 * Writes a command or data set as PDVs no larger than the peer accepts. A full buffer is sent only when more
 * bytes follow, so {@link #close()} always has the last fragment to flag (PS3.8 E.2) and then flushes.
 */
final class PdvOutputStream extends OutputStream {
    private final Association association;
    private final int contextId;
    private final int kind;
    private final byte[] buffer;
    private int count;
    private boolean closed;

    PdvOutputStream(Association association, int contextId, boolean command) {
        this.association = association;
        this.contextId = contextId;
        this.kind = command ? Pdv.COMMAND : 0;
        this.buffer = new byte[association.maxPdvDataLength()];
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            send(false);
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == buffer.length) {
                send(false);
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    private void send(boolean last) throws IOException {
        association.writePdv(contextId, kind | (last ? Pdv.LAST : 0), buffer, 0, count);
        count = 0;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            send(true);
            association.flush();
        }
    }
}
