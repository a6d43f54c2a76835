package org.dpacs.conformance;

/**
 * The attribute tags the suite reads, as the 8-hex-digit keys of DICOM JSON (PS3.18 F.2.1.1), named by their PS3.6
 * keyword so a test reads like the standard's tables.
 */
final class Tags {
    static final String SpecificCharacterSet = "00080005";
    static final String StudyDate = "00080020";
    static final String SOPClassUID = "00080016";
    static final String SOPInstanceUID = "00080018";
    static final String Modality = "00080060";
    static final String ModalitiesInStudy = "00080061";
    static final String RetrieveURL = "00081190";
    static final String FailedSOPSequence = "00081198";
    static final String FailureReason = "00081197";
    static final String WarningReason = "00081196";
    static final String ReferencedSOPSequence = "00081199";
    static final String ReferencedSOPClassUID = "00081150";
    static final String ReferencedSOPInstanceUID = "00081155";
    static final String StudyDescription = "00081030";
    static final String PatientName = "00100010";
    static final String PatientID = "00100020";
    static final String StudyInstanceUID = "0020000D";
    static final String SeriesInstanceUID = "0020000E";
    static final String NumberOfStudyRelatedSeries = "00201206";
    static final String NumberOfStudyRelatedInstances = "00201208";
    static final String NumberOfSeriesRelatedInstances = "00201209";
    static final String PixelData = "7FE00010";

    private Tags() {
    }
}
