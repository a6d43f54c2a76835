package org.dpacs.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ObjectStore} contract on the filesystem, plus what only the filesystem store does. */
class FileObjectStoreTest extends ObjectStoreContract {

    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("objects");
    }

    @Override
    protected ObjectStore openStore() throws IOException {
        return new FileObjectStore(root());
    }

    @Override
    protected long unfinishedWrites() throws IOException {
        try (Stream<Path> files = Files.list(root().resolve(".tmp"))) {
            return files.count();
        }
    }

    @Test
    void keysAreRelativePathsUnderTheRoot() throws IOException {
        put("1.2.3/4.5/6.7", bytes(10, 1));
        assertThat(root().resolve("1.2.3").resolve("4.5").resolve("6.7")).isRegularFile().hasSize(10);
    }

    @Test
    void removesLeftoverTempFilesOnStart() throws IOException {
        put("kept/1", bytes(10, 1));
        store.close();
        Path tmp = root().resolve(".tmp");
        Files.write(tmp.resolve("crashed-1.part"), bytes(1000, 1));
        Files.write(tmp.resolve("crashed-2.part"), bytes(0, 2));
        store = openStore();
        assertThat(unfinishedWrites()).isZero();
        assertThat(read("kept/1")).isEqualTo(bytes(10, 1));
        assertThat(list("")).containsExactly("kept/1");
    }

    @Test
    void leavesNoTempFileWhenACommitFails() throws IOException {
        // A regular file where the key needs a directory makes the rename fail.
        put("f/x", bytes(1, 1));
        try (ObjectWrite w = store.begin("f/x/y")) {
            w.stream().write(bytes(100, 2));
            assertThatThrownBy(w::commit).isInstanceOf(IOException.class);
        }
        assertThat(unfinishedWrites()).isZero();
        assertThat(store.head("f/x/y")).isEmpty();
    }

    @Test
    void deleteRemovesDirectoriesItEmptied() throws IOException {
        put("1.2/3.4/5.6", bytes(1, 1));
        put("1.2/3.5/5.7", bytes(1, 1));
        store.delete("1.2/3.4/5.6");
        assertThat(root().resolve("1.2/3.4")).doesNotExist();
        assertThat(root().resolve("1.2/3.5")).isDirectory();
        store.delete("1.2/3.5/5.7");
        assertThat(root().resolve("1.2")).doesNotExist();
        assertThat(root()).isDirectory();
        assertThat(root().resolve(".tmp")).isDirectory();
    }

    @Test
    void aFullDiskIsOutOfResources() throws IOException {
        // /dev/full fails every write with ENOSPC: the real errno, as a full data disk reports it.
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        FileObjectStore files = (FileObjectStore) store;
        try (FileChannel channel = FileChannel.open(full, StandardOpenOption.WRITE)) {
            ChannelOutputStream out = new ChannelOutputStream(channel, files::checkFull);
            out.write(new byte[10]);
            assertThatThrownBy(out::flush).isInstanceOfSatisfying(DpacsException.class, e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.OUT_OF_RESOURCES);
                assertThat(e).hasMessageContaining(root().toString()).hasMessageContaining("out of space");
            });
        }
    }

    @Test
    void recognisesFullDiskErrors() {
        assertThat(FileObjectStore.isDiskFull(new IOException("No space left on device"))).isTrue();
        assertThat(FileObjectStore.isDiskFull(new FileSystemException("/x", null, "Disk quota exceeded"))).isTrue();
        assertThat(FileObjectStore.isDiskFull(new IOException("wrap", new IOException("No space left on device"))))
                .isTrue();
        assertThat(FileObjectStore.isDiskFull(new IOException("Input/output error"))).isFalse();
    }

    @Test
    void aClosedStoreRefusesWork() throws IOException {
        store.close();
        assertThatThrownBy(() -> store.begin("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.open("a")).isInstanceOf(IllegalStateException.class);
    }
}
