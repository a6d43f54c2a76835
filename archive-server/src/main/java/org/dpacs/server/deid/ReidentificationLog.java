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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping from pseudonyms back to identities, for authorised re-identification: an append-only file of
 * lines, each one record encrypted with AES-256-GCM under a key derived from the operator's secret (a fresh
 * 96-bit nonce per line). Without the secret the file reads as noise; with it, {@link #read} gives the records.
 * Administrators read it through {@code GET /api/admin/reidentification} (see docs/deidentification.md).
 */
public final class ReidentificationLog {
    private static final Logger LOG = LoggerFactory.getLogger(ReidentificationLog.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path file;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private boolean tailChecked;

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
                boolean torn = !tailChecked && endsTorn(file);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE)) {
                    if (torn) {
                        ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    }
                    tailChecked = true;
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

    /** A crash mid-append leaves a line without its newline; the next record must not be glued to it. */
    private static boolean endsTorn(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    /** Every record, decrypted, as its fields (patient-id, original-patient-id, study, original-study, ...). */
    public synchronized List<Map<String, String>> records() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Map<String, String>> out = new ArrayList<>();
        int unreadable = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank()) {
                continue;
            }
            Optional<String> text = open(line, key);
            if (text.isEmpty()) {
                unreadable++; // a line torn by a crash: the records around it still count
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : text.get().split("\t")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            out.add(fields);
        }
        if (unreadable > 0) {
            LOG.warn("{} line(s) of {} do not decrypt (torn by a crash, or altered); the other {} records were read",
                    unreadable, file, out.size());
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
            out.add(open(line, key).orElseThrow(() -> new IOException("A record of " + file
                    + " does not decrypt: wrong secret or altered file")));
        }
        return out;
    }

    /** One line's record, or empty when it is not one this key sealed (another secret, a torn or altered line). */
    private static Optional<String> open(String line, SecretKeySpec key) {
        try {
            byte[] all = Base64.getDecoder().decode(line.strip());
            if (all.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return Optional.of(new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static SecretKeySpec keyFor(String secret) {
        return new SecretKeySpec(Pseudonyms.derive(secret, "dpacs-deid/reidentification-log/v1"), "AES");
    }
}
