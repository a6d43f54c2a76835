package org.dpacs.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomReaderTest {
    private static final int REFERENCED_SERIES_SEQUENCE = 0x00081115;
    private static final int SERIES_INSTANCE_UID = Tag.SeriesInstanceUID;

    private static DicomFile read(byte[] bytes, ReadOptions options) throws IOException {
        return DicomReader.read(new ByteArrayInputStream(bytes), "mem", options);
    }

    @Test
    void readsExplicitLittleEndianWithNestedSequencesOfBothLengthForms() throws IOException {
        byte[] innerItem = Bytes.le().explicit(SERIES_INSTANCE_UID, "UI", Bytes.uid("1.2.3")).bytes();
        Bytes b = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicit(Tag.PatientName, "PN", Bytes.text("Doe^John"))
                // undefined-length sequence with one undefined-length item and one defined-length item
                .explicitLong(REFERENCED_SERIES_SEQUENCE, "SQ", 0xFFFFFFFFL)
                .item(0xFFFFFFFFL).raw(innerItem).itemEnd()
                .item(innerItem.length).raw(innerItem)
                .sequenceEnd()
                .explicit(Tag.Rows, "US", Bytes.us(512));
        Attributes ds = read(b.bytes(), ReadOptions.DEFAULT).dataset();

        assertThat(ds.string(Tag.PatientName)).contains("Doe^John");
        assertThat(ds.integer(Tag.Rows)).hasValue(512);
        Sequence seq = ds.sequence(REFERENCED_SERIES_SEQUENCE).orElseThrow();
        assertThat(seq.size()).isEqualTo(2);
        assertThat(seq.item(0).string(SERIES_INSTANCE_UID)).contains("1.2.3");
        assertThat(seq.item(1).string(SERIES_INSTANCE_UID)).contains("1.2.3");
    }

    @Test
    void readsImplicitVrWithDictionaryVrs() throws IOException {
        Bytes b = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2"))
                .implicit(Tag.PatientName, Bytes.text("Roe^Jane"))
                .implicit(Tag.Rows, Bytes.us(256))
                .implicit(Tag.PixelRepresentation, Bytes.us(1))
                // (0028,0106) SmallestImagePixelValue is "US or SS": signed because PixelRepresentation is 1
                .implicit(0x00280106, Bytes.us(0xFFFE));
        DicomFile f = read(b.bytes(), ReadOptions.DEFAULT);

        assertThat(f.parse().transferSyntax().explicitVr()).isFalse();
        assertThat(f.dataset().vr(Tag.PatientName)).contains(Vr.PN);
        assertThat(f.dataset().vr(Tag.Rows)).contains(Vr.US);
        assertThat(f.dataset().vr(0x00280106)).contains(Vr.SS);
        assertThat(f.dataset().integer(0x00280106)).hasValue(-2);
    }

    @Test
    void readsBigEndianIntoLittleEndianValues() throws IOException {
        Bytes b = Bytes.be().raw(Bytes.fileHeader("1.2.840.10008.1.2.2"))
                .explicit(Tag.Rows, "US", Bytes.usBe(0x0102))
                .explicit(0x00181060, "DS", Bytes.text("1.5"));
        Attributes ds = read(b.bytes(), ReadOptions.DEFAULT).dataset();

        assertThat(ds.integer(Tag.Rows)).hasValue(0x0102);
        assertThat(ds.bytes(Tag.Rows).orElseThrow()).containsExactly(0x02, 0x01);
        assertThat(ds.doubleValue(0x00181060)).hasValue(1.5);
    }

    @Test
    void pixelDataIsLeftInTheSourceUnlessAsked() throws IOException {
        byte[] header = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicit(Tag.Rows, "US", Bytes.us(2)).explicitLong(Tag.PixelData, "OW", 8).bytes();
        byte[] file = Bytes.le().raw(header).raw(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}).bytes();

        BulkDataRef ref = read(file, ReadOptions.DEFAULT).dataset().bulkData(Tag.PixelData).orElseThrow();
        assertThat(ref.offset()).isEqualTo(header.length);
        assertThat(ref.length()).isEqualTo(8);
        assertThat(ref.source()).isEqualTo("mem");

        byte[] loaded = read(file, ReadOptions.EVERYTHING).dataset().bytes(Tag.PixelData).orElseThrow();
        assertThat(loaded).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void stopAtEndsBeforeTheTagAndReportsWhere() throws IOException {
        byte[] header = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicit(Tag.Rows, "US", Bytes.us(2)).bytes();
        byte[] file = Bytes.le().raw(header).explicitLong(Tag.PixelData, "OW", 4).raw(new byte[4]).bytes();

        DicomFile f = read(file, ReadOptions.DEFAULT.withStopAt(Tag.PixelData));
        assertThat(f.dataset().contains(Tag.PixelData)).isFalse();
        assertThat(f.parse().stopped()).isTrue();
        assertThat(f.parse().endOffset()).isEqualTo(header.length);
    }

    @Test
    void remainingInputStartsAtTheStopElement() throws IOException {
        byte[] header = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicit(Tag.Rows, "US", Bytes.us(2)).bytes();
        byte[] tail = Bytes.le().explicitLong(Tag.PixelData, "OW", 4).raw(new byte[]{9, 8, 7, 6}).bytes();
        byte[] file = Bytes.le().raw(header).raw(tail).bytes();

        DicomReader reader = new DicomReader(new ByteArrayInputStream(file), "mem",
                ReadOptions.DEFAULT.withStopAt(Tag.PixelData));
        reader.parse(new AttributesCollector());
        assertThat(reader.remainingInput().readAllBytes()).containsExactly(tail);
    }

    @Test
    void bulkThresholdTurnsLongBinaryValuesIntoReferences() throws IOException {
        byte[] file = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicitLong(0x00091010, "OB", 64).raw(new byte[64])
                .explicit(Tag.PatientName, "PN", Bytes.text(" ".repeat(40))).bytes();
        Attributes ds = read(file, ReadOptions.DEFAULT.withBulkThreshold(32)).dataset();

        assertThat(ds.bulkData(0x00091010)).isPresent();
        // PN is never bulk data (PS3.18 F.2.7 lists which VRs may be)
        assertThat(ds.bytes(Tag.PatientName)).isPresent();
    }

    @Test
    void encapsulatedPixelDataRecordsFragmentOffsets() throws IOException {
        Bytes b = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.4.50"))
                .explicitLong(Tag.PixelData, "OB", 0xFFFFFFFFL)
                .item(0);
        int firstFragment = b.size() + 8;
        b.item(4).raw(new byte[]{(byte) 0xFF, (byte) 0xD8, 0, 0}).item(2).raw(new byte[2]).sequenceEnd();

        Fragments f = read(b.bytes(), ReadOptions.DEFAULT).dataset().fragments(Tag.PixelData).orElseThrow();
        assertThat(f.items()).hasSize(3);
        assertThat(f.offsetTable().length()).isZero();
        assertThat(f.dataFragments().get(0).offset()).isEqualTo(firstFragment);
        assertThat(f.dataFragments().get(0).isLoaded()).isFalse();
        assertThat(f.dataFragments().get(1).length()).isEqualTo(2);
    }

    @Test
    void unknownVrUnOfAKnownTagTakesTheDictionaryVr() throws IOException {
        byte[] file = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicitLong(Tag.PatientName, "UN", 8).ascii("Doe^Ann ").bytes();
        Attributes ds = read(file, ReadOptions.DEFAULT).dataset();
        assertThat(ds.vr(Tag.PatientName)).contains(Vr.PN);
        assertThat(ds.string(Tag.PatientName)).contains("Doe^Ann");
    }

    @Test
    void readsDataSetWithoutPreambleOrFileMeta() throws IOException {
        byte[] bare = Bytes.le().implicit(Tag.PatientName, Bytes.text("No^Meta")).bytes();
        DicomFile f = read(bare, ReadOptions.DEFAULT);
        assertThat(f.fileMetaInformation().isEmpty()).isTrue();
        assertThat(f.dataset().string(Tag.PatientName)).contains("No^Meta");
    }

    @Test
    void readsDeflatedDataSet() throws IOException {
        byte[] dataset = Bytes.le().explicit(Tag.PatientName, "PN", Bytes.text("Deflated^Dan")).bytes();
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, new Deflater(6, true))) {
            out.write(dataset);
        }
        byte[] file = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1.99")).raw(deflated.toByteArray()).bytes();
        assertThat(read(file, ReadOptions.DEFAULT).dataset().string(Tag.PatientName)).contains("Deflated^Dan");
    }

    @Test
    void rejectsLengthBeyondInputWithOffsetAndTag(@TempDir Path dir) throws IOException {
        byte[] header = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1")).bytes();
        byte[] file = Bytes.le().raw(header).explicitLong(0x00091010, "OB", 0x7FFFFFF0L).raw(new byte[16]).bytes();
        Path p = dir.resolve("lying.dcm");
        Files.write(p, file);

        for (var attempt : new ThrowingRead[]{
                () -> DicomReader.readFile(p, ReadOptions.EVERYTHING),
                () -> read(file, ReadOptions.EVERYTHING)}) {
            assertThatThrownBy(attempt::run)
                    .isInstanceOfSatisfying(DicomParseException.class, e -> {
                        assertThat(e.tag()).isEqualTo(0x00091010);
                        assertThat(e.offset()).isBetween((long) header.length, (long) file.length);
                        assertThat(e.getMessage()).contains("(0009,1010)").contains("position");
                    });
        }
    }

    @Test
    void rejectsUnknownVr() {
        // a valid first element, so the explicit/implicit detection sees explicit VR
        byte[] file = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicit(Tag.SpecificCharacterSet, "CS", Bytes.text("ISO_IR 100"))
                .tag(Tag.PatientName).ascii("ZZ").u16(0).bytes();
        assertThatThrownBy(() -> read(file, ReadOptions.DEFAULT))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("Unknown VR");
    }

    @Test
    void rejectsTruncatedElement() {
        byte[] file = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicit(Tag.PatientName, "PN", Bytes.text("Doe")).bytes();
        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 2);
        assertThatThrownBy(() -> read(truncated, ReadOptions.DEFAULT))
                .isInstanceOfSatisfying(DicomParseException.class, e -> assertThat(e.tag()).isEqualTo(Tag.PatientName));
    }

    @Test
    void boundsSequenceNesting() {
        Bytes b = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"));
        for (int i = 0; i < 200; i++) {
            b.explicitLong(REFERENCED_SERIES_SEQUENCE, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL);
        }
        assertThatThrownBy(() -> read(b.bytes(), ReadOptions.DEFAULT))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void keepsMemoryWithinMaxBytes() {
        byte[] file = Bytes.le().raw(Bytes.fileHeader("1.2.840.10008.1.2.1"))
                .explicitLong(0x00091010, "OB", 4096).raw(new byte[4096]).bytes();
        assertThatThrownBy(() -> read(file, ReadOptions.EVERYTHING.withMaxBytes(1024)))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("maxBytes");
    }

    @FunctionalInterface
    interface ThrowingRead {
        void run() throws IOException;
    }
}
