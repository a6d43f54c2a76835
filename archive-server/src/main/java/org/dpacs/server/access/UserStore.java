package org.dpacs.server.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users file ({@code DATA_DIR/access/users}, or {@code dpacs.access.users.file}): one user per line,
 * {@code name:role:pbkdf2-sha256:iterations:salt:hash} (salt and hash in Base64), written by
 * {@code scripts/run user add NAME ROLE}. Passwords are stored only as PBKDF2 hashes. A verified password is
 * remembered (as its SHA-256) for the life of the process, so HTTP Basic on every request of a viewer does not
 * pay the deliberate cost of PBKDF2 each time. Read once at start; restart the server after editing.
 */
public final class UserStore {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    /** One user as the file has it. */
    public record User(String name, Role role, int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, User> users;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    private UserStore(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    public static UserStore empty() {
        return new UserStore(Map.of());
    }

    /** Reads {@code file}; no file means no users. Throws IllegalArgumentException naming a bad line. */
    public static UserStore load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return empty();
        }
        return new UserStore(parse(file));
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    public int size() {
        return users.size();
    }

    /** The user {@code name} if {@code password} is theirs. */
    public Optional<User> authenticate(String name, String password) {
        User u = users.get(name);
        if (u == null) {
            hash(password.toCharArray(), new byte[SALT_BYTES], ITERATIONS); // same cost whether or not the name exists
            return Optional.empty();
        }
        String memo = name + "\0" + Base64.getEncoder().encodeToString(sha256(name + "\0" + password));
        if (verified.contains(memo)) {
            return Optional.of(u);
        }
        if (!MessageDigest.isEqual(u.hash(), hash(password.toCharArray(), u.salt(), u.iterations()))) {
            return Optional.empty();
        }
        verified.add(memo);
        return Optional.of(u);
    }

    /**
     * Adds or replaces {@code name} in {@code file} (created owner-only), writing a new file and moving it into
     * place so a crash leaves the old file or the new one.
     */
    public static void put(Path file, String name, Role role, char[] password) throws IOException {
        if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1-64 letters, digits or . _ @ -");
        }
        if (password.length < 8) {
            throw new IllegalArgumentException("the password of " + name + " must have at least 8 characters");
        }
        Map<String, User> all = Files.exists(file) ? new LinkedHashMap<>(parse(file)) : new LinkedHashMap<>();
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        all.put(name, new User(name, role, ITERATIONS, salt, hash(password, salt, ITERATIONS)));
        List<String> lines = new ArrayList<>();
        Base64.Encoder b64 = Base64.getEncoder();
        for (User u : all.values()) {
            lines.add(String.join(":", u.name(), u.role().configName(), SCHEME, Integer.toString(u.iterations()),
                    b64.encodeToString(u.salt()), b64.encodeToString(u.hash())));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, User> parse(Path file) throws IOException {
        Map<String, User> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.strip().split(":");
            Optional<Role> role = f.length == 6 ? Role.byConfigName(f[1]) : Optional.empty();
            if (f.length != 6 || role.isEmpty() || !f[2].equals(SCHEME) || !f[3].matches("\\d{1,9}")) {
                throw new IllegalArgumentException(file + " line " + n + " is not name:role:" + SCHEME
                        + ":iterations:salt:hash; recreate the user with 'scripts/run user add NAME ROLE'");
            }
            Base64.Decoder b64 = Base64.getDecoder();
            out.put(f[0], new User(f[0], role.get(), Integer.parseInt(f[3]), b64.decode(f[4]), b64.decode(f[5])));
        }
        return out;
    }

    private static byte[] hash(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, HASH_BITS)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is in every JDK", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
