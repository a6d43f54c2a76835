package org.dpacs.dicom.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.AAssociateAc;
import org.dpacs.dicom.net.pdu.AAssociateRj;
import org.dpacs.dicom.net.pdu.AAssociateRq;
import org.dpacs.dicom.net.pdu.Pdu;
import org.dpacs.dicom.net.pdu.PduReader;
import org.dpacs.dicom.net.pdu.PduWriter;
import org.dpacs.dicom.net.pdu.PresentationContextAc;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.dicom.net.pdu.RoleSelection;
import org.dpacs.dicom.net.pdu.UserInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PS3.8 association establishment against our acceptor: negotiation, rejections, ARTIM, limits, aborts. */
class AssociationAcceptorTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String IVLE = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final String EVLE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final String JPEG = TransferSyntax.JPEG_BASELINE.uid();
    private static final TransferCapabilities CAPS = TransferCapabilities.builder()
            .add(TransferCapabilities.VERIFICATION, TransferCapabilities.NATIVE::contains)
            .addAll(TransferCapabilities.storageSopClasses(), TransferSyntax::isKnown)
            .build();

    private AssociationAcceptor acceptor;

    @AfterEach
    void stop() {
        if (acceptor != null) {
            acceptor.close(Duration.ofSeconds(2));
        }
    }

    /** An acceptor whose associations wait until the peer releases. */
    private InetSocketAddress start(AcceptorOptions options) throws IOException {
        acceptor = AssociationAcceptor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options, a -> {
            while (a.readPdv().isPresent()) {
                // no DIMSE here: PDVs are dropped
            }
        });
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), acceptor.port());
    }

    private static AcceptorOptions options() {
        return AcceptorOptions.of("DPACS", CAPS).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5));
    }

    private static List<PresentationContextRq> contexts() {
        return List.of(new PresentationContextRq(1, TransferCapabilities.VERIFICATION, List.of(EVLE, IVLE)),
                new PresentationContextRq(3, CT, List.of(JPEG, EVLE)),
                new PresentationContextRq(5, "1.2.840.10008.5.1.4.1.2.2.1", List.of(IVLE)), // Q/R FIND: not offered
                new PresentationContextRq(7, CT, List.of("1.2.3.4.5.6")),
                new PresentationContextRq(9, "1.2.826.0.1.3680043.99.1", List.of(IVLE))); // private, unknown
    }

    @Test
    void negotiatesEachContextByTheFirstSupportedTransferSyntax() throws IOException {
        InetSocketAddress address = start(options());
        try (Association a = AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT)) {
            List<PresentationContextAc> answers = a.accept().presentationContexts();
            assertThat(answers).extracting(PresentationContextAc::result).containsExactly(
                    PresentationContextAc.ACCEPTANCE, PresentationContextAc.ACCEPTANCE,
                    PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                    PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                    PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED);
            assertThat(a.context(1).orElseThrow().transferSyntax().uid()).isEqualTo(EVLE);
            assertThat(a.context(3).orElseThrow().transferSyntax().uid()).isEqualTo(JPEG);
            assertThat(a.accept().userInformation().implementationClassUid())
                    .isEqualTo("2.25.176283594573046727312416298337587343391");
            assertThat(a.accept().userInformation().implementationVersionName()).isEqualTo("DPACS_0.1");
            assertThat(a.accept().userInformation().maxPduLength()).isEqualTo(AcceptorOptions.DEFAULT_MAX_PDU_LENGTH);
            a.release();
        }
    }

    @Test
    void unknownAbstractSyntaxesAreAcceptedForStorageWhenConfigured() throws IOException {
        TransferCapabilities any = TransferCapabilities.builder()
                .addAll(TransferCapabilities.storageSopClasses(), TransferSyntax::isKnown)
                .acceptUnknownAbstractSyntaxes(TransferSyntax::isKnown).build();
        InetSocketAddress address = start(AcceptorOptions.of("DPACS", any));
        try (Association a = AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT)) {
            assertThat(a.context(9)).isPresent(); // private SOP class
            assertThat(a.context(5)).isEmpty(); // a registered non-storage class is still refused
            a.release();
        }
    }

    @Test
    void offersTheScpRoleOnlyForSupportedSopClasses() throws IOException {
        InetSocketAddress address = start(options());
        String unsupported = "1.2.840.10008.5.1.4.1.2.2.1"; // Study Root FIND: not in these capabilities
        AAssociateRq rq = new AAssociateRq(1, "DPACS", "GETSCU", AAssociateRq.DICOM_APPLICATION_CONTEXT, contexts(),
                UserInformation.of(16384, "1.2.3", "X").withRoleSelections(List.of(new RoleSelection(CT, false, true),
                        new RoleSelection(unsupported, true, true))));
        try (Association a = AssociationRequestor.open(address, rq, AssociationRequestor.Options.DEFAULT)) {
            assertThat(a.accept().userInformation().roleSelections())
                    .containsExactly(new RoleSelection(CT, false, true), new RoleSelection(unsupported, true, false));
            a.release();
        }
    }

    @Test
    void rejectsAWrongCalledAeTitle() throws IOException {
        InetSocketAddress address = start(options());
        assertThatThrownBy(() -> AssociationRequestor.open(address, "SCU", "NOTDPACS", contexts(),
                AssociationRequestor.Options.DEFAULT))
                .isInstanceOf(AssociationRejectedException.class)
                .hasMessageContaining("rejected-permanent by the service-user: called-AE-title-not-recognized")
                .satisfies(e -> assertThat(((AssociationRejectedException) e).rejection())
                        .isEqualTo(AAssociateRj.calledAeTitleNotRecognized()));
    }

    @Test
    void rejectsACallingAeTitleNotAllowed() throws IOException {
        InetSocketAddress address = start(options().withCallingAeTitles(Set.of("MODALITY1")));
        assertThatThrownBy(() -> AssociationRequestor.open(address, "INTRUDER", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT))
                .isInstanceOf(AssociationRejectedException.class)
                .hasMessageContaining("calling-AE-title-not-recognized");
        try (Association a = AssociationRequestor.open(address, "MODALITY1", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT)) {
            a.release();
        }
    }

    @Test
    void rejectsBeyondTheAssociationLimitAsTransient() throws Exception {
        InetSocketAddress address = start(options().withMaxAssociations(1));
        try (Association first = AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT)) {
            assertThatThrownBy(() -> AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                    AssociationRequestor.Options.DEFAULT))
                    .isInstanceOf(AssociationRejectedException.class)
                    .satisfies(e -> assertThat(((AssociationRejectedException) e).rejection())
                            .isEqualTo(AAssociateRj.localLimitExceeded()));
            first.release();
        }
        // The slot is free again once the first one is gone.
        awaitActive(0);
        try (Association again = AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT)) {
            again.release();
        }
    }

    @Test
    void closesAConnectionThatSaysNothingAfterArtim() throws IOException {
        InetSocketAddress address = start(options());
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the acceptor, no PDU
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .isBetween(Duration.ofMillis(400), Duration.ofSeconds(4));
        }
    }

    @Test
    void abortsGarbageAndHugeLengths() throws IOException {
        InetSocketAddress address = start(options());
        assertThat(exchange(address, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()))
                .contains(AAbort.provider(AAbort.UNRECOGNIZED_PDU));
        assertThat(exchange(address, new byte[]{1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0}))
                .contains(AAbort.provider(AAbort.INVALID_PDU_PARAMETER_VALUE));
        assertThat(exchange(address, new byte[]{5, 0, 0, 0, 0, 4, 0, 0, 0, 0})) // A-RELEASE-RQ before association
                .contains(AAbort.provider(AAbort.UNEXPECTED_PDU));
    }

    @Test
    void abortsAPDataLargerThanAnnouncedOnAnEstablishedAssociation() throws IOException {
        InetSocketAddress address = start(options());
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(5000);
            PduWriter w = new PduWriter(s.getOutputStream());
            PduReader r = new PduReader(s.getInputStream(), 1 << 20);
            w.write(new AAssociateRq(1, "DPACS", "SCU", AAssociateRq.DICOM_APPLICATION_CONTEXT, contexts(),
                    UserInformation.of(16384, "1.2", "")));
            assertThat(r.read().orElseThrow()).isInstanceOf(AAssociateAc.class);
            s.getOutputStream().write(new byte[]{4, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertThat(r.read()).contains(AAbort.provider(AAbort.INVALID_PDU_PARAMETER_VALUE));
        }
    }

    @Test
    void abortsAnAssociationIdleBeyondTheTimeout() throws IOException {
        InetSocketAddress address = start(options().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        try (Association a = AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                AssociationRequestor.Options.DEFAULT)) {
            assertThatThrownBy(a::readPdv).isInstanceOf(AssociationAbortedException.class);
        }
    }

    @Test
    void servesOthersWhileOneConnectionIsSilent() throws Exception {
        InetSocketAddress address = start(options().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        try (Socket silent = new Socket(address.getAddress(), address.getPort());
             Association a = AssociationRequestor.open(address, "SCU", "DPACS", contexts(),
                     AssociationRequestor.Options.DEFAULT)) {
            assertThat(silent.isConnected()).isTrue();
            a.release();
        }
    }

    /** Sends raw bytes on a fresh connection and returns the first PDU the acceptor answers, if any. */
    private static Optional<Pdu> exchange(InetSocketAddress address, byte[] bytes) throws IOException {
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readAllBytes();
            return new PduReader(new ByteArrayInputStream(answer), 1 << 16).read();
        }
    }

    private void awaitActive(int n) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < 100 && acceptor.activeAssociations() != n; i++) {
            never.await(20, TimeUnit.MILLISECONDS);
        }
        assertThat(acceptor.activeAssociations()).isEqualTo(n);
    }
}
