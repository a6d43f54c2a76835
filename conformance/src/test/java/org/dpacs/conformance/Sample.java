package org.dpacs.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One sample file as pydicom read it ({@code pydicom_reference.py scan}): what the suite expects the server to give back.
 * {@code source} is the pydicom sample a rewritten copy was made from, {@code null} for an original sample file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Sample(String path, boolean valid, String reason, List<String> warnings, String source,
              String sopClassUid, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
              String transferSyntax, String patientId, Map<String, String> patientName, String patientNameString,
              String studyDate, String studyDescription, String modality, List<String> specificCharacterSet,
              boolean hasPixelData, boolean encapsulated, int numberOfFrames, int rows, int columns,
              int bitsAllocated, int samplesPerPixel) {

    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";

    Sample {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        specificCharacterSet = specificCharacterSet == null ? List.of() : List.copyOf(specificCharacterSet);
        patientName = patientName == null ? Map.of() : Map.copyOf(patientName);
    }

    Path file() {
        return Path.of(path);
    }

    /** The sample-set file this instance stands for, for messages: "test_files/MR_small.dcm". */
    String name() {
        String p = source != null ? source : path;
        int i = p.indexOf("/pydicom/data/");
        return (i >= 0 ? p.substring(i + "/pydicom/data/".length()) : p) + (source != null ? " (new UIDs)" : "");
    }

    String instancePath() {
        return "studies/" + studyInstanceUid + "/series/" + seriesInstanceUid + "/instances/" + sopInstanceUid;
    }

    String seriesPath() {
        return "studies/" + studyInstanceUid + "/series/" + seriesInstanceUid;
    }

    boolean isNative() {
        return hasPixelData && !encapsulated;
    }

    @Override
    public String toString() {
        return name();
    }
}
