package org.dpacs.server.deid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The de-identification secret kept in the data directory when the operator set none: generated once (32 random
 * bytes, owner-only file), then read at every start, so pseudonyms stay consistent across restarts.
 */
final class SecretFile {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);

    private SecretFile() {
    }

    static String loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String secret = Base64.getEncoder().encodeToString(random);
                try {
                    Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        LOG.warn("Cannot restrict {} to its owner on this filesystem; protect it yourself", file);
                    }
                    LOG.warn("No dpacs.deid.secret (DPACS_DEID_SECRET) is set: generated one into {}. Back it up: "
                            + "without it pseudonyms change and the re-identification log cannot be read", file);
                    return secret;
                } catch (FileAlreadyExistsException e) {
                    // Another server on this data directory wrote it first: use theirs.
                }
            }
            String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (secret.length() < DeidSettings.MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("The de-identification secret in " + file + " is shorter than "
                        + DeidSettings.MIN_SECRET_LENGTH + " characters; restore it from a backup or set "
                        + "DPACS_DEID_SECRET");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot keep the generated de-identification secret in " + file + " ("
                    + e.getMessage() + "); set DPACS_DEID_SECRET instead", e);
        }
    }
}
