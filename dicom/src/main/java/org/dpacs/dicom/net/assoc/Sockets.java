package org.dpacs.dicom.net.assoc;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** Closing a DICOM connection the way PS3.8 Sta13 wants it. */
final class Sockets {
    /** How long we wait for the peer to close after our last PDU (bounded well below ARTIM). */
    private static final long LINGER_MILLIS = 1000;
    /** What we are willing to read and drop meanwhile. */
    private static final long MAX_DRAIN = 1 << 20;

    private Sockets() {
    }

    /**
     * After our A-ASSOCIATE-RJ, A-RELEASE-RP or A-ABORT: end our side, then read and drop what the peer still sends
     * until it closes (at most one second, 1 MiB). Closing at once with unread input would reset the connection,
     * and a reset may destroy the answer before the peer has read it.
     */
    static void closeAfterLastPdu(Socket socket) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout((int) LINGER_MILLIS);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000;
            long drained = 0;
            int n;
            while (drained < MAX_DRAIN && System.nanoTime() < deadline && (n = in.read(buf)) >= 0) {
                drained += n;
            }
        } catch (IOException e) {
            // timed out, reset or already closed: nothing more to wait for
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // gone either way
        }
    }
}
