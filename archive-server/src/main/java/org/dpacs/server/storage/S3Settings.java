package org.dpacs.server.storage;

import java.net.URI;
import java.util.Optional;

/**
 * Where and how the S3 store connects (docs/operations.md): any S3-compatible service through
 * {@code endpoint} and {@code pathStyle}; credentials from configuration or else the AWS default provider chain.
 *
 * @param bucket               the bucket; it must exist (checked at start)
 * @param region               signing region; S3-compatible stores usually accept any, such as us-east-1
 * @param endpoint             endpoint override for MinIO, Ceph, R2...; empty for AWS
 * @param pathStyle            path-style addressing (http://host/bucket/key), which most compatible stores need
 * @param prefix               prepended to every key, e.g. {@code dpacs/}; empty or ending in '/'
 * @param accessKey            with {@code secretKey}: static credentials; empty: the default provider chain
 * @param secretKey            see {@code accessKey}
 * @param serverSideEncryption {@code AES256} or {@code aws:kms}; empty for the bucket's default
 * @param partSize             multipart part size in bytes (at least 5 MiB, as S3 requires of all parts but the last)
 */
public record S3Settings(String bucket, String region, Optional<URI> endpoint, boolean pathStyle, String prefix,
                         Optional<String> accessKey, Optional<String> secretKey,
                         Optional<String> serverSideEncryption, int partSize) {

    public static final int MIN_PART_SIZE = 5 << 20;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("dpacs.s3.bucket (DPACS_S3_BUCKET) must name the bucket when "
                    + "dpacs.storage is s3");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (!prefix.isEmpty()) {
            ObjectKeys.requirePrefix(prefix);
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("dpacs.s3.access.key and dpacs.s3.secret.key go together; set both "
                    + "or neither (then the AWS default credential chain is used)");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("dpacs.s3.part.size must be at least " + MIN_PART_SIZE
                    + " bytes (S3's smallest multipart part), got " + partSize);
        }
    }
}
