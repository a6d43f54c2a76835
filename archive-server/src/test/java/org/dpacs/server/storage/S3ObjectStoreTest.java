package org.dpacs.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@link ObjectStore} contract against a real S3 protocol server, plus what only the S3 store does. */
class S3ObjectStoreTest extends ObjectStoreContract {
    private static final String BUCKET = "dpacs-test";
    private static final AtomicInteger RUN = new AtomicInteger();
    private static S3MockProcess s3;

    @BeforeAll
    static void startS3() throws Exception {
        assumeTrue(S3MockProcess.available(), "S3Mock jar not found at " + S3MockProcess.JAR + " (mvn builds it)");
        s3 = S3MockProcess.start(BUCKET, "other");
    }

    @AfterAll
    static void stopS3() throws IOException {
        if (s3 != null) {
            s3.close();
        }
    }

    private static S3Settings settings(String bucket, String prefix) {
        return new S3Settings(bucket, "us-east-1", Optional.of(s3.endpoint()), true, prefix, Optional.of("test"),
                Optional.of("test"), Optional.empty(), S3Settings.MIN_PART_SIZE);
    }

    /** Each test gets its own prefix in the shared bucket: an empty store, as the contract wants. */
    @Override
    protected ObjectStore openStore() throws IOException {
        return new S3ObjectStore(settings(BUCKET, "run" + RUN.incrementAndGet() + "/"));
    }

    @Override
    protected long unfinishedWrites() {
        S3ObjectStore s = (S3ObjectStore) store;
        return Math.max(s.pendingWrites(), s.unfinishedUploads());
    }

    /**
     * S3 replaces an object atomically (a GET sees the old or the new version, never a mix), and our commit is one
     * PutObject or CompleteMultipartUpload, so nothing partial can show. S3Mock, though, rewrites its file in place
     * while readers read it, so this test would measure the mock, not dPACS.
     */
    @Override
    @org.junit.jupiter.api.Disabled("S3Mock overwrites files in place; AWS S3 and compatible stores replace atomically")
    @Test
    void overwriteByCommitIsAtomic() {
    }

    @Test
    void largeObjectsGoUpInPartsAndComeBackWhole() throws IOException {
        byte[] data = bytes(2 * S3Settings.MIN_PART_SIZE + 12_345, 42);
        try (ObjectWrite w = store.begin("big/1")) {
            w.stream().write(data);
            assertThat(((S3ObjectStore) store).unfinishedUploads()).as("parts leave while the object is written")
                    .isEqualTo(1);
            w.commit();
        }
        assertThat(((S3ObjectStore) store).unfinishedUploads()).isZero();
        assertThat(read("big/1")).isEqualTo(data);
        try (InputStream in = store.openRange("big/1", S3Settings.MIN_PART_SIZE - 10, 20)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data,
                    S3Settings.MIN_PART_SIZE - 10, S3Settings.MIN_PART_SIZE + 10));
        }
    }

    @Test
    void aDiscardedLargeWriteLeavesNoUploadBehind() throws IOException {
        try (ObjectWrite w = store.begin("big/2")) {
            w.stream().write(bytes(S3Settings.MIN_PART_SIZE + 1, 7));
            assertThat(((S3ObjectStore) store).unfinishedUploads()).isEqualTo(1);
        }
        assertThat(((S3ObjectStore) store).unfinishedUploads()).isZero();
        assertThat(store.head("big/2")).isEmpty();
    }

    @Test
    void aRangeReadTransfersOnlyItsBytes() throws IOException {
        byte[] data = bytes(1_000_000, 9);
        put("frames/1", data);
        S3ObjectStore s = (S3ObjectStore) store;
        long before = s.bytesRead();
        try (InputStream in = store.openRange("frames/1", 700_000, 10_000)) {
            assertThat(in.readAllBytes()).hasSize(10_000);
        }
        assertThat(s.bytesRead() - before).isEqualTo(10_000);
    }

    @Test
    void keysLiveUnderThePrefixSoAStudyIsOneListing() throws IOException {
        put("1.2.3/4.5/6.7.dcm", bytes(10, 1));
        try (S3ObjectStore whole = new S3ObjectStore(settings(BUCKET, ""))) {
            assertThat(whole.list("run" + RUN.get() + "/1.2.3/").toList())
                    .containsExactly("run" + RUN.get() + "/1.2.3/4.5/6.7.dcm");
        }
    }

    @Test
    void aMissingBucketOrUnreachableEndpointFailsTheStartSayingWhich() {
        assertThatThrownBy(() -> new S3ObjectStore(settings("no-such-bucket", "")))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-bucket")
                .hasMessageContaining("DPACS_S3_BUCKET");
        S3Settings nowhere = new S3Settings(BUCKET, "us-east-1", Optional.of(URI.create("http://127.0.0.1:9")), true,
                "", Optional.of("a"), Optional.of("b"), Optional.empty(), S3Settings.MIN_PART_SIZE);
        assertThatThrownBy(() -> new S3ObjectStore(nowhere)).isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot reach S3").hasMessageContaining("dpacs.s3.endpoint");
    }
}
