package org.dpacs.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomWriterTest {

    private static Attributes sample() {
        Attributes item = new Attributes.Builder().setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.4").build();
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.5")
                .setString(Tag.PatientName, Vr.PN, "Doe^John")
                .setInts(Tag.Rows, Vr.US, 2)
                .setInts(Tag.Columns, Vr.US, 2)
                .set(0x00081115, Vr.SQ, new Sequence(List.of(item, Attributes.EMPTY)))
                .set(Tag.PixelData, Vr.OW, new byte[]{1, 2, 3, 4, 5, 6, 7, 8})
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"})
    void roundTripsInEveryNativeSyntaxWithBothSequenceLengthForms(String tsUid) throws IOException {
        for (boolean undefined : new boolean[]{true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DicomWriter.writeFile(out, sample(), TransferSyntax.of(tsUid),
                    WriteOptions.DEFAULT.withUndefinedLengthSequences(undefined));
            DicomFile back = DicomReader.read(new ByteArrayInputStream(out.toByteArray()), "mem", ReadOptions.EVERYTHING);

            assertThat(back.parse().transferSyntax().uid()).isEqualTo(tsUid);
            assertThat(back.parse().warnings()).isEmpty();
            assertThat(back.dataset()).isEqualTo(sample());
            assertThat(back.fileMetaInformation().string(Tag.ImplementationClassUID))
                    .contains(FileMetaInformation.IMPLEMENTATION_CLASS_UID);
        }
    }

    @Test
    void writesFileMetaGroupLengthThatCoversTheGroup() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        DicomFile back = DicomReader.read(new ByteArrayInputStream(out.toByteArray()), "mem", ReadOptions.DEFAULT);
        long groupLength = back.fileMetaInformation().longValue(Tag.FileMetaInformationGroupLength).orElseThrow();
        // 128 preamble + 4 magic + 12 bytes of the group length element itself
        assertThat(back.parse().datasetOffset()).isEqualTo(144 + groupLength);
    }

    @Test
    void copiesBulkDataFromTheSourceWithoutLoadingIt(@TempDir Path dir) throws IOException {
        Path original = dir.resolve("a.dcm");
        try (var out = Files.newOutputStream(original)) {
            DicomWriter.writeFile(out, sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        }
        Attributes referenced = DicomReader.readFile(original, ReadOptions.DEFAULT).dataset();
        assertThat(referenced.bulkData(Tag.PixelData)).isPresent();

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        DicomWriter.writeFile(copy, referenced, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, WriteOptions.DEFAULT);
        Attributes back = DicomReader.read(new ByteArrayInputStream(copy.toByteArray()), "mem", ReadOptions.EVERYTHING)
                .dataset();
        assertThat(back.bytes(Tag.PixelData).orElseThrow()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void writesLongShortHeaderValuesAsUn() throws IOException {
        Attributes ds = new Attributes.Builder().set(0x00091010, Vr.LO, new byte[70000]).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeDataset(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        Attributes back = DicomReader.read(new ByteArrayInputStream(out.toByteArray()), "mem", ReadOptions.DEFAULT)
                .dataset();
        assertThat(back.vr(0x00091010)).contains(Vr.UN);
        assertThat(back.bytes(0x00091010).orElseThrow()).hasSize(70000);
    }

    @Test
    void refusesEncapsulatedPixelDataInNativeSyntax() throws IOException {
        Path jpeg = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/JPEG-lossy.dcm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(jpeg), "pydicom sample files not installed");
        Attributes ds = DicomReader.readFile(jpeg, ReadOptions.DEFAULT).dataset();
        assertThatThrownBy(() -> DicomWriter.writeFile(new ByteArrayOutputStream(), ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native transfer syntax");
    }

    @Test
    void pipesReaderEventsIntoTheWriter() throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        DicomWriter.writeDataset(first, sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        ByteArrayOutputStream piped = new ByteArrayOutputStream();
        new DicomReader(new ByteArrayInputStream(first.toByteArray()), "mem", ReadOptions.EVERYTHING)
                .parse(DicomWriter.forEvents(piped, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT));
        Attributes back = DicomReader.read(new ByteArrayInputStream(piped.toByteArray()), "mem", ReadOptions.EVERYTHING)
                .dataset();
        assertThat(back).isEqualTo(sample());
    }
}
