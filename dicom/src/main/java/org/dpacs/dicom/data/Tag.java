package org.dpacs.dicom.data;

/**
 * A data element tag is a plain {@code int}: group in the high 16 bits, element in the low 16. This class
 * holds the helpers and the constants the codec itself needs; the full dictionary is in
 * {@link org.dpacs.dicom.dict.ElementDictionary}.
 */
public final class Tag {
    private Tag() {
    }

    public static final int FileMetaInformationGroupLength = 0x00020000;
    public static final int FileMetaInformationVersion = 0x00020001;
    public static final int MediaStorageSOPClassUID = 0x00020002;
    public static final int MediaStorageSOPInstanceUID = 0x00020003;
    public static final int TransferSyntaxUID = 0x00020010;
    public static final int ImplementationClassUID = 0x00020012;
    public static final int ImplementationVersionName = 0x00020013;
    public static final int SourceApplicationEntityTitle = 0x00020016;
    public static final int SpecificCharacterSet = 0x00080005;
    public static final int SOPClassUID = 0x00080016;
    public static final int SOPInstanceUID = 0x00080018;
    public static final int StudyDate = 0x00080020;
    public static final int Modality = 0x00080060;
    public static final int PatientName = 0x00100010;
    public static final int PatientID = 0x00100020;
    public static final int StudyInstanceUID = 0x0020000D;
    public static final int SeriesInstanceUID = 0x0020000E;
    public static final int SamplesPerPixel = 0x00280002;
    public static final int NumberOfFrames = 0x00280008;
    public static final int Rows = 0x00280010;
    public static final int Columns = 0x00280011;
    public static final int BitsAllocated = 0x00280100;
    public static final int PixelRepresentation = 0x00280103;
    public static final int ExtendedOffsetTable = 0x7FE00001;
    public static final int ExtendedOffsetTableLengths = 0x7FE00002;
    public static final int FloatPixelData = 0x7FE00008;
    public static final int DoubleFloatPixelData = 0x7FE00009;
    public static final int PixelData = 0x7FE00010;
    public static final int DataSetTrailingPadding = 0xFFFCFFFC;
    /** PS3.5 7.5: item, item delimitation and sequence delimitation carry no VR in any transfer syntax. */
    public static final int Item = 0xFFFEE000;
    public static final int ItemDelimitationItem = 0xFFFEE00D;
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;

    public static int of(int group, int element) {
        return (group << 16) | (element & 0xFFFF);
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Odd groups other than 0001, 0003, 0005, 0007 and FFFF hold private data elements (PS3.5 7.8). */
    public static boolean isPrivate(int tag) {
        int group = group(tag);
        return (group & 1) == 1 && group > 0x0007 && group != 0xFFFF;
    }

    /** (gggg,0010-00FF) in a private group reserves a block of elements for one creator (PS3.5 7.8.1). */
    public static boolean isPrivateCreator(int tag) {
        int element = element(tag);
        return isPrivate(tag) && element >= 0x0010 && element <= 0x00FF;
    }

    /** The private creator element that reserves the block of a private data element, e.g. (0029,1010) to (0029,0010). */
    public static int privateCreatorOf(int tag) {
        return (tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF);
    }

    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    /** The form dcmdump prints: {@code (0010,0010)}. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }

    /** The form DICOM JSON keys use: {@code 00100010}. */
    public static String toHex(int tag) {
        char[] c = new char[8];
        for (int i = 7; i >= 0; i--) {
            int nibble = (tag >>> ((7 - i) * 4)) & 0xF;
            c[i] = (char) (nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
        }
        return new String(c);
    }

    /** Parses {@code 00100010} or {@code (0010,0010)} or {@code 0010,0010}; throws IllegalArgumentException otherwise. */
    public static int parse(String s) {
        String hex = s.strip();
        if (hex.startsWith("(") && hex.endsWith(")")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        hex = hex.replace(",", "");
        if (hex.length() != 8) {
            throw new IllegalArgumentException("Not a tag: '" + s + "'; expected 8 hex digits such as 00100010");
        }
        try {
            return (int) Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a tag: '" + s + "'; expected 8 hex digits such as 00100010", e);
        }
    }
}
