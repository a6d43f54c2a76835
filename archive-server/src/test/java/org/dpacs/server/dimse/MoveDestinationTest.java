package org.dpacs.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoveDestinationTest {

    @Test
    void parsesAeTitlesWithHostAndPort() {
        assertThat(MoveDestination.parse(" VIEWER=10.0.0.5:104, WS_2 = pacs.example.org:11113 ,"))
                .containsEntry("VIEWER", new MoveDestination("10.0.0.5", 104))
                .containsEntry("WS_2", new MoveDestination("pacs.example.org", 11113))
                .hasSize(2);
    }

    @Test
    void rejectsEntriesThatAreNotAeEqualsHostColonPort() {
        assertThatThrownBy(() -> MoveDestination.parse("VIEWER=10.0.0.5")).hasMessageContaining("'VIEWER=10.0.0.5'");
        assertThatThrownBy(() -> MoveDestination.parse("VIEWER=host:x")).hasMessageContaining("port");
        assertThatThrownBy(() -> MoveDestination.parse("VIEWER=host:70000")).hasMessageContaining("65535");
        assertThatThrownBy(() -> MoveDestination.parse("AN_AE_TITLE_TOO_LONG=host:104"))
                .hasMessageContaining("16 characters");
    }
}
