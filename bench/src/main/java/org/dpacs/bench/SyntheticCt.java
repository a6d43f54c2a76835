package org.dpacs.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.FileMetaInformation;
import org.dpacs.dicom.io.WriteOptions;

/**
 * Deterministic synthetic CT instances for benchmarks: the same arguments always give byte-identical files,
 * so results are comparable between runs and machines and nothing depends on patient data.
 *
 * <p>The header mirrors what a modern helical CT scanner puts in a CT Image Storage instance: the Patient,
 * General Study, General Series, Frame of Reference, General Equipment, General/CT Image, Image Plane,
 * Image Pixel, VOI LUT and SOP Common modules, two short sequences and one private block with a creator and a
 * 2 KB opaque blob (scanners carry such blobs; it is what {@code bulkThreshold} is for). Pixels are a
 * water-filled cylinder phantom in Hounsfield units with a little deterministic noise, 16 bits allocated,
 * 12 stored, signed.
 *
 * <p>Series generation for server benchmarks: {@link #writeSeries} or {@link #writeInstance} per slice; UIDs
 * come from {@link #uid}, so a study/series/instance can be named by a short seed string.
 */
public final class SyntheticCt {
    public static final int ROWS = 512;
    public static final int COLUMNS = 512;
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1";
    /** The private creator of the block in group 0029; fixed so readers of the files can find it. */
    public static final String PRIVATE_CREATOR = "DPACS BENCH CT 1.0";

    private static final double SLICE_THICKNESS = 1.25;
    private static final double PIXEL_SPACING = 0.703125; // 360 mm field of view / 512
    private static final int RESCALE_INTERCEPT = -1024;
    private static final int PADDING_VALUE = -2000;

