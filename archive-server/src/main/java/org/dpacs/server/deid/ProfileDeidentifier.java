package org.dpacs.server.deid;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.Vr;
import org.dpacs.server.access.Origin;

/**
 * The Basic Application Level Confidentiality Profile of PS3.15 E.1, with the options of E.3, applied to the
 * header of one instance per Table E.1-1 ({@link AnnexE}), in nested sequences too. Attributes the table does not
 * list are kept (sequences among them are cleaned item by item); private attributes are removed unless the Retain
 * Safe Private option is on and they are on the configured safe list. Patient ID and Patient's Name get
 * consistent pseudonyms and UIDs consistent new UIDs ({@link Pseudonyms}). Thread-safe.
 */
final class ProfileDeidentifier implements Deidentifier {
    static final int IssuerOfPatientID = 0x00100021;
    static final int PatientBirthDate = 0x00100030;
    static final int OtherPatientIDs = 0x00101000;
    static final int PatientAddress = 0x00101040;
    static final int AccessionNumber = 0x00080050;
    static final int InstitutionName = 0x00080080;
    static final int ReferringPhysicianName = 0x00080090;
    static final int PatientIdentityRemoved = 0x00120062;
    static final int DeidentificationMethod = 0x00120063;
    static final int DeidentificationMethodCodeSequence = 0x00120064;
    static final int BurnedInAnnotation = 0x00280301;
    static final int LongitudinalTemporalInformationModified = 0x00280303;
    static final int CodeValue = 0x00080100;
    static final int CodingSchemeDesignator = 0x00080102;
    static final int CodeMeaning = 0x00080104;
    static final int ContentSequence = 0x0040A730;
    static final int TextValue = 0x0040A160;
    static final int ContentDateTime = 0x0040A120;
    static final int ContentItemDate = 0x0040A121;
    static final int ContentItemTime = 0x0040A122;

    static final String DUMMY_TEXT = "ANONYMIZED";
    static final String DUMMY_NAME = "ANONYMOUS";
    static final String DUMMY_DATE = "19000101";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final AnnexE table = AnnexE.table();
    private final DeidSettings settings;
    private final Set<DeidOption> options;
    private final Pseudonyms pseudonyms;
    private final ReidentificationLog log;

    ProfileDeidentifier(DeidSettings settings, String secret, ReidentificationLog log) {
        this.settings = settings;
        this.options = settings.options();
        this.pseudonyms = new Pseudonyms(secret);
        this.log = log;
    }

