package org.dpacs.server.deid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mapping from pseudonyms back to identities, for authorised re-identification: an append-only file of
 * lines, each one record encrypted with AES-256-GCM under a key derived from the operator's secret (a fresh
 * 96-bit nonce per line). Without the secret the file reads as noise; with it, {@link #read} gives the records.
 * Administrators read it through {@code GET /api/admin/reidentification} (see docs/deidentification.md).
 */
public final class ReidentificationLog {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path file;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    ReidentificationLog(Path file, String secret) {
        this.file = file;
        this.key = keyFor(secret);
    }

    Path file() {
        return file;
    }

    /**
     * Appends one record unless this process already wrote the same {@code dedupKey} (the pseudonyms are
     * deterministic, so a record written twice after a restart is harmless).
     */
    void record(String dedupKey, String text) {
        if (!written.add(dedupKey)) {
            return;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] line = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            byte[] out = (Base64.getEncoder().encodeToString(line) + "\n").getBytes(StandardCharsets.US_ASCII);
            synchronized (this) {
                Files.createDirectories(file.getParent());
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(out));
                    ch.force(false); // a pseudonym whose identity is lost cannot be re-identified
                }
            }
        } catch (IOException e) {
            written.remove(dedupKey);
            throw new UncheckedIOException("Cannot write the re-identification log " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    /** Every record, decrypted, as its fields (patient-id, original-patient-id, study, original-study, ...). */
    public synchronized List<java.util.Map<String, String>> records() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<java.util.Map<String, String>> out = new ArrayList<>();
        for (String line : read(file, key)) {
            java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (String field : line.split("\t")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            out.add(fields);
        }
        return out;
    }

    /** Decrypts every record of {@code file} with {@code secret}; fails if a line was altered or the secret is wrong. */
    public static List<String> read(Path file, String secret) throws IOException {
        return read(file, keyFor(secret));
    }

    private static List<String> read(Path file, SecretKeySpec key) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank()) {
                continue;
            }
            byte[] all = Base64.getDecoder().decode(line.strip());
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
                out.add(new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IOException("A record of " + file + " does not decrypt: wrong secret or altered file", e);
            }
        }
        return out;
    }

    private static SecretKeySpec keyFor(String secret) {
        return new SecretKeySpec(Pseudonyms.derive(secret, "dpacs-deid/reidentification-log/v1"), "AES");
    }
}
