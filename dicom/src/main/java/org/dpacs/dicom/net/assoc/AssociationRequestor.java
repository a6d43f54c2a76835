package org.dpacs.dicom.net.assoc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.io.FileMetaInformation;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.AAssociateAc;
import org.dpacs.dicom.net.pdu.AAssociateRj;
import org.dpacs.dicom.net.pdu.AAssociateRq;
import org.dpacs.dicom.net.pdu.Pdu;
import org.dpacs.dicom.net.pdu.PduException;
import org.dpacs.dicom.net.pdu.PduReader;
import org.dpacs.dicom.net.pdu.PduWriter;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.dicom.net.pdu.UserInformation;

/**
 * Opens associations as the requestor (PS3.8 Sta4 to Sta6): connects, sends the A-ASSOCIATE-RQ and waits at
 * most the ARTIM timeout for the answer.
 *
 * <pre>{@code
 * try (Association a = AssociationRequestor.open(new InetSocketAddress("pacs", 11112), "DPACS", "PACS",
 *         List.of(new PresentationContextRq(1, TransferCapabilities.VERIFICATION, List.of("1.2.840.10008.1.2"))),
 *         AssociationRequestor.Options.DEFAULT)) {
 *     ...
 *     a.release();
 * }
 * }</pre>
 */
public final class AssociationRequestor {
    private AssociationRequestor() {
    }

    /**
     * @param connectTimeout TCP connect timeout
     * @param artimTimeout   how long to wait for the A-ASSOCIATE-AC or -RJ
     * @param readTimeout    read timeout once established (zero: none)
     * @param maxPduLength   the largest P-DATA-TF we receive
     */
    public record Options(Duration connectTimeout, Duration artimTimeout, Duration readTimeout, int maxPduLength) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60), AcceptorOptions.DEFAULT_MAX_PDU_LENGTH);
    }

    /**
     * Opens an association from {@code callingAeTitle} to {@code calledAeTitle} at {@code address}.
     *
     * @throws AssociationRejectedException when the peer answers A-ASSOCIATE-RJ
     */
    public static Association open(InetSocketAddress address, String callingAeTitle, String calledAeTitle,
                                   List<PresentationContextRq> contexts, Options options) throws IOException {
        AAssociateRq rq = new AAssociateRq(AAssociateRq.PROTOCOL_VERSION, calledAeTitle, callingAeTitle,
                AAssociateRq.DICOM_APPLICATION_CONTEXT, contexts,
                UserInformation.of(options.maxPduLength(), FileMetaInformation.IMPLEMENTATION_CLASS_UID,
                        FileMetaInformation.IMPLEMENTATION_VERSION_NAME));
        return open(address, rq, options);
    }

    /** Opens an association with a request of the caller's making (role selection, extended negotiation). */
    public static Association open(InetSocketAddress address, AAssociateRq rq, Options options) throws IOException {
        Socket socket = new Socket();
        boolean ok = false;
        try {
            socket.connect(address, (int) options.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) options.artimTimeout().toMillis());
            PduReader reader = new PduReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024),
                    options.maxPduLength());
            PduWriter writer = new PduWriter(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
            writer.write(rq);
            Optional<Pdu> answer;
            try {
                answer = reader.read();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("No answer to the A-ASSOCIATE-RQ from " + address + " within "
                        + options.artimTimeout().toMillis() + " ms");
            } catch (PduException e) {
                writer.write(AAbort.provider(e.abortReason()));
                throw e;
            }
            if (answer.isEmpty()) {
                throw new IOException(address + " closed the connection instead of answering the A-ASSOCIATE-RQ");
            }
            switch (answer.get()) {
                case AAssociateAc ac -> {
                    Association a = new Association(socket, reader, writer, rq, ac, true);
                    a.setReadTimeout(options.readTimeout());
                    ok = true;
                    return a;
                }
                case AAssociateRj rj -> throw new AssociationRejectedException(rj);
                case AAbort abort -> throw new AssociationAbortedException(address + " aborted the association", abort);
                default -> {
                    writer.write(AAbort.provider(AAbort.UNEXPECTED_PDU));
                    throw new PduException("Unexpected " + answer.get().getClass().getSimpleName()
                            + " in answer to the A-ASSOCIATE-RQ", 0, AAbort.UNEXPECTED_PDU);
                }
            }
        } finally {
            if (!ok) {
                socket.close();
            }
        }
    }
}