    // Tags not among the codec's own constants in Tag; named here so the header reads like a module table.
    private static final int ImageType = 0x00080008;
    private static final int InstanceCreationDate = 0x00080012;
    private static final int InstanceCreationTime = 0x00080013;
    private static final int InstanceCreatorUID = 0x00080014;
    private static final int SeriesDate = 0x00080021;
    private static final int AcquisitionDate = 0x00080022;
    private static final int ContentDate = 0x00080023;
    private static final int StudyTime = 0x00080030;
    private static final int SeriesTime = 0x00080031;
    private static final int AcquisitionTime = 0x00080032;
    private static final int ContentTime = 0x00080033;
    private static final int AccessionNumber = 0x00080050;
    private static final int Manufacturer = 0x00080070;
    private static final int InstitutionName = 0x00080080;
    private static final int InstitutionAddress = 0x00080081;
    private static final int ReferringPhysicianName = 0x00080090;
    private static final int CodeValue = 0x00080100;
    private static final int CodingSchemeDesignator = 0x00080102;
    private static final int CodeMeaning = 0x00080104;
    private static final int TimezoneOffsetFromUTC = 0x00080201;
    private static final int StationName = 0x00081010;
    private static final int StudyDescription = 0x00081030;
    private static final int ProcedureCodeSequence = 0x00081032;
    private static final int SeriesDescription = 0x0008103E;
    private static final int InstitutionalDepartmentName = 0x00081040;
    private static final int PhysiciansOfRecord = 0x00081048;
    private static final int PerformingPhysicianName = 0x00081050;
    private static final int OperatorsName = 0x00081070;
    private static final int ManufacturerModelName = 0x00081090;
    private static final int ReferencedImageSequence = 0x00081140;
    private static final int ReferencedSOPClassUID = 0x00081150;
    private static final int ReferencedSOPInstanceUID = 0x00081155;
    private static final int IssuerOfPatientID = 0x00100021;
    private static final int PatientBirthDate = 0x00100030;
    private static final int PatientSex = 0x00100040;
    private static final int PatientAge = 0x00101010;
    private static final int PatientSize = 0x00101020;
    private static final int PatientWeight = 0x00101030;
    private static final int AdditionalPatientHistory = 0x001021B0;
    private static final int PatientIdentityRemoved = 0x00120062;
    private static final int ContrastBolusAgent = 0x00180010;
    private static final int BodyPartExamined = 0x00180015;
    private static final int ScanOptions = 0x00180022;
    private static final int SliceThickness = 0x00180050;
    private static final int KVP = 0x00180060;
    private static final int SpacingBetweenSlices = 0x00180088;
    private static final int DataCollectionDiameter = 0x00180090;
    private static final int DeviceSerialNumber = 0x00181000;
    private static final int SoftwareVersions = 0x00181020;
    private static final int ProtocolName = 0x00181030;
    private static final int ReconstructionDiameter = 0x00181100;
    private static final int DistanceSourceToDetector = 0x00181110;
    private static final int DistanceSourceToPatient = 0x00181111;
    private static final int GantryDetectorTilt = 0x00181120;
    private static final int TableHeight = 0x00181130;
    private static final int RotationDirection = 0x00181140;
    private static final int ExposureTime = 0x00181150;
    private static final int XRayTubeCurrent = 0x00181151;
    private static final int Exposure = 0x00181152;
    private static final int FilterType = 0x00181160;
    private static final int GeneratorPower = 0x00181170;
    private static final int FocalSpots = 0x00181190;
    private static final int DateOfLastCalibration = 0x00181200;
    private static final int TimeOfLastCalibration = 0x00181201;
    private static final int ConvolutionKernel = 0x00181210;
    private static final int PatientPosition = 0x00185100;
    private static final int AcquisitionType = 0x00189302;
    private static final int RevolutionTime = 0x00189305;
    private static final int SingleCollimationWidth = 0x00189306;
    private static final int TotalCollimationWidth = 0x00189307;
    private static final int TableSpeed = 0x00189309;
    private static final int TableFeedPerRotation = 0x00189310;
    private static final int SpiralPitchFactor = 0x00189311;
    private static final int DataCollectionCenterPatient = 0x00189313;
    private static final int ReconstructionTargetCenterPatient = 0x00189318;
    private static final int ExposureModulationType = 0x00189323;
    private static final int CTDIvol = 0x00189345;
    private static final int StudyID = 0x00200010;
    private static final int SeriesNumber = 0x00200011;
    private static final int AcquisitionNumber = 0x00200012;
    private static final int InstanceNumber = 0x00200013;
    private static final int ImagePositionPatient = 0x00200032;
    private static final int ImageOrientationPatient = 0x00200037;
    private static final int FrameOfReferenceUID = 0x00200052;
    private static final int PositionReferenceIndicator = 0x00201040;
    private static final int SliceLocation = 0x00201041;
    private static final int ImageComments = 0x00204000;
    private static final int PhotometricInterpretation = 0x00280004;
    private static final int PixelSpacing = 0x00280030;
    private static final int BitsStored = 0x00280101;
    private static final int HighBit = 0x00280102;
    private static final int SmallestImagePixelValue = 0x00280106;
    private static final int LargestImagePixelValue = 0x00280107;
    private static final int PixelPaddingValue = 0x00280120;
    private static final int WindowCenter = 0x00281050;
    private static final int WindowWidth = 0x00281051;
    private static final int RescaleIntercept = 0x00281052;
    private static final int RescaleSlope = 0x00281053;
    private static final int RescaleType = 0x00281054;
    private static final int WindowCenterWidthExplanation = 0x00281055;
    private static final int LossyImageCompression = 0x00282110;
    private static final int RequestingPhysician = 0x00321032;
    private static final int RequestingService = 0x00321033;
    private static final int RequestedProcedureDescription = 0x00321060;
    private static final int PerformedProcedureStepStartDate = 0x00400244;
    private static final int PerformedProcedureStepStartTime = 0x00400245;
    private static final int PerformedProcedureStepID = 0x00400253;
    private static final int PerformedProcedureStepDescription = 0x00400254;
    private static final int RequestedProcedureID = 0x00401001;
    private static final int SharedFunctionalGroupsSequence = 0x52009229;
    private static final int PixelMeasuresSequence = 0x00289110;
    private static final int PlaneOrientationSequence = 0x00209116;
    private static final int ContentQualification = 0x00189004;
    private static final int PrivateCreator = 0x00290010;
    private static final int PrivateScanMode = 0x00291008;
    private static final int PrivateRecon = 0x00291009;
    private static final int PrivateBlob = 0x00291010;
    private static final int PrivateTubeRotations = 0x00291018;
    private static final int PrivateNoiseIndex = 0x00291020;

