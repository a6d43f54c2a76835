package org.dpacs.server.index;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dpacs.dicom.dict.ElementDictionary;

/**
 * Which level each attribute belongs to, and the attributes each level returns by default.
 *
 * <p>Study level holds the Patient and Study IE attributes (PS3.4 C.6.1.1.2, C.6.1.1.3 and C.6.2.1.2: the Study
 * Root model folds the patient into the study); series level the Series, Equipment and Frame of Reference IE
 * attributes (C.6.1.1.4); everything else is instance level (C.6.1.1.5: "all other attributes of the IOD").
 * Lists follow the modules of PS3.3 C.7.1 to C.7.5; an attribute missing here is treated as instance level,
 * which only restricts the resources it can be a match key of.
 */
final class Levels {
    // PS3.4 Table C.3-1 and PS3.18 Tables 10.6.3-3..5: attributes the archive computes or knows itself.
    static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    static final int SOP_CLASS_UID = 0x00080016;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int STUDY_DATE = 0x00080020;
    static final int SERIES_DATE = 0x00080021;
    static final int STUDY_TIME = 0x00080030;
    static final int SERIES_TIME = 0x00080031;
    static final int ACCESSION_NUMBER = 0x00080050;
    static final int INSTANCE_AVAILABILITY = 0x00080056;
    static final int MODALITY = 0x00080060;
    static final int MODALITIES_IN_STUDY = 0x00080061;
    static final int SOP_CLASSES_IN_STUDY = 0x00080062;
    static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
    static final int TIMEZONE_OFFSET_FROM_UTC = 0x00080201;
    static final int STUDY_DESCRIPTION = 0x00081030;
    static final int SERIES_DESCRIPTION = 0x0008103E;
    static final int RETRIEVE_URL = 0x00081190;
    static final int RETRIEVE_AE_TITLE = 0x00080054;
    static final int PATIENT_NAME = 0x00100010;
    static final int PATIENT_ID = 0x00100020;
    static final int PATIENT_BIRTH_DATE = 0x00100030;
    static final int PATIENT_SEX = 0x00100040;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;
    static final int STUDY_ID = 0x00200010;
    static final int SERIES_NUMBER = 0x00200011;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int NUMBER_OF_STUDY_RELATED_SERIES = 0x00201206;
    static final int NUMBER_OF_STUDY_RELATED_INSTANCES = 0x00201208;
    static final int NUMBER_OF_SERIES_RELATED_INSTANCES = 0x00201209;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int PPS_START_DATE = 0x00400244;
    static final int PPS_START_TIME = 0x00400245;
    static final int REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;

    /** Returned at every level when known (the "C" rows common to Tables 10.6.3-3, -4 and -5). */
    static final Set<Integer> EVERY_LEVEL = Set.of(SPECIFIC_CHARACTER_SET, TIMEZONE_OFFSET_FROM_UTC,
            INSTANCE_AVAILABILITY, RETRIEVE_URL, RETRIEVE_AE_TITLE);

    /** Values the index computes (PS3.4 Table C.3-1); they only support universal matching, except the two lists. */
    static final Set<Integer> COMPUTED = Set.of(MODALITIES_IN_STUDY, SOP_CLASSES_IN_STUDY,
            NUMBER_OF_STUDY_RELATED_SERIES, NUMBER_OF_STUDY_RELATED_INSTANCES, NUMBER_OF_SERIES_RELATED_INSTANCES);

    /** Return keys only: the archive answers them but cannot match on them. */
    static final Set<Integer> RETURN_ONLY = Set.of(NUMBER_OF_STUDY_RELATED_SERIES, NUMBER_OF_STUDY_RELATED_INSTANCES,
            NUMBER_OF_SERIES_RELATED_INSTANCES, INSTANCE_AVAILABILITY, RETRIEVE_URL, RETRIEVE_AE_TITLE);

