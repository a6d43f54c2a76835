package org.dpacs.server.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket (AWS or any S3-compatible store), through the AWS SDK for Java 2.x. A put is
 * durable when S3 acknowledges it, so commit needs no fsync; objects above one part go up as a multipart upload
 * that is aborted when the write is discarded, so nothing half-written remains. Range reads are ranged GETs:
 * a frame costs its own bytes, not the instance's. Transient failures are retried by the SDK (standard mode,
 * with backoff); a write that still fails fails its ingest.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
    /** An upload started this long ago by nobody still running is debris of a crash (its server died). */
    private static final Duration STALE_UPLOAD = Duration.ofHours(24);

    private final S3Client s3;
    private final S3Settings settings;
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile boolean closed;

    /**
     * Connects and checks that the bucket exists and the credentials may use it, so a wrong setting fails the
     * start with a message that says which one.
     */
    public S3ObjectStore(S3Settings settings) throws IOException {
        this.settings = settings;
        this.s3 = client(settings);
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (NoSuchBucketException e) {
            s3.close();
            throw new IOException("S3 bucket '" + settings.bucket() + "' does not exist at " + where()
                    + "; create it or set dpacs.s3.bucket (DPACS_S3_BUCKET) to an existing one", e);
        } catch (S3Exception e) {
            s3.close();
            String why = switch (e.statusCode()) {
                case 301 -> "is in another region than " + settings.region() + "; set dpacs.s3.region";
                case 403 -> "refused the credentials (403); check dpacs.s3.access.key/secret.key or the AWS "
                        + "credential chain, and that the IAM policy allows s3:ListBucket on it";
                case 404 -> "does not exist; create it or set dpacs.s3.bucket (DPACS_S3_BUCKET)";
                default -> "answered " + e.statusCode() + " (" + e.getMessage() + ")";
            };
            throw new IOException("S3 bucket '" + settings.bucket() + "' at " + where() + " " + why, e);
        } catch (SdkClientException e) {
            s3.close();
            throw new IOException("Cannot reach S3 at " + where() + " (" + e.getMessage()
                    + "); check dpacs.s3.endpoint and the network", e);
        }
        abortStaleUploads();
        LOG.info("Objects in S3 bucket '{}' at {} under prefix '{}'", settings.bucket(), where(), settings.prefix());
    }

    private static S3Client client(S3Settings s) {
        AwsCredentialsProvider credentials = s.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey().get(), s.secretKey().get()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(s.pathStyle())
                // Enough pooled connections for the HTTP workers that read frames and ingest in parallel.
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        s.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    private String where() {
        return settings.endpoint().map(Object::toString).orElse("AWS S3 (" + settings.region() + ")");
    }

    S3Client client() {
        return s3;
    }

    S3Settings settings() {
        return settings;
    }

    String s3Key(String key) {
        return settings.prefix() + key;
    }

    @Override
    public ObjectWrite begin(String key) throws IOException {
        ensureOpen();
        ObjectKeys.requireKey(key);
        return new S3ObjectWrite(this, key);
    }

    @Override
    public InputStream open(String key) throws IOException {
        ensureOpen();
        ObjectKeys.requireKey(key);
        return get(key, GetObjectRequest.builder().bucket(settings.bucket()).key(s3Key(key)).build(), -1);
    }

    @Override
    public InputStream openRange(String key, long offset, long length) throws IOException {
        ensureOpen();
        ObjectKeys.requireKey(key);
        if (offset < 0 || length < 0) {
            throw DpacsException.badRequest("range of object '" + key + "' must have offset >= 0 and length >= 0,"
                    + " got offset " + offset + ", length " + length);
        }
        if (length == 0 || offset > Long.MAX_VALUE - length) {
            // HTTP cannot ask for zero bytes; the size alone says whether the empty range is inside the object.
            long size = head(key).orElseThrow(() -> notFound(key)).size();
            checkRange(key, offset, length, size);
            return InputStream.nullInputStream();
        }
        GetObjectRequest request = GetObjectRequest.builder().bucket(settings.bucket()).key(s3Key(key))
                .range("bytes=" + offset + "-" + (offset + length - 1)).build();
        InputStream in;
        try {
            in = get(key, request, length);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                long size = head(key).orElseThrow(() -> notFound(key)).size();
                checkRange(key, offset, length, size);
            }
            throw e;
        }
        return in;
    }

    private InputStream get(String key, GetObjectRequest request, long rangeLength) throws IOException {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(request);
        } catch (NoSuchKeyException e) {
            throw notFound(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw notFound(key);
            }
            if (e.statusCode() == 416 && rangeLength >= 0) {
                throw e; // openRange turns it into the range's own message
            }
            throw failure("reading", key, e);
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
        long length = in.response().contentLength();
        if (rangeLength >= 0) {
            // S3 shortens a range that runs past the end instead of refusing it; the total says so.
            long total = total(in.response().contentRange(), length);
            if (length != rangeLength) {
                in.abort();
                long offset = Long.parseLong(request.range().substring(6, request.range().indexOf('-')));
                checkRange(key, offset, rangeLength, total);
                throw new IOException("S3 returned " + length + " bytes for a range of " + rangeLength + " of " + key);
            }
        }
        return new CountingStream(in, length);
    }

    private static long total(String contentRange, long fallback) {
        if (contentRange == null) {
            return fallback;
        }
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? fallback : Long.parseLong(contentRange.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void checkRange(String key, long offset, long length, long size) {
        if (offset > size || length > size - offset) {
            throw DpacsException.badRequest("range [" + offset + ", " + offset + " + " + length
                    + ") is outside object '" + key + "', which has " + size + " bytes");
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        ensureOpen();
        ObjectKeys.requireKey(key);
        try {
            HeadObjectResponse r = s3.headObject(h -> h.bucket(settings.bucket()).key(s3Key(key)));
            return Optional.of(new ObjectInfo(key, r.contentLength(),
                    r.lastModified() == null ? Instant.EPOCH : r.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("reading", key, e);
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        ensureOpen();
        ObjectKeys.requireKey(key);
        try {
            s3.deleteObject(d -> d.bucket(settings.bucket()).key(s3Key(key)));
        } catch (SdkException e) {
            throw failure("deleting", key, e);
        }
    }

    @Override
    public Stream<String> list(String prefix) throws IOException {
        ensureOpen();
        ObjectKeys.requirePrefix(prefix);
        int strip = settings.prefix().length();
        try {
            return s3.listObjectsV2Paginator(l -> l.bucket(settings.bucket()).prefix(s3Key(prefix)))
                    .contents().stream().map(S3Object::key).map(k -> k.substring(strip));
        } catch (SdkException e) {
            throw failure("listing", prefix, e);
        }
    }

    /** Multipart uploads S3 holds unfinished under our prefix (begun and neither completed nor aborted). */
    long unfinishedUploads() {
        return s3.listMultipartUploadsPaginator(ListMultipartUploadsRequest.builder()
                .bucket(settings.bucket()).prefix(settings.prefix()).build()).uploads().stream().count();
    }

    /** Writes begun and not yet committed or discarded in this process. */
    int pendingWrites() {
        return pendingWrites.get();
    }

    AtomicInteger pendingWriteCounter() {
        return pendingWrites;
    }

    /** Bytes received from S3 by reads since start: what a range read really transferred. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** A crash leaves its multipart uploads open (and billed); old ones are aborted at start. */
    private void abortStaleUploads() {
        Instant cutoff = Instant.now().minus(STALE_UPLOAD);
        int aborted = 0;
        try {
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(ListMultipartUploadsRequest.builder()
                    .bucket(settings.bucket()).prefix(settings.prefix()).build()).uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(settings.bucket())
                            .key(u.key()).uploadId(u.uploadId()).build());
                    aborted++;
                }
            }
        } catch (SdkException e) {
            LOG.warn("Could not list unfinished multipart uploads in '{}' ({}); a bucket lifecycle rule "
                    + "(AbortIncompleteMultipartUpload) cleans them up too", settings.bucket(), e.getMessage());
        }
        if (aborted > 0) {
            LOG.info("Aborted {} multipart upload(s) left unfinished for over {} h", aborted, STALE_UPLOAD.toHours());
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The S3 object store is closed");
        }
    }

    static DpacsException notFound(String key) {
        return DpacsException.notFound("no object is stored under key '" + key + "'");
    }

    /** S3 throttling and unavailability after the SDK's retries are out of resources; the rest is a failure. */
    static IOException failure(String doing, String key, SdkException e) {
        if (e instanceof S3Exception s && (s.statusCode() == 503 || s.statusCode() == 429)) {
            return new IOException("S3 is unavailable or throttling while " + doing + " '" + key + "' ("
                    + s.statusCode() + "); retry later", new DpacsException(FailureKind.OUT_OF_RESOURCES,
                    e.getMessage(), e));
        }
        return new IOException("S3 failed while " + doing + " '" + key + "': " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closed = true;
        s3.close();
    }

    /** Counts the bytes that really arrive, and keeps a range stream from reading past its length. */
    private final class CountingStream extends FilterInputStream {
        private long remaining;

        CountingStream(ResponseInputStream<GetObjectResponse> in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
                bytesRead.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
                bytesRead.addAndGet(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Read rather than skip: the bytes are on the wire anyway, and skip may stop short.
            long skipped = 0;
            byte[] sink = new byte[(int) Math.min(8192, Math.max(1, n))];
            while (skipped < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            if (remaining > 0) {
                // Not read to the end: abort instead of draining the rest of a large object over the network.
                ((ResponseInputStream<?>) in).abort();
            }
            super.close();
        }
    }
}
