package org.dpacs.dicom.net.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.net.assoc.AcceptorOptions;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationAcceptor;
import org.dpacs.dicom.net.assoc.AssociationRequestor;
import org.dpacs.dicom.net.assoc.TransferCapabilities;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Responses beyond a status (PS3.7 9.3.2 to 9.3.4): pending responses with identifiers, C-CANCEL-RQ noticed
 * between them, and final responses with command elements and an identifier.
 */
class DimseResponsesTest {
    private static final String FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    private static final String GET = "1.2.840.10008.5.1.4.1.2.2.3";
    private static final String EVLE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final int FAILED_SOP_INSTANCE_UID_LIST = 0x00080058;

    private AssociationAcceptor acceptor;

    @BeforeEach
    void start() throws IOException {
        DimseHandler find = rq -> {
            for (int i = 1; i <= 10_000; i++) {
                if (rq.cancelRequested()) {
                    return new DimseResult.Detailed(DimseStatus.CANCEL, Optional.empty(), Attributes.EMPTY,
                            Optional.empty());
                }
                rq.sendPending(DimseStatus.PENDING, Attributes.EMPTY, Optional.of(new Attributes.Builder()
                        .setString(Tag.PatientID, Vr.LO, "P" + i).build()));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
            return DimseResult.success();
        };
        DimseHandler get = rq -> new DimseResult.Detailed(DimseStatus.SUBOPERATIONS_COMPLETE_WITH_FAILURES,
                Optional.of("1 of 2 failed"), new Attributes.Builder()
                .setInts(CommandTag.NumberOfCompletedSuboperations, Vr.US, 1)
                .setInts(CommandTag.NumberOfFailedSuboperations, Vr.US, 1)
                .setInts(CommandTag.NumberOfWarningSuboperations, Vr.US, 0).build(),
                Optional.of(new Attributes.Builder().setString(FAILED_SOP_INSTANCE_UID_LIST, Vr.UI, "1.2.3.4")
                        .build()));
        TransferCapabilities caps = TransferCapabilities.builder().add(FIND, TransferCapabilities.NATIVE::contains)
                .add(GET, TransferCapabilities.NATIVE::contains).build();
        acceptor = AssociationAcceptor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                AcceptorOptions.of("DPACS", caps).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)),
                DimseDispatcher.builder().on(CommandField.C_FIND_RQ, find).on(CommandField.C_GET_RQ, get).build());
    }

    @AfterEach
    void stop() {
        acceptor.close(Duration.ofSeconds(2));
    }

    private Association open() throws IOException {
        return AssociationRequestor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), acceptor.port()),
                "SCU", "DPACS", List.of(new PresentationContextRq(1, FIND, List.of(EVLE)),
                        new PresentationContextRq(3, GET, List.of(EVLE))), AssociationRequestor.Options.DEFAULT);
    }

    private static void request(Association a, int contextId, String sopClass, CommandField field, int messageId)
            throws IOException {
        Command rq = new Command(new Attributes.Builder()
                .setString(CommandTag.AffectedSOPClassUID, Vr.UI, sopClass)
                .setInts(CommandTag.CommandField, Vr.US, field.code())
                .setInts(CommandTag.MessageID, Vr.US, messageId)
                .setInts(CommandTag.Priority, Vr.US, Command.PRIORITY_MEDIUM)
                .setInts(CommandTag.CommandDataSetType, Vr.US, 0)
                .build());
        DimseWriter.command(a, contextId, rq);
        try (OutputStream out = DimseWriter.dataset(a, contextId)) {
            DicomWriter.writeDataset(out, new Attributes.Builder().setString(0x00080052, Vr.CS, "STUDY").build(),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        }
    }

    private static Attributes dataset(DimseReader.Message m) throws IOException {
        AttributesCollector c = new AttributesCollector();
        DicomReader.forDataset(m.dataset(), "rsp", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.DEFAULT)
                .parse(c);
        return c.dataset();
    }

    @Test
    void pendingResponsesCarryIdentifiersUntilCCancel() throws IOException {
        try (Association a = open()) {
            request(a, 1, FIND, CommandField.C_FIND_RQ, 7);
            DimseReader reader = new DimseReader(a);
            DimseReader.Message first = reader.next().orElseThrow();
            assertThat(first.command().status()).isEqualTo(DimseStatus.PENDING);
            assertThat(first.command().field()).contains(CommandField.C_FIND_RSP);
            assertThat(first.command().messageIdBeingRespondedTo()).isEqualTo(7);
            assertThat(dataset(first).string(Tag.PatientID)).contains("P1");
            DimseWriter.command(a, 1, new Command(new Attributes.Builder()
                    .setInts(CommandTag.CommandField, Vr.US, CommandField.C_CANCEL_RQ.code())
                    .setInts(CommandTag.MessageIDBeingRespondedTo, Vr.US, 7)
                    .setInts(CommandTag.CommandDataSetType, Vr.US, Command.NO_DATASET).build()));
            List<Integer> statuses = new ArrayList<>();
            DimseReader.Message m;
            do {
                m = reader.next().orElseThrow();
                m.dataset().close();
                statuses.add(m.command().status());
            } while (DimseStatus.isPending(m.command().status()));
            assertThat(statuses.get(statuses.size() - 1)).isEqualTo(DimseStatus.CANCEL);
            assertThat(statuses).hasSizeLessThan(1000); // stopped soon after the cancel, not at the end
            assertThat(m.command().hasDataset()).isFalse();
            a.release();
        }
    }

    @Test
    void aDetailedFinalResponseCarriesCountsAndAnIdentifier() throws IOException {
        try (Association a = open()) {
            request(a, 3, GET, CommandField.C_GET_RQ, 9);
            DimseReader.Message m = new DimseReader(a).next().orElseThrow();
            Command rsp = m.command();
            assertThat(rsp.field()).contains(CommandField.C_GET_RSP);
            assertThat(rsp.status()).isEqualTo(DimseStatus.SUBOPERATIONS_COMPLETE_WITH_FAILURES);
            assertThat(rsp.errorComment()).contains("1 of 2 failed");
            assertThat(rsp.attributes().integer(CommandTag.NumberOfCompletedSuboperations, -1)).isEqualTo(1);
            assertThat(rsp.attributes().integer(CommandTag.NumberOfFailedSuboperations, -1)).isEqualTo(1);
            assertThat(rsp.hasDataset()).isTrue();
            assertThat(dataset(m).strings(FAILED_SOP_INSTANCE_UID_LIST)).containsExactly("1.2.3.4");
            a.release();
        }
    }
}