    private static final Set<Integer> STUDY = tags(
            // Patient IE: Patient, Clinical Trial Subject modules (PS3.3 C.7.1)
            "PatientName", "PatientID", "IssuerOfPatientID", "IssuerOfPatientIDQualifiersSequence", "TypeOfPatientID",
            "OtherPatientIDsSequence", "OtherPatientNames", "PatientBirthDate", "PatientBirthTime", "PatientSex",
            "PatientBirthName", "PatientMotherBirthName", "PatientComments", "EthnicGroup", "PatientSpeciesDescription",
            "PatientSpeciesCodeSequence", "PatientBreedDescription", "PatientBreedCodeSequence",
            "BreedRegistrationSequence", "StrainDescription", "ResponsiblePerson", "ResponsiblePersonRole",
            "ResponsibleOrganization", "PatientIdentityRemoved", "DeidentificationMethod",
            "DeidentificationMethodCodeSequence", "QualityControlSubject", "PatientAddress", "PatientTelephoneNumbers",
            "MilitaryRank", "BranchOfService", "MedicalRecordLocator", "CountryOfResidence", "RegionOfResidence",
            "PatientReligiousPreference", "NumberOfPatientRelatedStudies", "ClinicalTrialSponsorName",
            "ClinicalTrialProtocolID", "ClinicalTrialProtocolName", "ClinicalTrialSiteID", "ClinicalTrialSiteName",
            "ClinicalTrialSubjectID", "ClinicalTrialSubjectReadingID",
            // Study IE: General Study, Patient Study, Clinical Trial Study modules (PS3.3 C.7.2)
            "StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName",
            "ReferringPhysicianIdentificationSequence", "ConsultingPhysicianName", "StudyID", "AccessionNumber",
            "IssuerOfAccessionNumberSequence", "StudyDescription", "PhysiciansOfRecord", "NameOfPhysiciansReadingStudy",
            "RequestingService", "ReferencedStudySequence", "ProcedureCodeSequence",
            "ReasonForPerformedProcedureCodeSequence", "StudyStatusID", "StudyPriorityID", "AdmittingDiagnosesDescription",
            "AdmittingDiagnosesCodeSequence", "PatientAge", "PatientSize", "PatientSizeCodeSequence", "PatientWeight",
            "MedicalAlerts", "Allergies", "SmokingStatus", "PregnancyStatus", "LastMenstrualDate", "PatientState",
            "Occupation", "AdditionalPatientHistory", "AdmissionID", "IssuerOfAdmissionIDSequence", "ServiceEpisodeID",
            "ServiceEpisodeDescription", "PatientSexNeutered", "ClinicalTrialTimePointID",
            "ClinicalTrialTimePointDescription", "ConsentForClinicalTrialUseSequence",
            "AnatomicRegionsInStudyCodeSequence",
            // PS3.4 Table C.3-1
            "ModalitiesInStudy", "SOPClassesInStudy", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances");

    private static final Set<Integer> SERIES = tags(
            // Series IE: General Series, Clinical Trial Series (PS3.3 C.7.3); Frame of Reference (C.7.4);
            // Equipment IE: General Equipment (C.7.5)
            "Modality", "SeriesInstanceUID", "SeriesNumber", "Laterality", "SeriesDate", "SeriesTime",
            "PerformingPhysicianName", "PerformingPhysicianIdentificationSequence", "ProtocolName", "SeriesDescription",
            "SeriesDescriptionCodeSequence", "OperatorsName", "OperatorIdentificationSequence",
            "ReferencedPerformedProcedureStepSequence", "RelatedSeriesSequence", "BodyPartExamined", "PatientPosition",
            "SmallestPixelValueInSeries", "LargestPixelValueInSeries", "RequestAttributesSequence",
            "PerformedProcedureStepID", "PerformedProcedureStepStartDate", "PerformedProcedureStepStartTime",
            "PerformedProcedureStepEndDate", "PerformedProcedureStepEndTime", "PerformedProcedureStepDescription",
            "PerformedProtocolCodeSequence", "CommentsOnThePerformedProcedureStep", "AnatomicalOrientationType",
            "ClinicalTrialCoordinatingCenterName", "ClinicalTrialSeriesID", "ClinicalTrialSeriesDescription",
            "FrameOfReferenceUID", "PositionReferenceIndicator", "Manufacturer", "InstitutionName",
            "InstitutionAddress", "StationName", "InstitutionalDepartmentName", "ManufacturerModelName",
            "DeviceSerialNumber", "SoftwareVersions", "SendingApplicationEntityTitle",
            "NumberOfSeriesRelatedInstances");

    /** PS3.18 Table 10.6.3-3 plus SOP Classes in Study and Study Description, which viewers ask for. */
    static final List<Integer> STUDY_DEFAULTS = List.of(SPECIFIC_CHARACTER_SET, STUDY_DATE, STUDY_TIME,
            ACCESSION_NUMBER, INSTANCE_AVAILABILITY, MODALITIES_IN_STUDY, SOP_CLASSES_IN_STUDY,
            REFERRING_PHYSICIAN_NAME, TIMEZONE_OFFSET_FROM_UTC, STUDY_DESCRIPTION, PATIENT_NAME, PATIENT_ID,
            PATIENT_BIRTH_DATE, PATIENT_SEX, STUDY_INSTANCE_UID, STUDY_ID, NUMBER_OF_STUDY_RELATED_SERIES,
            NUMBER_OF_STUDY_RELATED_INSTANCES);

    /** The "R" (required) rows of Table 10.6.3-3: present in every result, zero length when unknown. */
    static final Set<Integer> STUDY_REQUIRED = Set.of(STUDY_DATE, STUDY_TIME, ACCESSION_NUMBER, MODALITIES_IN_STUDY,
            REFERRING_PHYSICIAN_NAME, PATIENT_NAME, PATIENT_ID, PATIENT_BIRTH_DATE, PATIENT_SEX, STUDY_INSTANCE_UID,
            STUDY_ID, NUMBER_OF_STUDY_RELATED_SERIES, NUMBER_OF_STUDY_RELATED_INSTANCES);

    /** PS3.18 Table 10.6.3-4 plus Study Instance UID, so a series of /series can be located. */
    static final List<Integer> SERIES_DEFAULTS = List.of(SPECIFIC_CHARACTER_SET, MODALITY, TIMEZONE_OFFSET_FROM_UTC,
            SERIES_DESCRIPTION, STUDY_INSTANCE_UID, SERIES_INSTANCE_UID, SERIES_NUMBER,
            NUMBER_OF_SERIES_RELATED_INSTANCES, PPS_START_DATE, PPS_START_TIME, REQUEST_ATTRIBUTES_SEQUENCE);

    /** The "R" rows of Table 10.6.3-4. */
    static final Set<Integer> SERIES_REQUIRED = Set.of(MODALITY, SERIES_INSTANCE_UID, SERIES_NUMBER,
            NUMBER_OF_SERIES_RELATED_INSTANCES, STUDY_INSTANCE_UID);

    /** PS3.18 Table 10.6.3-5 ("if present in the Instance") plus the study and series UIDs. */
    static final List<Integer> INSTANCE_DEFAULTS = List.of(SPECIFIC_CHARACTER_SET, SOP_CLASS_UID, SOP_INSTANCE_UID,
            INSTANCE_AVAILABILITY, TIMEZONE_OFFSET_FROM_UTC, STUDY_INSTANCE_UID, SERIES_INSTANCE_UID, INSTANCE_NUMBER,
            NUMBER_OF_FRAMES, ROWS, COLUMNS, BITS_ALLOCATED);

    private Levels() {
    }

    /** The level {@code tag} belongs to; attributes of every level count as study level (allowed everywhere). */
    static QidoLevel levelOf(int tag) {
        if (STUDY.contains(tag) || EVERY_LEVEL.contains(tag)) {
            return QidoLevel.STUDY;
        }
        return SERIES.contains(tag) ? QidoLevel.SERIES : QidoLevel.INSTANCE;
    }

    /** True for attributes a study (or series) document keeps: those of {@code level} and the every-level ones. */
    static boolean keptAt(QidoLevel level, int tag) {
        return EVERY_LEVEL.contains(tag) || levelOf(tag) == level;
    }

    static List<Integer> defaults(QidoLevel level) {
        return switch (level) {
            case STUDY -> STUDY_DEFAULTS;
            case SERIES -> SERIES_DEFAULTS;
            case INSTANCE -> INSTANCE_DEFAULTS;
        };
    }

    /** Required return keys: zero length when the entity has no value (PS3.4 C.2.2.1.2 "R" keys). */
    static Set<Integer> required(QidoLevel level) {
        return switch (level) {
            case STUDY -> STUDY_REQUIRED;
            case SERIES -> SERIES_REQUIRED;
            case INSTANCE -> Set.of();
        };
    }

    private static Set<Integer> tags(String... keywords) {
        Set<Integer> out = new HashSet<>();
        for (String k : keywords) {
            out.add(ElementDictionary.tagOf(k).orElseThrow(
                    () -> new IllegalStateException("Keyword " + k + " is not in the PS3.6 dictionary")));
        }
        return Set.copyOf(out);
    }
}
