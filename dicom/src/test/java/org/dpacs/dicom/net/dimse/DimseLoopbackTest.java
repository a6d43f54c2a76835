package org.dpacs.dicom.net.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.net.assoc.AcceptorOptions;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationAcceptor;
import org.dpacs.dicom.net.assoc.AssociationRequestor;
import org.dpacs.dicom.net.assoc.TransferCapabilities;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our SCU against our SCP in one JVM: C-ECHO, streamed C-STORE, statuses and failures on a live association. */
class DimseLoopbackTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String SC = "1.2.840.10008.5.1.4.1.1.7";
    private static final String EVLE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

    private AssociationAcceptor acceptor;
    private InetSocketAddress address;
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    private final Map<String, Attributes> parsed = new ConcurrentHashMap<>();
    private volatile CountDownLatch firstByte = new CountDownLatch(0);

    @BeforeEach
    void start() throws IOException {
        DimseHandler store = rq -> {
            String sop = rq.command().affectedSopInstanceUid().orElseThrow();
            switch (sop) {
                case "1.2.3.fail" -> throw new IllegalStateException("handler bug");
                case "1.2.3.warn" -> {
                    return new DimseResult.Warning(DimseStatus.WARNING_COERCION, "coerced\\something");
                }
                case "1.2.3.ignore" -> {
                    return DimseResult.success(); // leaves the data set unread
                }
                case "1.2.3.parse" -> {
                    AttributesCollector c = new AttributesCollector();
                    DicomReader.forDataset(rq.dataset(), "scp", rq.transferSyntax(), ReadOptions.EVERYTHING).parse(c);
                    parsed.put(sop, c.dataset());
                    return DimseResult.success();
                }
                default -> {
                    digests.put(sop, digest(rq.dataset(), firstByte));
                    return DimseResult.success();
                }
            }
        };
        TransferCapabilities caps = TransferCapabilities.builder()
                .add(TransferCapabilities.VERIFICATION, TransferCapabilities.NATIVE::contains)
                .addAll(TransferCapabilities.storageSopClasses(), TransferSyntax::isKnown).build();
        // A small PDU so that every data set here spans many fragments.
        AcceptorOptions options = new AcceptorOptions("DPACS", java.util.Set.of(), caps, 4, 4096,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        acceptor = AssociationAcceptor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options,
                DimseDispatcher.builder().on(CommandField.C_STORE_RQ, store).build());
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), acceptor.port());
    }

    @AfterEach
    void stop() {
        acceptor.close(Duration.ofSeconds(2));
    }

    private Association open() throws IOException {
        return AssociationRequestor.open(address, "SCU", "DPACS", List.of(
                new PresentationContextRq(1, TransferCapabilities.VERIFICATION, List.of(EVLE)),
                new PresentationContextRq(3, CT, List.of(EVLE)),
                new PresentationContextRq(5, SC, List.of(EVLE))), AssociationRequestor.Options.DEFAULT);
    }

    @Test
    void echoAnswersSuccess() throws IOException {
        try (Association a = open()) {
            Command rsp = new StoreScu(a).echo();
            assertThat(rsp.field()).contains(CommandField.C_ECHO_RSP);
            assertThat(rsp.status()).isEqualTo(DimseStatus.SUCCESS);
            a.release();
        }
    }

    @Test
    void storeStreamsTheDataSetToTheHandlerAsItArrives() throws Exception {
        byte[] data = new byte[3_000_001];
        new java.util.Random(7).nextBytes(data);
        firstByte = new CountDownLatch(1);
        try (Association a = open()) {
            Command rsp = new StoreScu(a).store(CT, "1.2.3.big", EVLE, out -> {
                out.write(data, 0, 1_000_000);
                // The handler must see bytes before the data set is complete: nothing waits for all of it.
                try {
                    assertThat(firstByte.await(10, TimeUnit.SECONDS)).as("handler read before the end").isTrue();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                out.write(data, 1_000_000, data.length - 1_000_000);
            });
            assertThat(rsp.status()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(rsp.affectedSopInstanceUid()).contains("1.2.3.big");
            assertThat(rsp.affectedSopClassUid()).contains(CT);
            a.release();
        }
        assertThat(digests.get("1.2.3.big")).isEqualTo(hex(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void failuresAndWarningsComeBackAsStatusesAndTheAssociationGoesOn() throws IOException {
        try (Association a = open()) {
            StoreScu scu = new StoreScu(a);
            Command failed = scu.store(CT, "1.2.3.fail", EVLE, out -> out.write(new byte[10_000]));
            assertThat(failed.status()).isEqualTo(DimseStatus.PROCESSING_FAILURE);
            assertThat(failed.errorComment()).contains("Processing failed; see the server log");

            Command warned = scu.store(CT, "1.2.3.warn", EVLE, out -> out.write(new byte[10]));
            assertThat(warned.status()).isEqualTo(DimseStatus.WARNING_COERCION);
            assertThat(warned.errorComment()).contains("coerced/something");

            Command ignored = scu.store(CT, "1.2.3.ignore", EVLE, out -> out.write(new byte[50_000]));
            assertThat(ignored.status()).isEqualTo(DimseStatus.SUCCESS);

            // A CT instance sent on the Secondary Capture context.
            int sc = a.contextFor(SC, EVLE).orElseThrow().id();
            DimseWriter.command(a, sc, Command.cStoreRq(99, CT, "1.2.3.mismatch", Command.PRIORITY_MEDIUM));
            try (var out = DimseWriter.dataset(a, sc)) {
                out.write(new byte[4]);
            }
            Command mismatch = new DimseReader(a).next().orElseThrow().command();
            assertThat(mismatch.messageIdBeingRespondedTo()).isEqualTo(99);
            assertThat(mismatch.status()).isEqualTo(DimseStatus.SOP_CLASS_NOT_SUPPORTED);

            assertThat(scu.echo().status()).isEqualTo(DimseStatus.SUCCESS);
            a.release();
        }
    }

    @Test
    void storesAPart10FileAsItIs() throws IOException {
        assumeTrue(Files.exists(CT_SMALL), "pydicom sample files not installed");
        StoreScu.FileInfo info = StoreScu.describe(CT_SMALL);
        Path copy = Files.createTempFile("ct", ".dcm");
        try {
            // The same file under the SOP Instance UID the test handler parses.
            DicomFile f = DicomReader.readFile(CT_SMALL, ReadOptions.EVERYTHING);
            Attributes ds = f.dataset().toBuilder()
                    .setString(Tag.SOPInstanceUID, org.dpacs.dicom.data.Vr.UI, "1.2.3.parse").build();
            try (var out = Files.newOutputStream(copy)) {
                org.dpacs.dicom.io.DicomWriter.writeFile(out, ds, info.transferSyntax(),
                        org.dpacs.dicom.io.WriteOptions.DEFAULT);
            }
            try (Association a = AssociationRequestor.open(address, "SCU", "DPACS", StoreScu.contextsFor(List.of(copy)),
                    AssociationRequestor.Options.DEFAULT)) {
                assertThat(new StoreScu(a).store(copy).status()).isEqualTo(DimseStatus.SUCCESS);
                a.release();
            }
            assertThat(parsed.get("1.2.3.parse")).isEqualTo(ds);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static String digest(InputStream in, CountDownLatch firstByte) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            int b = in.read();
            firstByte.countDown();
            sha.update((byte) b);
            try (DigestInputStream d = new DigestInputStream(in, sha)) {
                d.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return hex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
