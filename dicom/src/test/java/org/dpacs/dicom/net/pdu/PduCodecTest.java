package org.dpacs.dicom.net.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PS3.8 9.3: every PDU round-trips; every malformed one is a PduException with the right A-ABORT reason. */
class PduCodecTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String IVLE = "1.2.840.10008.1.2";
    private static final String EVLE = "1.2.840.10008.1.2.1";
    private static final long MAX = 16384;

    static AAssociateRq request() {
        return new AAssociateRq(1, "DPACS", "STORESCU", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, "1.2.840.10008.1.1", List.of(IVLE)),
                        new PresentationContextRq(3, CT, List.of(EVLE, IVLE)),
                        new PresentationContextRq(255, "1.2.3.4", List.of("1.2.840.10008.1.2.4.50"))),
                new UserInformation(16384, "1.2.276.0.7230010.3.0.3.6.7", "OFFIS_DCMTK_367",
                        List.of(new RoleSelection(CT, false, true)),
                        List.of(new UserInformation.SubItem(0x53, new byte[]{0, 1, 0, 1}),
                                new UserInformation.SubItem(0x58, new byte[]{1, 0, 0, 2, 'm', 'e', 0, 0}))));
    }

    static AAssociateAc accept() {
        return new AAssociateAc(1, "DPACS", "STORESCU", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAc(1, PresentationContextAc.ACCEPTANCE, IVLE),
                        new PresentationContextAc(3, PresentationContextAc.ACCEPTANCE, EVLE),
                        new PresentationContextAc(255, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, "")),
                UserInformation.of(131072, "2.25.176283594573046727312416298337587343391", "DPACS_0.1")
                        .withRoleSelections(List.of(new RoleSelection(CT, false, false))));
    }

    private static Pdu roundTrip(Pdu pdu) throws IOException {
        byte[] bytes = PduWriter.encode(pdu);
        PduReader reader = new PduReader(new ByteArrayInputStream(bytes), 1 << 20);
        Pdu back = reader.read().orElseThrow();
        assertThat(reader.position()).isEqualTo(bytes.length);
        assertThat(PduWriter.encode(back)).isEqualTo(bytes);
        return back;
    }

    @Test
    void associationPdusRoundTrip() throws IOException {
        assertThat(roundTrip(request())).isEqualTo(request());
        assertThat(roundTrip(accept())).isEqualTo(accept());
        assertThat(roundTrip(AAssociateRj.calledAeTitleNotRecognized()))
                .isEqualTo(AAssociateRj.calledAeTitleNotRecognized());
        assertThat(roundTrip(new AReleaseRq())).isEqualTo(new AReleaseRq());
        assertThat(roundTrip(new AReleaseRp())).isEqualTo(new AReleaseRp());
        assertThat(roundTrip(AAbort.provider(AAbort.UNEXPECTED_PDU))).isEqualTo(AAbort.provider(AAbort.UNEXPECTED_PDU));
    }

    @Test
    void pDataRoundTripsEveryPdv() throws IOException {
        PDataTf p = new PDataTf(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, new byte[]{1, 2, 3}),
                new Pdv(1, 0, new byte[0]), new Pdv(3, Pdv.LAST, new byte[1000])));
        PDataTf back = (PDataTf) roundTrip(p);
        assertThat(back.pdvs()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(back.pdvs().get(i).presentationContextId()).isEqualTo(p.pdvs().get(i).presentationContextId());
            assertThat(back.pdvs().get(i).messageControlHeader()).isEqualTo(p.pdvs().get(i).messageControlHeader());
            assertThat(back.pdvs().get(i).data()).isEqualTo(p.pdvs().get(i).data());
        }
    }

    @Test
    void streamingPdvWriterMatchesTheRecordEncoding() throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] data = {9, 8, 7, 6, 5};
        new PduWriter(out).writePdv(5, Pdv.LAST, data, 1, 3);
        assertThat(out.toByteArray()).isEqualTo(PduWriter.encode(new PDataTf(List.of(new Pdv(5, Pdv.LAST,
                new byte[]{8, 7, 6})))));
    }

    @Test
    void wireFormatOfAReleaseRqIsTheStandards() {
        assertThat(PduWriter.encode(new AReleaseRq())).containsExactly(5, 0, 0, 0, 0, 4, 0, 0, 0, 0);
        assertThat(PduWriter.encode(AAssociateRj.localLimitExceeded())).containsExactly(3, 0, 0, 0, 0, 4, 0, 2, 3, 2);
    }

    @Test
    void cleanEndOfStreamBetweenPdusIsEmpty() throws IOException {
        assertThat(new PduReader(InputStream.nullInputStream(), MAX).read()).isEmpty();
    }

    @Test
    void hugePDataLengthIsRejectedWithoutAllocating() {
        // 4 GiB - 1 announced, then nothing: the reader must refuse it from the header alone.
        byte[] header = {4, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(header), MAX).read())
                .isInstanceOf(PduException.class)
                .hasMessageContaining("length 4294967295 exceeds 16384")
                .satisfies(e -> assertThat(((PduException) e).abortReason())
                        .isEqualTo(AAbort.INVALID_PDU_PARAMETER_VALUE));
    }

    @Test
    void pDataOneByteOverTheAnnouncedMaximumIsRejected() {
        byte[] header = {4, 0, 0, 0, 0x40, 0x01}; // 16385
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(header), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("16385 exceeds 16384");
    }

    @Test
    void hugeAssociateRequestIsRejectedWithoutAllocating() {
        byte[] header = {1, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(header), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("exceeds 262144 bytes");
    }

    @Test
    void fixedLengthPdusMustSayFour() {
        byte[] release = {5, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(release), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("A-RELEASE-RQ has length 8");
    }

    @Test
    void unknownPduTypeIsUnrecognized() {
        byte[] bytes = {0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(bytes), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("Unrecognized PDU type 0x09 at position 0")
                .satisfies(e -> assertThat(((PduException) e).abortReason()).isEqualTo(AAbort.UNRECOGNIZED_PDU));
    }

    @Test
    void truncatedHeaderAndBodyAreReported() {
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(new byte[]{1, 0, 0}), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("after 3 of 6 bytes");
        byte[] rq = PduWriter.encode(request());
        byte[] cut = Arrays.copyOf(rq, rq.length - 10);
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(cut), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("is truncated");
    }

    @Test
    void itemLongerThanItsPduIsRejected() {
        byte[] rq = PduWriter.encode(request());
        // The application context item starts right after the 68-byte fixed part: make it claim 60000 bytes.
        rq[6 + 68 + 2] = (byte) 0xEA;
        rq[6 + 68 + 3] = 0x60;
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(rq), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("Item 0x10 claims 60000 bytes");
    }

    @Test
    void pdvLengthsAreChecked() {
        byte[] tooLong = {4, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(tooLong), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("PDV length 9 exceeds");
        byte[] tooShort = {4, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(tooShort), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("PDV length 1 is below 2");
        byte[] even = {4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 2, 3};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(even), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("even ID");
    }

    @Test
    void blankCalledAeTitleIsInvalid() {
        byte[] rq = PduWriter.encode(request());
        Arrays.fill(rq, 10, 26, (byte) ' ');
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(rq), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("called AE title");
    }

    @Test
    void missingApplicationContextIsInvalid() throws IOException {
        AAssociateRq rq = request();
        byte[] bytes = PduWriter.encode(rq);
        // Turn the application context item (type 0x10) into an unknown type, which is ignored.
        bytes[6 + 68] = 0x11;
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(bytes), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("no Application Context");
    }

    @Test
    void evenOrRepeatedContextIdsAreInvalid() {
        AAssociateRq twice = new AAssociateRq(1, "A", "B", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, CT, List.of(IVLE)),
                        new PresentationContextRq(1, CT, List.of(EVLE))),
                UserInformation.of(0, "1.2", ""));
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(PduWriter.encode(twice)), MAX).read())
                .isInstanceOf(PduException.class).hasMessageContaining("used twice");
    }

    @Test
    void trailingNulPaddingOfUidsIsTolerated() throws IOException {
        AAssociateRq rq = new AAssociateRq(1, "A", "B", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, CT + "\0", List.of(IVLE + "\0"))),
                UserInformation.of(0, "1.2", ""));
        AAssociateRq back = (AAssociateRq) new PduReader(new ByteArrayInputStream(PduWriter.encode(rq)), MAX).read()
                .orElseThrow();
        assertThat(back.presentationContexts().get(0).abstractSyntax()).isEqualTo(CT);
        assertThat(back.presentationContexts().get(0).transferSyntaxes()).containsExactly(IVLE);
    }

    /** Seeded: random PDUs round-trip; random damage to valid ones yields a PduException or a PDU, nothing else. */
    @Test
    void seededFuzzRoundTripsAndMutations() throws IOException {
        Random random = new Random(20250302);
        for (int i = 0; i < 2000; i++) {
            Pdu pdu = randomPdu(random);
            byte[] bytes = PduWriter.encode(pdu);
            Pdu back = new PduReader(new ByteArrayInputStream(bytes), 1 << 20).read().orElseThrow();
            assertThat(PduWriter.encode(back)).isEqualTo(bytes);

            byte[] damaged = bytes.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            int cut = random.nextInt(4) == 0 ? random.nextInt(damaged.length + 1) : damaged.length;
            PduReader reader = new PduReader(new ByteArrayInputStream(damaged, 0, cut), 1 << 16);
            try {
                while (reader.read().isPresent()) {
                    // keep reading whatever the damaged bytes decode to
                }
            } catch (PduException expected) {
                assertThat(expected.offset()).isBetween(0L, (long) damaged.length);
            }
        }
    }

    private static Pdu randomPdu(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> {
                List<PresentationContextRq> pcs = new ArrayList<>();
                for (int id = 1; id < 2 * (1 + r.nextInt(20)); id += 2) {
                    pcs.add(new PresentationContextRq(id, uid(r), List.of(uid(r), uid(r))));
                }
                yield new AAssociateRq(1, "CALLED" + r.nextInt(100), "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                        pcs, new UserInformation(r.nextInt(1 << 20), uid(r), "V" + r.nextInt(1000),
                        List.of(new RoleSelection(uid(r), r.nextBoolean(), r.nextBoolean())), List.of()));
            }
            case 1 -> {
                List<PresentationContextAc> pcs = new ArrayList<>();
                for (int id = 1; id < 2 * (1 + r.nextInt(20)); id += 2) {
                    pcs.add(new PresentationContextAc(id, r.nextInt(5), uid(r)));
                }
                yield new AAssociateAc(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT, pcs,
                        UserInformation.of(r.nextInt(1 << 20), uid(r), ""));
            }
            case 2 -> {
                List<Pdv> pdvs = new ArrayList<>();
                for (int k = 0; k <= r.nextInt(4); k++) {
                    byte[] data = new byte[r.nextInt(300)];
                    r.nextBytes(data);
                    pdvs.add(new Pdv(1 + 2 * r.nextInt(128), r.nextInt(4), data));
                }
                yield new PDataTf(pdvs);
            }
            case 3 -> new AAssociateRj(1 + r.nextInt(2), 1 + r.nextInt(3), r.nextInt(8));
            case 4 -> new AAbort(r.nextBoolean() ? 0 : 2, r.nextInt(7));
            default -> r.nextBoolean() ? new AReleaseRq() : new AReleaseRp();
        };
    }

    private static String uid(Random r) {
        StringBuilder b = new StringBuilder("1.2.840");
        for (int i = 0; i < 1 + r.nextInt(6); i++) {
            b.append('.').append(r.nextInt(100000));
        }
        return b.toString();
    }
}