    private SyntheticCt() {
    }

    /**
     * A 2.25 UID (PS3.5 B.2) derived from {@code name}: a name-based UUID read as an unsigned decimal, so the
     * same name always gives the same valid UID and different names practically never collide.
     */
    public static String uid(String name) {
        UUID u = UUID.nameUUIDFromBytes(("dpacs-bench:" + name).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(1, bytes);
    }

    /** The SOP Instance UID {@link #header} gives instance {@code instanceNumber} of a series. */
    public static String instanceUid(String seriesUid, int instanceNumber) {
        return uid(seriesUid + "/" + instanceNumber);
    }

    /**
     * The header (everything but Pixel Data) of slice {@code instanceNumber} (1-based) of a helical CT series:
     * the slice position, SOP Instance UID, noise and times vary with the number, patient and study facts
     * with {@code studyUid}.
     */
    public static Attributes header(String studyUid, String seriesUid, int instanceNumber) {
        int patient = Math.floorMod(studyUid.hashCode(), 100_000);
        String sopInstanceUid = instanceUid(seriesUid, instanceNumber);
        double z = -100.0 - (instanceNumber - 1) * SLICE_THICKNESS;
        String contentTime = time(9 * 3600 + 14 * 60 + 5, instanceNumber);
        Attributes.Builder b = new Attributes.Builder();

        // SOP Common, General Image and CT Image: group 0008 comes first in tag order.
        b.setString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 100");
        b.setString(ImageType, Vr.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        b.setString(InstanceCreationDate, Vr.DA, "20240314");
        b.setString(InstanceCreationTime, Vr.TM, contentTime);
        b.setString(InstanceCreatorUID, Vr.UI, uid("creator"));
        b.setString(Tag.SOPClassUID, Vr.UI, CT_IMAGE_STORAGE);
        b.setString(Tag.SOPInstanceUID, Vr.UI, sopInstanceUid);
        b.setString(Tag.StudyDate, Vr.DA, "20240314");
        b.setString(SeriesDate, Vr.DA, "20240314");
        b.setString(AcquisitionDate, Vr.DA, "20240314");
        b.setString(ContentDate, Vr.DA, "20240314");
        b.setString(StudyTime, Vr.TM, "091205.000000");
        b.setString(SeriesTime, Vr.TM, "091340.125000");
        b.setString(AcquisitionTime, Vr.TM, contentTime);
        b.setString(ContentTime, Vr.TM, contentTime);
        b.setString(AccessionNumber, Vr.SH, String.format(Locale.ROOT, "A%09d", patient * 7 + 3));
        b.setString(Tag.Modality, Vr.CS, "CT");
        b.setString(Manufacturer, Vr.LO, "dPACS Synthetic Imaging");
        b.setString(InstitutionName, Vr.LO, "Benchmark General Hospital");
        b.setString(InstitutionAddress, Vr.ST, "1 Radiology Way, Testville");
        b.setString(ReferringPhysicianName, Vr.PN, "REFERRER^ROBERTA^^DR");
        b.setString(TimezoneOffsetFromUTC, Vr.SH, "+0100");
        b.setString(StationName, Vr.SH, "CTSCAN01");
        b.setString(StudyDescription, Vr.LO, "CT CHEST ABDOMEN PELVIS W CONTRAST");
        b.set(ProcedureCodeSequence, Vr.SQ, new Sequence(List.of(new Attributes.Builder()
                .setString(CodeValue, Vr.SH, "CTCAPC")
                .setString(CodingSchemeDesignator, Vr.SH, "99DPACS")
                .setString(CodeMeaning, Vr.LO, "CT Chest Abdomen Pelvis with contrast")
                .build())));
        b.setString(SeriesDescription, Vr.LO, "Body 1.25mm STND");
        b.setString(InstitutionalDepartmentName, Vr.LO, "Radiology");
        b.setString(PhysiciansOfRecord, Vr.PN, "RECORD^PAULA");
        b.setString(PerformingPhysicianName, Vr.PN, "PERFORMER^PETER");
        b.setString(OperatorsName, Vr.PN, "TECH^TINA");
        b.setString(ManufacturerModelName, Vr.LO, "SynthCT 128");
        b.set(ReferencedImageSequence, Vr.SQ, new Sequence(List.of(
                reference(uid(seriesUid + "/localizer/1")), reference(uid(seriesUid + "/localizer/2")))));

        // Patient.
        b.setString(Tag.PatientName, Vr.PN, String.format(Locale.ROOT, "BENCH^PATIENT%05d", patient));
        b.setString(Tag.PatientID, Vr.LO, String.format(Locale.ROOT, "PID%07d", patient));
        b.setString(IssuerOfPatientID, Vr.LO, "DPACS-BENCH");
        b.setString(PatientBirthDate, Vr.DA, String.format(Locale.ROOT, "19%02d%02d%02d", 30 + patient % 60,
                1 + patient % 12, 1 + patient % 28));
        b.setString(PatientSex, Vr.CS, patient % 2 == 0 ? "F" : "M");
        b.setString(PatientAge, Vr.AS, String.format(Locale.ROOT, "%03dY", 94 - patient % 60));
        b.setString(PatientSize, Vr.DS, "1.72");
        b.setString(PatientWeight, Vr.DS, "78.5");
        b.setString(AdditionalPatientHistory, Vr.LT, "Follow-up of incidental pulmonary nodule.");
        b.setString(PatientIdentityRemoved, Vr.CS, "NO");

        // CT acquisition and equipment (group 0018).
        b.setString(ContrastBolusAgent, Vr.LO, "IOPAMIDOL 370");
        b.setString(BodyPartExamined, Vr.CS, "CHEST");
        b.setString(ScanOptions, Vr.CS, "HELICAL MODE");
        b.setString(SliceThickness, Vr.DS, ds(SLICE_THICKNESS));
        b.setString(KVP, Vr.DS, "120");
        b.setString(SpacingBetweenSlices, Vr.DS, ds(SLICE_THICKNESS));
        b.setString(DataCollectionDiameter, Vr.DS, "500");
        b.setString(DeviceSerialNumber, Vr.LO, "SN-000451");
        b.setString(SoftwareVersions, Vr.LO, "SYNTH_CT_4.2.1");
        b.setString(ProtocolName, Vr.LO, "5.1 CAP Routine");
        b.setString(ReconstructionDiameter, Vr.DS, "360");
        b.setString(DistanceSourceToDetector, Vr.DS, "946.746");
        b.setString(DistanceSourceToPatient, Vr.DS, "538.52");
        b.setString(GantryDetectorTilt, Vr.DS, "0");
        b.setString(TableHeight, Vr.DS, "172.5");
        b.setString(RotationDirection, Vr.CS, "CW");
        b.setString(ExposureTime, Vr.IS, "500");
        b.setString(XRayTubeCurrent, Vr.IS, Integer.toString(180 + instanceNumber % 40));
        b.setString(Exposure, Vr.IS, "90");
        b.setString(FilterType, Vr.SH, "BODY FILTER");
        b.setString(GeneratorPower, Vr.IS, "84");
        b.setString(FocalSpots, Vr.DS, "0.7");
        b.setString(DateOfLastCalibration, Vr.DA, "20240313");
        b.setString(TimeOfLastCalibration, Vr.TM, "061500");
        b.setString(ConvolutionKernel, Vr.SH, "STANDARD");
        b.setString(PatientPosition, Vr.CS, "FFS");
        b.setString(AcquisitionType, Vr.CS, "SPIRAL");
        b.set(RevolutionTime, Vr.FD, fd(0.5));
        b.set(SingleCollimationWidth, Vr.FD, fd(0.625));
        b.set(TotalCollimationWidth, Vr.FD, fd(40.0));
        b.set(TableSpeed, Vr.FD, fd(78.75));
        b.set(TableFeedPerRotation, Vr.FD, fd(39.375));
        b.set(SpiralPitchFactor, Vr.FD, fd(0.984375));
        b.set(DataCollectionCenterPatient, Vr.FD, fd(0.0, -172.5, z));
        b.set(ReconstructionTargetCenterPatient, Vr.FD, fd(0.0, -172.5, z));
        b.setString(ExposureModulationType, Vr.CS, "XY_Z_MODULATION");
        b.set(CTDIvol, Vr.FD, fd(11.84));

        // Study, series, instance identity and Image Plane (group 0020).
        b.setString(Tag.StudyInstanceUID, Vr.UI, studyUid);
        b.setString(Tag.SeriesInstanceUID, Vr.UI, seriesUid);
        b.setString(StudyID, Vr.SH, Integer.toString(patient % 10_000));
        b.setString(SeriesNumber, Vr.IS, "3");
        b.setString(AcquisitionNumber, Vr.IS, "1");
        b.setString(InstanceNumber, Vr.IS, Integer.toString(instanceNumber));
        b.setString(ImagePositionPatient, Vr.DS, "-179.6484375", "-352.1484375", ds(z));
        b.setString(ImageOrientationPatient, Vr.DS, "1", "0", "0", "0", "1", "0");
        b.setString(FrameOfReferenceUID, Vr.UI, uid(studyUid + "/for"));
        b.setString(PositionReferenceIndicator, Vr.LO, "SN");
        b.setString(SliceLocation, Vr.DS, ds(z));
        b.setString(ImageComments, Vr.LT, "Synthetic phantom for dPACS benchmarks");

        // Image Pixel, CT Image and VOI LUT (group 0028). Signed pixels: SS for the US/SS-ambiguous tags.
        b.setInts(Tag.SamplesPerPixel, Vr.US, 1);
        b.setString(PhotometricInterpretation, Vr.CS, "MONOCHROME2");
        b.setInts(Tag.Rows, Vr.US, ROWS);
        b.setInts(Tag.Columns, Vr.US, COLUMNS);
        b.setString(PixelSpacing, Vr.DS, ds(PIXEL_SPACING), ds(PIXEL_SPACING));
        b.setInts(Tag.BitsAllocated, Vr.US, 16);
        b.setInts(BitsStored, Vr.US, 12);
        b.setInts(HighBit, Vr.US, 11);
        b.setInts(Tag.PixelRepresentation, Vr.US, 1);
        b.setInts(SmallestImagePixelValue, Vr.SS, PADDING_VALUE);
        b.setInts(LargestImagePixelValue, Vr.SS, 2047);
        b.setInts(PixelPaddingValue, Vr.SS, PADDING_VALUE);
        b.setString(WindowCenter, Vr.DS, "40", "-600");
        b.setString(WindowWidth, Vr.DS, "400", "1500");
        b.setString(RescaleIntercept, Vr.DS, Integer.toString(RESCALE_INTERCEPT));
        b.setString(RescaleSlope, Vr.DS, "1");
        b.setString(RescaleType, Vr.LO, "HU");
        b.setString(WindowCenterWidthExplanation, Vr.LO, "WINDOW1", "WINDOW2");
        b.setString(LossyImageCompression, Vr.CS, "00");

        // Private block: a creator, small typed values and a scanner-style opaque blob.
        b.setString(PrivateCreator, Vr.LO, PRIVATE_CREATOR);
        b.setString(PrivateScanMode, Vr.CS, "HELICAL");
        b.setString(PrivateRecon, Vr.LO, "ITERATIVE LEVEL 3");
        b.set(PrivateBlob, Vr.OB, blob(2048, instanceNumber));
        b.setInts(PrivateTubeRotations, Vr.US, 24);
        b.setString(PrivateNoiseIndex, Vr.DS, "11.5");

        // Requesting and performed procedure step (groups 0032 and 0040).
        b.setString(RequestingPhysician, Vr.PN, "REFERRER^ROBERTA^^DR");
        b.setString(RequestingService, Vr.LO, "ONCOLOGY");
        b.setString(RequestedProcedureDescription, Vr.LO, "CT CHEST ABDOMEN PELVIS W CONTRAST");
        b.setString(PerformedProcedureStepStartDate, Vr.DA, "20240314");
        b.setString(PerformedProcedureStepStartTime, Vr.TM, "091205");
        b.setString(PerformedProcedureStepID, Vr.SH, "PPS" + patient);
        b.setString(PerformedProcedureStepDescription, Vr.LO, "CT CAP W");
        b.setString(RequestedProcedureID, Vr.SH, "RP" + patient);
        return b.build();
    }

    /** Pixel Data (OW, little endian) of slice {@code instanceNumber}: phantom plus deterministic noise. */
    public static byte[] pixels(int instanceNumber) {
        byte[] out = new byte[ROWS * COLUMNS * 2];
        fillFrame(ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN), instanceNumber);
        return out;
    }

    /**
     * Stored values (HU + 1024): padding outside the 500 mm scan circle, air around a 300 mm water cylinder,
     * a bone ring and a lung-like insert whose size varies with the slice, noise from an LCG seeded by the
     * slice so neighbouring slices differ the way real ones do.
     */
    private static void fillFrame(ByteBuffer out, int slice) {
        long state = 0x9E3779B97F4A7C15L * (slice + 1);
        double cx = COLUMNS / 2.0;
        double cy = ROWS / 2.0;
        double insert = 40 + 20 * Math.sin(slice * 0.05);
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS; x++) {
                double r = Math.hypot(x - cx, y - cy) * PIXEL_SPACING;
                double lung = Math.hypot(x - cx - 60 / PIXEL_SPACING, y - cy) * PIXEL_SPACING;
                int hu;
                if (r > 180) {
                    out.putShort((short) PADDING_VALUE);
                    continue;
                } else if (r > 150) {
                    hu = -1000;
                } else if (r > 140) {
                    hu = 900;
                } else if (lung < insert) {
                    hu = -850;
                } else {
                    hu = 20;
                }
                state = state * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) ((state >>> 59) - 16); // -16..15 HU
                out.putShort((short) Math.max(-2048, Math.min(2047, hu + noise - RESCALE_INTERCEPT)));
            }
        }
    }

    /** Writes slice {@code instanceNumber} as a CT Image Storage file in explicit VR LE; returns its path. */
    public static Path writeInstance(Path dir, String studyUid, String seriesUid, int instanceNumber) throws IOException {
        Attributes ds = header(studyUid, seriesUid, instanceNumber).toBuilder()
                .set(Tag.PixelData, Vr.OW, pixels(instanceNumber))
                .build();
        Path file = dir.resolve(String.format(Locale.ROOT, "CT%05d.dcm", instanceNumber));
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        }
        return file;
    }

    /** Writes {@code count} slices of one series into {@code dir} (created if needed). */
    public static List<Path> writeSeries(Path dir, String studyUid, String seriesUid, int count) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            files.add(writeInstance(dir, studyUid, seriesUid, i));
        }
        return files;
    }

    /**
     * Writes a multi-frame file that is mostly pixel data: the CT header shaped as Enhanced CT (with a shared
     * functional group giving the pixel measures), then {@code frames} 512x512x16 frames. Frames are generated
     * one at a time straight into the output, so 200 frames (100 MiB) need no 100 MiB array; Pixel Data is
     * the last element, so appending its header and bytes after the writer's data set gives a valid file.
     */
    public static Path writeMultiFrame(Path file, String studyUid, String seriesUid, int frames) throws IOException {
        long pixelBytes = (long) frames * ROWS * COLUMNS * 2;
        if (pixelBytes > 0xFFFFFFFEL) {
            throw new IllegalArgumentException(frames + " frames do not fit one native Pixel Data element");
        }
        Attributes single = header(studyUid, seriesUid, 1);
        String sopInstanceUid = uid(seriesUid + "/multiframe");
        Attributes ds = single.toBuilder()
                .setString(Tag.SOPClassUID, Vr.UI, ENHANCED_CT_IMAGE_STORAGE)
                .setString(Tag.SOPInstanceUID, Vr.UI, sopInstanceUid)
                .setString(ContentQualification, Vr.CS, "RESEARCH")
                .setString(Tag.NumberOfFrames, Vr.IS, Integer.toString(frames))
                .set(SharedFunctionalGroupsSequence, Vr.SQ, new Sequence(List.of(new Attributes.Builder()
                        .set(PlaneOrientationSequence, Vr.SQ, new Sequence(List.of(new Attributes.Builder()
                                .setString(ImageOrientationPatient, Vr.DS, "1", "0", "0", "0", "1", "0").build())))
                        .set(PixelMeasuresSequence, Vr.SQ, new Sequence(List.of(new Attributes.Builder()
                                .setString(SliceThickness, Vr.DS, ds(SLICE_THICKNESS))
                                .setString(PixelSpacing, Vr.DS, ds(PIXEL_SPACING), ds(PIXEL_SPACING)).build())))
                        .build())))
                .build();
        Attributes fmi = FileMetaInformation.of(ENHANCED_CT_IMAGE_STORAGE, sopInstanceUid,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            DicomWriter.writeFile(out, fmi, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
            // PS3.5 7.1.2: OW takes the 12-byte explicit VR header with a 32-bit length.
            ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) Tag.group(Tag.PixelData)).putShort((short) Tag.element(Tag.PixelData))
                    .put((byte) 'O').put((byte) 'W').putShort((short) 0).putInt((int) pixelBytes);
            out.write(head.array());
            ByteBuffer frame = ByteBuffer.allocate(ROWS * COLUMNS * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int f = 1; f <= frames; f++) {
                frame.clear();
                fillFrame(frame, f);
                out.write(frame.array());
            }
        }
        return file;
    }

    private static Attributes reference(String sopInstanceUid) {
        return new Attributes.Builder()
                .setString(ReferencedSOPClassUID, Vr.UI, CT_IMAGE_STORAGE)
                .setString(ReferencedSOPInstanceUID, Vr.UI, sopInstanceUid)
                .build();
    }

    /** Opaque bytes like a scanner's private header blob: deterministic, not compressible to nothing. */
    private static byte[] blob(int length, int seed) {
        byte[] b = new byte[length];
        long state = 0xD1B54A32D192ED03L ^ seed;
        for (int i = 0; i < length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            b[i] = (byte) (state >>> 56);
        }
        return b;
    }

    private static byte[] fd(double... values) {
        return BinaryValues.encodeDoubles(values, Vr.FD);
    }

    /** A DS value: at most 16 characters (PS3.5 6.2), no exponent for the magnitudes used here. */
    private static String ds(double v) {
        String s = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        s = s.equals("-0") ? "0" : s;
        return s.length() <= 16 ? s : s.substring(0, 16);
    }

    /** hhmmss.ffffff, {@code base} seconds after midnight plus half a second per slice. */
    private static String time(int base, int slice) {
        int halfSeconds = base * 2 + slice;
        int s = halfSeconds / 2;
        return String.format(Locale.ROOT, "%02d%02d%02d.%06d", s / 3600 % 24, s / 60 % 60, s % 60,
                (halfSeconds % 2) * 500_000);
    }
}
