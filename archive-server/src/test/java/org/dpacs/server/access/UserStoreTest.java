package org.dpacs.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {
    @TempDir
    Path dir;

    @Test
    void usersAreStoredAsSaltedHashesAndAuthenticatedByPassword() throws IOException {
        Path file = dir.resolve("access/users");
        UserStore.put(file, "alice", Role.ADMIN, "correct horse".toCharArray());
        UserStore.put(file, "bob", Role.USER, "battery staple".toCharArray());
        UserStore.put(file, "bob", Role.USER, "a new password".toCharArray()); // replaces bob

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("correct horse").doesNotContain("staple").doesNotContain("new password");
        assertThat(text.lines()).hasSize(2);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);

        UserStore users = UserStore.load(file);
        assertThat(users.authenticate("alice", "correct horse")).hasValueSatisfying(u -> assertThat(u.role())
                .isEqualTo(Role.ADMIN));
        assertThat(users.authenticate("alice", "correct horse")).as("remembered after the first check").isPresent();
        assertThat(users.authenticate("alice", "Correct horse")).isEmpty();
        assertThat(users.authenticate("bob", "battery staple")).isEmpty();
        assertThat(users.authenticate("bob", "a new password")).hasValueSatisfying(u -> assertThat(u.role())
                .isEqualTo(Role.USER));
        assertThat(users.authenticate("carol", "correct horse")).isEmpty();
        // Two users with one password get different hashes (salted).
        UserStore.put(file, "carol", Role.USER, "correct horse".toCharArray());
        assertThat(Files.readAllLines(file).get(2).split(":")[5]).isNotEqualTo(Files.readAllLines(file).get(0)
                .split(":")[5]);
    }

    @Test
    void badInputIsRefusedWithWhatToDo() throws IOException {
        assertThatThrownBy(() -> UserStore.put(dir.resolve("u"), "al ice", Role.USER, "long enough".toCharArray()))
                .hasMessageContaining("user name");
        assertThatThrownBy(() -> UserStore.put(dir.resolve("u"), "alice", Role.USER, "short".toCharArray()))
                .hasMessageContaining("at least 8");
        Path broken = dir.resolve("broken");
        Files.writeString(broken, "# comment\nalice:admin:plaintext:secret\n");
        assertThatThrownBy(() -> UserStore.load(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("user add");
        String salt = "AAAAAAAAAAAAAAAAAAAAAA==";
        String hash = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        for (String line : List.of("alice:admin:pbkdf2-sha256:0:" + salt + ":" + hash,
                "alice:admin:pbkdf2-sha256:210000::" + hash,
                "alice:admin:pbkdf2-sha256:210000:" + salt + ":not base64!",
                "alice:root:pbkdf2-sha256:210000:" + salt + ":" + hash,
                "al ice:admin:pbkdf2-sha256:210000:" + salt + ":" + hash)) {
            Files.writeString(broken, line + "\n");
            assertThatThrownBy(() -> UserStore.load(broken)).as(line).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line 1");
        }
        Files.writeString(broken, ("alice:admin:pbkdf2-sha256:210000:" + salt + ":" + hash + "\n").repeat(2));
        assertThatThrownBy(() -> UserStore.load(broken)).hasMessageContaining("second time");
        assertThat(UserStore.load(dir.resolve("missing")).isEmpty()).isTrue();
    }
}