    @Override
    public DeidResult deidentify(Attributes header, Origin origin) {
        List<String> warnings = new ArrayList<>();
        Optional<String> burnedIn = burnedInReason(header);
        Optional<String> hold = Optional.empty();
        if (burnedIn.isPresent()) {
            switch (settings.burnedIn()) {
                case REJECT -> {
                    return new DeidResult.Refused(burnedIn.get() + ", and de-identification cannot remove text "
                            + "from pixels; the instance was not stored (the operator may set dpacs.deid.burned.in="
                            + "quarantine or accept-with-warning)");
                }
                case QUARANTINE -> {
                    hold = Optional.of(burnedIn.get() + ", and de-identification cannot remove text from pixels");
                    warnings.add(hold.get() + "; held in quarantine, not retrievable until an administrator "
                            + "releases it");
                }
                case ACCEPT_WITH_WARNING -> warnings.add(burnedIn.get()
                        + "; stored with its pixel data unchanged, which may show identifying text");
            }
        }
        String patientId = header.string(Tag.PatientID).orElse("");
        String patientKey = Pseudonyms.patientKey(patientId, header.string(IssuerOfPatientID).orElse(""),
                header.text(Tag.PatientName).orElse(""), header.string(PatientBirthDate).orElse(""));
        Run run = new Run(patientKey, scrubber(header));
        Attributes.Builder b = clean(header, run, false, false).toBuilder();
        b.setString(Tag.PatientID, Vr.LO, pseudonyms.patientId(patientKey));
        b.setString(Tag.PatientName, Vr.PN, pseudonyms.patientName(patientKey));
        recordMethod(b);
        Attributes out = b.build();
        String study = header.string(Tag.StudyInstanceUID).orElse("");
        // One record per patient, original study and new study: two profiles give one study two new UIDs.
        log.record(patientKey + "\0" + study + "\0" + out.string(Tag.StudyInstanceUID).orElse(""),
                String.join("\t", "patient-id=" + pseudonyms.patientId(patientKey),
                "original-patient-id=" + patientId,
                "original-issuer=" + header.string(IssuerOfPatientID).orElse(""),
                "original-patient-name=" + header.text(Tag.PatientName).orElse(""),
                "original-birth-date=" + header.string(PatientBirthDate).orElse(""),
                "original-study=" + study,
                "study=" + out.string(Tag.StudyInstanceUID).orElse(""),
                "source=" + origin));
        warnings.add("De-identified on arrival (" + methodDescription() + "): " + run.removed + " attributes removed, "
                + run.replaced + " replaced; Patient ID and Patient's Name are pseudonyms");
        return new DeidResult.Deidentified(out, warnings, changed(header, out), hold);
    }

    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /** The values of a UN value if it is a list of valid UIDs (PS3.5 9.1), padded as UI values are. */
    static Optional<List<String>> uids(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII).replaceAll("[\\x00 ]+$", "");
        List<String> values = List.of(text.split("\\\\", -1));
        return !text.isEmpty() && values.stream().allMatch(v -> v.length() <= 64 && UID.matcher(v).matches())
                ? Optional.of(values) : Optional.empty();
    }

    /**
     * The top-level attributes of {@code in} that {@code out} lacks or holds with another value, as in {@code in},
     * for the Modified Attributes Sequence item (PS3.3 C.12.1.1.9.1): with Specific Character Set, so text
     * decodes as it did, and with the creator of every private attribute listed.
     */
    private static Attributes changed(Attributes in, Attributes out) {
        Attributes.Builder b = new Attributes.Builder(in.charset());
        Set<Integer> creators = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            int tag = in.tagAt(i);
            int j = out.indexOf(tag);
            Object before = in.valueAt(i);
            boolean same = j >= 0 && out.vrAt(j) == in.vrAt(i) && (before instanceof byte[] x
                    ? out.valueAt(j) instanceof byte[] y && Arrays.equals(x, y)
                    : before.equals(out.valueAt(j)));
            if (!same && (tag & 0xFFFF) != 0) {
                b.set(tag, in.vrAt(i), before);
                if ((tag & 0x10000) != 0 && (tag & 0xFFFF) >= 0x1000) {
                    creators.add(tag & 0xFFFF0000 | (tag & 0xFF00) >>> 8);
                }
            }
        }
        if (b.size() == 0) {
            return Attributes.EMPTY;
        }
        for (int creator : creators) {
            int k = in.indexOf(creator);
            if (k >= 0 && !b.contains(creator)) {
                b.set(creator, in.vrAt(k), in.valueAt(k));
            }
        }
        int charset = in.indexOf(Tag.SpecificCharacterSet);
        if (charset >= 0 && !b.contains(Tag.SpecificCharacterSet)) {
            b.set(Tag.SpecificCharacterSet, in.vrAt(charset), in.valueAt(charset));
        }
        return b.build();
    }

    /**
     * Attributes after Pixel Data, cleaned as part of the instance whose {@code header} (as it arrived) names the
     * patient: the same date shift and free-text identifiers, no second re-identification record.
     */
    @Override
    public Attributes deidentifyTrailing(Attributes header, Attributes trailing, Origin origin) {
        String patientKey = Pseudonyms.patientKey(header.string(Tag.PatientID).orElse(""),
                header.string(IssuerOfPatientID).orElse(""), header.text(Tag.PatientName).orElse(""),
                header.string(PatientBirthDate).orElse(""));
        // A private block may start before Pixel Data and go on after it: its creator is in the header. Lend
        // the header's creators so the safe list can be checked, then take them out again (they are stored).
        Attributes.Builder withCreators = trailing.toBuilder();
        Set<Integer> lent = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            int tag = header.tagAt(i);
            int element = tag & 0xFFFF;
            if ((tag & 0x10000) != 0 && element >= 0x0010 && element <= 0x00FF && !trailing.contains(tag)) {
                withCreators.set(tag, header.vrAt(i), header.valueAt(i));
                lent.add(tag);
            }
        }
        Attributes cleaned = clean(withCreators.build(), new Run(patientKey, scrubber(header)), false, false);
        if (lent.isEmpty()) {
            return cleaned;
        }
        Attributes.Builder out = cleaned.toBuilder();
        lent.forEach(out::remove);
        return out.build();
    }

    /** The state of one instance's pass: its patient, what identifies it in free text, counters. */
    private final class Run {
        final String patientKey;
        final Optional<Pattern> scrub;
        int removed;
        int replaced;

        Run(String patientKey, Optional<Pattern> scrub) {
            this.patientKey = patientKey;
            this.scrub = scrub;
        }
    }

    /**
     * One data set (the top level or an item). {@code scrubAll}: inside a sequence being cleaned (C), every text
     * value is cleaned too; {@code inContent}: inside SR Content Sequence, whose text and dates the table cannot
     * name one by one.
     */
    private Attributes clean(Attributes ds, Run run, boolean scrubAll, boolean inContent) {
        Attributes.Builder b = new Attributes.Builder(ds.charset());
        Set<Integer> keptCreators = keptPrivateCreators(ds);
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            Vr vr = ds.vrAt(i);
            Object value = ds.valueAt(i);
            int group = tag >>> 16;
            int element = tag & 0xFFFF;
            if (element == 0 && group != 0x0002) {
                continue; // group lengths would be wrong after removals; they are retired anyway (PS3.5 7.2)
            }
            if ((group & 1) == 1) {
                boolean creator = element >= 0x0010 && element <= 0x00FF;
                if (creator ? keptCreators.contains(tag) : isSafePrivate(ds, tag)) {
                    b.set(tag, vr, value);
                } else {
                    run.removed++;
                }
                continue;
            }
            Optional<AnnexE.Row> row = table.row(tag);
            if (row.isEmpty()) {
                keepOrClean(b, tag, vr, value, run, scrubAll, inContent || tag == ContentSequence);
                continue;
            }
            Action action = Action.resolve(AnnexE.actionFor(row.get(), options));
            switch (action) {
                case X -> run.removed++;
                case Z -> {
                    b.set(tag, vr, value instanceof Sequence ? Sequence.EMPTY : new byte[0]);
                    run.replaced++;
                }
                case D -> {
                    if (value instanceof Sequence s) {
                        b.set(tag, vr, cleanItems(s, run, scrubAll, inContent || tag == ContentSequence));
                    } else if (value instanceof byte[] bytes && bytes.length == 0) {
                        b.set(tag, vr, value); // an empty value tells nothing; a dummy would only invent one
                    } else {
                        b.set(tag, vr, dummy(vr, ds, tag));
                        run.replaced++;
                    }
                }
                case K -> keepOrClean(b, tag, vr, value, run, scrubAll, inContent || tag == ContentSequence);
                case C -> {
                    if (value instanceof Sequence s) {
                        b.set(tag, vr, cleanItems(s, run, true, inContent || tag == ContentSequence));
                    } else {
                        b.set(tag, vr, cleanValue(ds, i, run));
                    }
                }
                case U -> {
                    if (value instanceof Sequence s) {
                        b.set(tag, vr, cleanItems(s, run, scrubAll, inContent));
                    } else if (vr == Vr.UI && value instanceof byte[]) {
                        List<String> uids = ds.stringsAt(i);
                        b.setString(tag, vr, uids.stream().map(pseudonyms::uid).toArray(String[]::new));
                        run.replaced++;
                    } else if (vr == Vr.UN && value instanceof byte[] bytes && uids(bytes).isPresent()) {
                        // Implicit VR and an attribute newer than our dictionary: the table says it holds UIDs,
                        // so map them as UIDs (and say so with VR UI) rather than lose the link they make.
                        b.setString(tag, Vr.UI, uids(bytes).get().stream().map(pseudonyms::uid)
                                .toArray(String[]::new));
                        run.replaced++;
                    } else {
                        run.removed++; // a UID attribute that is not a UID cannot be remapped; drop it
                    }
                }
                default -> throw new IllegalStateException(action.name());
            }
        }
        return b.build();
    }

    /** An attribute the table does not list, or one it keeps: sequences are cleaned, free text inside C is cleaned. */
    private void keepOrClean(Attributes.Builder b, int tag, Vr vr, Object value, Run run, boolean scrubAll,
                             boolean inContent) {
        if (value instanceof Sequence s) {
            b.set(tag, vr, cleanItems(s, run, scrubAll, inContent));
        } else if (inContent && (tag == TextValue || tag == ContentDateTime || tag == ContentItemDate
                || tag == ContentItemTime)) {
            b.set(tag, vr, contentValue(tag, vr, value, run));
        } else if (scrubAll && vr.isText() && value instanceof byte[] bytes) {
            b.set(tag, vr, scrub(bytes, vr, b, run));
        } else {
            b.set(tag, vr, value);
        }
    }

    /**
     * SR content items carry free text and dates that Table E.1-1 covers only through Content Sequence (D, or C
     * under Clean Structured Content): text is replaced by a dummy (cleaned under that option), dates follow the
     * longitudinal options.
     */
    private Object contentValue(int tag, Vr vr, Object value, Run run) {
        if (!(value instanceof byte[] bytes)) {
            return value;
        }
        if (tag == TextValue) {
            run.replaced++;
            return options.contains(DeidOption.CLEAN_STRUCTURED_CONTENT) ? scrub(bytes, vr, null, run)
                    : TextValues.pad(DUMMY_TEXT.getBytes(StandardCharsets.US_ASCII), vr);
        }
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)) {
            return value;
        }
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
            return vr == Vr.TM ? value : shiftDates(new String(bytes, StandardCharsets.US_ASCII), vr, run);
        }
        run.replaced++;
        return dummyText(vr);
    }

    private Sequence cleanItems(Sequence s, Run run, boolean scrubAll, boolean inContent) {
        List<Attributes> items = new ArrayList<>(s.size());
        for (Attributes item : s.items()) {
            items.add(clean(item, run, scrubAll, inContent));
        }
        return new Sequence(items);
    }

    /** C on a value: dates are shifted (Modified Dates), text has the patient's identifiers removed. */
    private Object cleanValue(Attributes ds, int index, Run run) {
        Vr vr = ds.vrAt(index);
        Object value = ds.valueAt(index);
        if (!(value instanceof byte[] bytes)) {
            return value;
        }
        if (vr == Vr.DA || vr == Vr.DT) {
            return options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)
                    ? shiftDates(new String(bytes, StandardCharsets.US_ASCII), vr, run) : value;
        }
        if (vr.isText() && vr != Vr.TM && vr != Vr.UI) {
            Attributes.Builder enc = new Attributes.Builder(ds.charset());
            return scrub(bytes, vr, enc, run);
        }
        return value; // times keep their time of day; binary values (overlay bitmaps) are kept, see the docs
    }

    /** Shifts every date by the patient's offset (Retain Longitudinal Temporal Information, Modified Dates). */
    private byte[] shiftDates(String text, Vr vr, Run run) {
        int days = pseudonyms.dayOffset(run.patientKey);
        List<String> out = new ArrayList<>();
        for (String v : TextValues.split(text, vr)) {
            if (v.length() < 8) {
                out.add(vr == Vr.DA ? DUMMY_DATE : DUMMY_DATE + "000000");
                continue;
            }
            try {
                LocalDate d = LocalDate.parse(v.substring(0, 8), DA).plusDays(days);
                out.add(d.format(DA) + v.substring(8));
            } catch (DateTimeParseException e) {
                out.add(vr == Vr.DA ? DUMMY_DATE : DUMMY_DATE + "000000"); // a value that is not a date goes
            }
        }
        run.replaced++;
        return TextValues.pad(String.join("\\", out).getBytes(StandardCharsets.US_ASCII), vr);
    }

    /** Removes the patient's identifiers (names, IDs, birth date, accession, institution) from free text. */
    private byte[] scrub(byte[] bytes, Vr vr, Attributes.Builder encoder, Run run) {
        if (run.scrub.isEmpty()) {
            return bytes;
        }
        Attributes.Builder enc = encoder != null ? encoder : new Attributes.Builder();
        Attributes probe = new Attributes.Builder(enc.charset()).set(1, vr, bytes).build();
        String text = probe.text(1).orElse("");
        String cleaned = run.scrub.get().matcher(text).replaceAll("***");
        if (cleaned.equals(text)) {
            return bytes;
        }
        run.replaced++;
        byte[] encoded = vr.isCharsetDependent() ? enc.charset().encode(cleaned, vr)
                : cleaned.getBytes(StandardCharsets.ISO_8859_1);
        return TextValues.pad(encoded, vr);
    }

    /** The identifying strings of this header, as one case-insensitive pattern; empty when there are none. */
    private static Optional<Pattern> scrubber(Attributes header) {
        Set<String> terms = new LinkedHashSet<>();
        for (String name : List.of(header.text(Tag.PatientName).orElse(""),
                header.text(ReferringPhysicianName).orElse(""))) {
            for (String part : name.split("[\\^=\\\\,\\s]+")) {
                if (part.length() >= 3) {
                    terms.add(part);
                }
            }
        }
        for (int tag : new int[] {Tag.PatientID, OtherPatientIDs, AccessionNumber}) {
            header.strings(tag).stream().filter(s -> s.length() >= 2).forEach(terms::add);
        }
        for (int tag : new int[] {PatientBirthDate, InstitutionName, PatientAddress}) {
            header.strings(tag).stream().filter(s -> s.length() >= 3).forEach(terms::add);
        }
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        // Longest first, so "SMITHSON" is removed whole before "SMITH" could leave "SON".
        String alternation = terms.stream().sorted((a, c) -> c.length() - a.length()).map(Pattern::quote)
                .collect(Collectors.joining("|"));
        return Optional.of(Pattern.compile(alternation, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** A dummy of the VR: text that identifies nothing, a consistent new UID, zeros for binary values. */
    private byte[] dummy(Vr vr, Attributes ds, int tag) {
        if (vr == Vr.UI) {
            String original = ds.string(tag).orElse("dummy\0" + Tag.toString(tag));
            return TextValues.pad(pseudonyms.uid(original).getBytes(StandardCharsets.US_ASCII), vr);
        }
        if (vr.isText()) {
            return dummyText(vr);
        }
        return new byte[Math.max(2, vr.unitSize())];
    }

    private static byte[] dummyText(Vr vr) {
        String v = switch (vr) {
            case PN -> DUMMY_NAME;
            case DA -> DUMMY_DATE;
            case TM -> "000000";
            case DT -> DUMMY_DATE + "000000";
            case AS -> "000D";
            case DS, IS -> "0";
            case UR -> "urn:dpacs:anonymized";
            default -> DUMMY_TEXT;
        };
        return TextValues.pad(v.getBytes(StandardCharsets.US_ASCII), vr);
    }

    /** Private creators (gggg,00xx) that a kept private attribute of their block needs. */
    private Set<Integer> keptPrivateCreators(Attributes ds) {
        Set<Integer> out = new HashSet<>();
        if (!options.contains(DeidOption.RETAIN_SAFE_PRIVATE) || settings.safePrivate().isEmpty()) {
            return out;
        }
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if (((tag >>> 16) & 1) == 1 && (tag & 0xFFFF) >= 0x1000 && isSafePrivate(ds, tag)) {
                out.add((tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF));
            }
        }
        return out;
    }

    /** Retain Safe Private (E.3.10): kept only if the (creator, element) pair is on the configured safe list. */
    private boolean isSafePrivate(Attributes ds, int tag) {
        int element = tag & 0xFFFF;
        if (!options.contains(DeidOption.RETAIN_SAFE_PRIVATE) || element < 0x1000) {
            return false;
        }
        int creatorTag = (tag & 0xFFFF0000) | (element >>> 8);
        Optional<String> creator = ds.string(creatorTag);
        if (creator.isEmpty()) {
            return false;
        }
        int key = (tag & 0xFFFF0000) | (element & 0xFF);
        return settings.safePrivate().contains(new DeidSettings.SafePrivate(creator.get(), key));
    }

    /** Why this instance may show identifying text in its pixels, if it may. */
    static Optional<String> burnedInReason(Attributes header) {
        String flag = header.string(BurnedInAnnotation).orElse("").toUpperCase(Locale.ROOT);
        if (flag.equals("YES")) {
            return Optional.of("Burned In Annotation (0028,0301) is YES");
        }
        String sopClass = header.string(Tag.SOPClassUID).orElse("");
        if (BurnedInPolicy.SUSPECT_SOP_CLASSES.contains(sopClass) && !flag.equals("NO")) {
            return Optional.of("SOP Class " + sopClass + " (secondary capture or ultrasound) often carries "
                    + "burned-in text and Burned In Annotation (0028,0301) does not say NO");
        }
        return Optional.empty();
    }

    /** PS3.15 E.1.1: Patient Identity Removed, De-identification Method and its code sequence (CID 7050). */
    private void recordMethod(Attributes.Builder b) {
        b.setString(PatientIdentityRemoved, Vr.CS, "YES");
        List<String> method = new ArrayList<>();
        method.add("PS3.15 E.1 Basic Application Confidentiality Profile");
        options.stream().map(DeidOption::configName).forEach(method::add);
        b.setString(DeidentificationMethod, Vr.LO, method.toArray(String[]::new));
        List<Attributes> codes = new ArrayList<>();
        codes.add(code(b, DeidOption.BASIC_PROFILE_CODE, DeidOption.BASIC_PROFILE_MEANING));
        for (DeidOption o : options) {
            codes.add(code(b, o.code(), o.meaning()));
        }
        b.set(DeidentificationMethodCodeSequence, Vr.SQ, new Sequence(codes));
        String longitudinal = options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES) ? "UNMODIFIED"
                : options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES) ? "MODIFIED" : "REMOVED";
        b.setString(LongitudinalTemporalInformationModified, Vr.CS, longitudinal);
    }

    private static Attributes code(Attributes.Builder parent, String value, String meaning) {
        return new Attributes.Builder(parent.charset())
                .setString(CodeValue, Vr.SH, value)
                .setString(CodingSchemeDesignator, Vr.SH, "DCM")
                .setString(CodeMeaning, Vr.LO, meaning)
                .build();
    }

    private String methodDescription() {
        return options.isEmpty() ? "PS3.15 Basic Profile" : "PS3.15 Basic Profile with "
                + options.stream().map(DeidOption::configName).collect(Collectors.joining(", "));
    }

}
