package org.dpacs.server.deid;

import org.dpacs.server.access.Origin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.dict.ElementDictionary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Derived from PS3.15 Table E.1-1 itself (the generated annex-e.tsv): for every attribute of the table, a
 * synthetic instance carrying it goes through the Basic Profile alone and with each option, and the stored
 * attribute shows the action the table requires for that column.
 */
class AnnexETableTest {
    private static final String SECRET = "annex-e-table-test-secret";

    @TempDir
    static Path dir;

    static Stream<Arguments> rowsByProfile() {
        List<Arguments> out = new ArrayList<>();
        List<Set<DeidOption>> profiles = new ArrayList<>();
        profiles.add(Set.of());
        for (DeidOption o : DeidOption.values()) {
            profiles.add(Set.of(o));
        }
        for (AnnexE.Row row : AnnexE.table().rows()) {
            for (Set<DeidOption> p : profiles) {
                String name = p.isEmpty() ? "basic" : "basic," + p.iterator().next().configName();
                out.add(Arguments.of(String.format("%08X %s", row.tag(), row.name()), name, row, p));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("rowsByProfile")
    void appliesTheActionOfTheTable(String label, String profile, AnnexE.Row row, Set<DeidOption> options) {
        // A pattern row's tag has its 'x' nibbles 0; (5000,0000) would be a group length, so Curve Data is (5000,3000).
        int tag = row.mask() == -1 || (row.tag() & 0xFFFF) != 0 ? row.tag() : row.tag() | 0x3000;
        Vr vr = vrOf(tag);
        // An attribute newer than the toolkit's dictionary arrives as UN (implicit VR); if the table says U, its
        // value is a UID.
        Object original = vr == Vr.UN && row.basic().contains("U")
                ? new byte[] {'1', '.', '2', '.', '3', '.', '4', '.', '5', 0} : sampleValue(vr);
        Attributes in = base().set(tag, vr, original).build();
        Deidentifier deid = Deidentifier.create(new DeidSettings(true, options, java.util.Optional.of(SECRET),
                BurnedInPolicy.REJECT, Set.of()), dir);

        Attributes out = ((DeidResult.Deidentified) deid.deidentify(in, Origin.of("test"))).attributes();

        String code = AnnexE.actionFor(row, options);
        Action action = Action.resolve(code);
        int i = out.indexOf(tag);
        if (tag == Tag.PatientID || tag == Tag.PatientName) {
            // Z with a dummy: the consistent pseudonym (PS3.15 E.1-1 allows a dummy value for Z).
            assertThat(out.string(tag).orElse("")).contains(tag == Tag.PatientID ? "DPACS-" : "ANONYMOUS^");
            return;
        }
        switch (action) {
            case X -> assertThat(i).as("%s removed", code).isNegative();
            case Z -> {
                assertThat(i).as("%s present", code).isNotNegative();
                assertThat(isEmpty(out.valueAt(i))).as("%s empty", code).isTrue();
            }
            case D -> {
                assertThat(i).as("%s present", code).isNotNegative();
                if (original instanceof Sequence) {
                    assertThat(out.valueAt(i)).isInstanceOf(Sequence.class);
                } else {
                    assertThat(isEmpty(out.valueAt(i))).as("%s non-empty dummy", code).isFalse();
                    assertThat(out.valueAt(i)).as("%s replaced", code).isNotEqualTo(original);
                }
            }
            case K, C -> {
                assertThat(i).as("%s present", code).isNotNegative();
                if (action == Action.C && options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)
                        && (vr == Vr.DA || vr == Vr.DT)) {
                    assertThat(out.string(tag).orElse("")).as("date shifted").isNotEqualTo(in.string(tag).orElse(""));
                } else if (!(original instanceof Sequence)) {
                    assertThat((byte[]) out.valueAt(i)).as("%s kept (nothing identifying to clean)", code)
                            .isEqualTo((byte[]) original);
                }
            }
            case U -> {
                assertThat(i).as("%s present", code).isNotNegative();
                if (vr == Vr.UI || vr == Vr.UN) {
                    assertThat(out.vrAt(i)).isEqualTo(Vr.UI);
                    assertThat(out.string(tag).orElse("")).startsWith("2.25.").isNotEqualTo("1.2.3.4.5");
                }
            }
            default -> throw new AssertionError(action);
        }
    }

    private static Attributes.Builder base() {
        return new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .setString(Tag.SOPInstanceUID, Vr.UI, "1.2.3.100")
                .setString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.101")
                .setString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.102")
                .setString(Tag.PatientID, Vr.LO, "PID-4711")
                .setString(Tag.PatientName, Vr.PN, "Doe^Jane");
    }

    private static Vr vrOf(int tag) {
        if ((tag & 0xFF000000) == 0x50000000 || tag == 0x60003000) {
            return Vr.OW; // Curve Data, Overlay Data: "OB or OW" in PS3.6
        }
        return ElementDictionary.vrOf(tag);
    }

    private static Object sampleValue(Vr vr) {
        String text = switch (vr) {
            case DA -> "20200102";
            case TM -> "101010";
            case DT -> "20200102101010";
            case AS -> "045Y";
            case DS -> "1.5";
            case IS -> "7";
            case UI -> "1.2.3.4.5";
            case CS -> "VALUE";
            case AE -> "STATION";
            default -> "Original value";
        };
        if (vr == Vr.SQ) {
            return new Sequence(List.of(new Attributes.Builder().setString(0x00080100, Vr.SH, "CODE").build()));
        }
        if (vr.isText()) {
            return TextValues.pad(text.getBytes(StandardCharsets.US_ASCII), vr);
        }
        return new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
    }

    private static boolean isEmpty(Object value) {
        return value instanceof Sequence s ? s.isEmpty() : value instanceof byte[] b && b.length == 0;
    }
}
