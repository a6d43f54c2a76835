package org.dpacs.dicom.dict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class UidRegistryTest {

    @Test
    void transferSyntax() {
        UidEntry e = UidRegistry.lookup("1.2.840.10008.1.2.1").orElseThrow();
        assertThat(e).isEqualTo(new UidEntry("1.2.840.10008.1.2.1", "Explicit VR Little Endian", "Transfer Syntax",
                "ExplicitVRLittleEndian", false));
        assertThat(UidRegistry.uidOf("ImplicitVRLittleEndian")).contains("1.2.840.10008.1.2");
        assertThat(UidRegistry.lookup("1.2.840.10008.1.2.2").orElseThrow().retired()).isTrue(); // Explicit VR Big Endian
    }

    @Test
    void sopClass() {
        UidEntry ct = UidRegistry.lookup("1.2.840.10008.5.1.4.1.1.2").orElseThrow();
        assertThat(ct.keyword()).isEqualTo("CTImageStorage");
        assertThat(ct.type()).isEqualTo("SOP Class");
        assertThat(UidRegistry.nameOf("1.2.840.10008.1.1")).isEqualTo("Verification SOP Class");
    }

    @Test
    void unknownUids() {
        assertThat(UidRegistry.lookup("1.2.3.4")).isEmpty();
        assertThat(UidRegistry.lookup(null)).isEmpty();
        assertThat(UidRegistry.nameOf("1.2.3.4")).isEqualTo("1.2.3.4");
        assertThatNullPointerException().isThrownBy(() -> UidRegistry.nameOf(null));
        assertThat(UidRegistry.uidOf("NoSuchKeyword")).isEmpty();
        assertThat(UidRegistry.uidOf(null)).isEmpty();
        // Two retired SOP classes have neither name nor keyword.
        assertThat(UidRegistry.uidOf("")).isEmpty();
        assertThat(UidRegistry.nameOf("1.2.840.10008.5.1.4.1.1.40")).isEqualTo("1.2.840.10008.5.1.4.1.1.40");
    }

    @Test
    void ofTypeIsInNumericOrder() {
        List<UidEntry> ts = UidRegistry.ofType("Transfer Syntax");
        assertThat(ts).extracting(UidEntry::type).containsOnly("Transfer Syntax");
        assertThat(ts).extracting(UidEntry::keyword).contains("ImplicitVRLittleEndian", "JPEGBaseline8Bit", "RLELossless");
        List<String> uids = ts.stream().map(UidEntry::uid).toList();
        assertThat(uids.indexOf("1.2.840.10008.1.2.4.50")).isLessThan(uids.indexOf("1.2.840.10008.1.2.4.100"));
        assertThat(UidRegistry.ofType("No Such Type")).isEmpty();
        assertThat(UidRegistry.ofType(null)).isEmpty();
    }

    /** Proves the generated registry equals pydicom's UID_dictionary, in both directions. */
    @Test
    void agreesWithPydicomOnEveryUid() throws Exception {
        List<String[]> rows = ElementDictionaryTest.python("""
                from pydicom._uid_dict import UID_dictionary
                for uid, (name, kind, info, ret, kw) in UID_dictionary.items():
                    print('\\t'.join([uid, name, kind, kw, ret]))
                """);
        Set<String> types = new HashSet<>();
        for (String[] r : rows) {
            UidEntry expected = new UidEntry(r[0], r[1], r[2], r[3], r[4].equals("Retired"));
            assertThat(UidRegistry.lookup(r[0])).as(r[0]).contains(expected);
            assertThat(UidRegistry.nameOf(r[0])).as(r[0]).isEqualTo(r[1].isEmpty() ? r[0] : r[1]);
            if (!r[3].isEmpty()) {
                assertThat(UidRegistry.uidOf(r[3])).as(r[3]).contains(r[0]);
            }
            assertThat(UidRegistry.ofType(r[2])).as(r[0]).contains(expected);
            types.add(r[2]);
        }
        assertThat(rows).hasSizeGreaterThan(400);
        assertThat(UidRegistry.entries()).hasSize(rows.size());
        assertThat(types.stream().mapToInt(t -> UidRegistry.ofType(t).size()).sum()).isEqualTo(rows.size());
    }
}
