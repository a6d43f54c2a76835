package org.dpacs.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttributesBuilderTest {

    @Test
    void aBuilderFromAnEmptyDataSetGrows() {
        Attributes a = Attributes.EMPTY.toBuilder().setString(Tag.PatientID, Vr.LO, "X")
                .setString(Tag.PatientName, Vr.PN, "Doe^J").build();
        assertThat(a.size()).isEqualTo(2);
        assertThat(a.string(Tag.PatientName)).hasValue("Doe^J");
    }

    @Test
    void outOfOrderSetsAreSortedAndTheLastOfEqualTagsWins() {
        Attributes.Builder b = new Attributes.Builder();
        for (int i = 40; i > 0; i--) {
            b.setString(0x00091000 + i, Vr.LO, "v" + i);
        }
        b.setString(0x00091005, Vr.LO, "replaced");
        Attributes a = b.build();
        assertThat(a.size()).isEqualTo(40);
        for (int i = 1; i < a.size(); i++) {
            assertThat(Integer.compareUnsigned(a.tagAt(i - 1), a.tagAt(i))).isNegative();
        }
        assertThat(a.string(0x00091005)).hasValue("replaced");
        Attributes grown = a.toBuilder().setString(0x00100010, Vr.PN, "Z").build();
        assertThat(grown.size()).isEqualTo(41);
    }
}
