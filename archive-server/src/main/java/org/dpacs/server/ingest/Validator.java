package org.dpacs.server.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;

/**
 * Decides whether an arriving data set may be stored: strict on what we index (the four UIDs, the study
 * scope), lenient elsewhere (odd but harmless things become warnings). Returns a value; never throws.
 */
final class Validator {
    /** PS3.5 9.1: components of digits without leading zeros, separated by dots, at most 64 characters. */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    record Result(List<String> errors, List<String> warnings, boolean studyMismatch) {
        boolean isValid() {
            return errors.isEmpty();
        }
    }

    private Validator() {
    }

    static boolean isUid(String s) {
        return s.length() <= 64 && UID.matcher(s).matches();
    }

    static Result validate(Attributes fmi, Attributes ds, Optional<String> expectedStudy) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        requireUid(ds, Tag.SOPClassUID, "SOPClassUID", errors);
        requireUid(ds, Tag.SOPInstanceUID, "SOPInstanceUID", errors);
        requireUid(ds, Tag.StudyInstanceUID, "StudyInstanceUID", errors);
        requireUid(ds, Tag.SeriesInstanceUID, "SeriesInstanceUID", errors);
        boolean mismatch = false;
        Optional<String> study = ds.string(Tag.StudyInstanceUID);
        if (expectedStudy.isPresent() && study.isPresent() && !expectedStudy.get().equals(study.get())) {
            errors.add("StudyInstanceUID (0020,000D) is " + study.get() + " but the request stores into study "
                    + expectedStudy.get() + "; post it to /studies or to its own study");
            mismatch = true;
        }
        Optional<String> fmiSop = fmi.string(Tag.MediaStorageSOPInstanceUID);
        if (fmiSop.isPresent() && !fmiSop.equals(ds.string(Tag.SOPInstanceUID))) {
            warnings.add("MediaStorageSOPInstanceUID (0002,0003) differs from SOPInstanceUID (0008,0018); "
                    + "the File Meta Information was rewritten");
        }
        return new Result(List.copyOf(errors), List.copyOf(warnings), mismatch);
    }

    private static void requireUid(Attributes ds, int tag, String keyword, List<String> errors) {
        Optional<String> v = ds.string(tag);
        if (v.isEmpty()) {
            errors.add(keyword + " " + Tag.toString(tag) + " is missing or empty; every stored instance needs it");
        } else if (!isUid(v.get())) {
            errors.add(keyword + " " + Tag.toString(tag) + " '" + v.get()
                    + "' is not a valid UID (PS3.5 9.1: digits and dots, no leading zeros, at most 64 characters)");
        }
    }
}
