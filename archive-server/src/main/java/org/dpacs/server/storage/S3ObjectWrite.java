package org.dpacs.server.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One object on its way to S3. Bytes collect in memory up to one part; an object that stays within a part is
 * one PutObject at commit, a larger one becomes a multipart upload whose parts leave as they fill, so memory
 * stays one part per write whatever the object's size. Closing without commit aborts the upload: S3 then holds
 * nothing of it.
 */
final class S3ObjectWrite implements ObjectWrite {
    private final S3ObjectStore store;
    private final String key;
    private final int partSize;
    private byte[] buffer = new byte[64 * 1024];
    private int buffered;
    private long size;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean committed;
    private boolean closed;
    private final OutputStream stream = new Out();

    S3ObjectWrite(S3ObjectStore store, String key) {
        this.store = store;
        this.key = key;
        this.partSize = store.settings().partSize();
        store.pendingWriteCounter().incrementAndGet();
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException("The write of '" + key + "' is already " + (committed ? "committed" : "closed"));
        }
        try {
            if (uploadId == null) {
                PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(store.settings().bucket())
                        .key(store.s3Key(key)).contentLength((long) buffered);
                encryption().ifPresent(put::serverSideEncryption);
                store.client().putObject(put.build(), RequestBody.fromBytes(Arrays.copyOf(buffer, buffered)));
            } else {
                if (buffered > 0 || parts.isEmpty()) {
                    uploadPart();
                }
                store.client().completeMultipartUpload(c -> c.bucket(store.settings().bucket())
                        .key(store.s3Key(key)).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            }
        } catch (SdkException e) {
            throw S3ObjectStore.failure("writing", key, e);
        }
        committed = true;
        buffer = null;
    }

    private java.util.Optional<ServerSideEncryption> encryption() {
        return store.settings().serverSideEncryption().map(ServerSideEncryption::fromValue);
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                        .bucket(store.settings().bucket()).key(store.s3Key(key));
                encryption().ifPresent(create::serverSideEncryption);
                uploadId = store.client().createMultipartUpload(create.build()).uploadId();
            }
            int number = parts.size() + 1;
            String etag = store.client().uploadPart(u -> u.bucket(store.settings().bucket()).key(store.s3Key(key))
                            .uploadId(uploadId).partNumber(number).contentLength((long) buffered),
                    RequestBody.fromBytes(Arrays.copyOf(buffer, buffered))).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            buffered = 0;
        } catch (SdkException e) {
            throw S3ObjectStore.failure("writing", key, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        store.pendingWriteCounter().decrementAndGet();
        buffer = null;
        if (!committed && uploadId != null) {
            try {
                store.client().abortMultipartUpload(a -> a.bucket(store.settings().bucket()).key(store.s3Key(key))
                        .uploadId(uploadId));
            } catch (SdkException e) {
                // Left for the start-time sweep and the bucket's lifecycle rule; the object itself never appeared.
                throw S3ObjectStore.failure("aborting the upload of", key, e);
            }
        }
    }

    /** Appends to the buffer; a full part goes to S3 as soon as more bytes follow it. */
    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (committed || closed) {
                throw new IOException("The write of '" + key + "' is " + (committed ? "committed" : "closed"));
            }
            while (len > 0) {
                if (buffered == partSize) {
                    uploadPart();
                }
                int n = Math.min(len, partSize - buffered);
                if (buffered + n > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(partSize, Math.max(buffered + n, buffer.length * 2)));
                }
                System.arraycopy(b, off, buffer, buffered, n);
                buffered += n;
                size += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() {
            // The write ends with commit() or ObjectWrite.close(), not with its stream.
        }
    }
}
