package org.dpacs.server.access;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;

/**
 * The users file ({@code DATA_DIR/access/users}, or {@code dpacs.access.users.file}): one user per line,
 * {@code name:role:pbkdf2-sha256:iterations:salt:hash} (salt and hash in Base64), written by
 * {@code scripts/run user add NAME ROLE}. Passwords are stored only as PBKDF2 hashes. A verified password is
 * remembered (as an HMAC under a key that lives only in this process) so HTTP Basic on every request of a viewer
 * does not pay the deliberate cost of PBKDF2 each time. At most {@link #CONCURRENT_CHECKS} PBKDF2 checks run at
 * once, so wrong passwords sent in a flood cannot take every core. Read once at start; restart the server after
 * editing.
 */
public final class UserStore {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final String NAME = "[A-Za-z0-9._@-]{1,64}";
    private static final int HASH_BITS = 256;
    private static final int MIN_ITERATIONS = 10_000;
    /** One core's worth: the rest of the machine keeps serving while someone guesses passwords. */
    static final int CONCURRENT_CHECKS = 1;
    private static final long CHECK_WAIT_MILLIS = 2_000;

    /** One user as the file has it. */
    public record User(String name, Role role, int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, User> users;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final SecretKeySpec memoKey;
    private final Semaphore checks = new Semaphore(CONCURRENT_CHECKS, true);

    private UserStore(Map<String, User> users) {
        this.users = Map.copyOf(users);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.memoKey = new SecretKeySpec(key, "HmacSHA256");
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

    /**
     * The user {@code name} if {@code password} is theirs. Throws a 503 failure when the password checks
     * already running keep this one waiting too long.
     */
    public Optional<User> authenticate(String name, String password) {
        User u = users.get(name);
        String memo = u == null ? null : memo(name, password);
        if (memo != null && verified.contains(memo)) {
            return Optional.of(u);
        }
        try {
            if (!checks.tryAcquire(CHECK_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new DpacsException(FailureKind.OUT_OF_RESOURCES, "Too many password checks at once; retry in "
                        + "a few seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DpacsException(FailureKind.OUT_OF_RESOURCES, "Interrupted while checking a password; retry");
        }
        try {
            if (u == null) {
                hash(password.toCharArray(), new byte[SALT_BYTES], ITERATIONS); // the same cost for a wrong name
                return Optional.empty();
            }
            if (!MessageDigest.isEqual(u.hash(), hash(password.toCharArray(), u.salt(), u.iterations()))) {
                return Optional.empty();
            }
        } finally {
            checks.release();
        }
        verified.add(memo);
        return Optional.of(u);
    }

    /**
     * Adds or replaces {@code name} in {@code file} (created owner-only), writing a new file and moving it into
     * place so a crash leaves the old file or the new one.
     */
    public static void put(Path file, String name, Role role, char[] password) throws IOException {
        if (!name.matches(NAME)) {
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
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "users", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, "users", ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true); // the rename below must not publish an empty file after a power loss
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic.
        }
    }

    private static Map<String, User> parse(Path file) throws IOException {
        Map<String, User> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.strip().split(":", -1);
            Optional<Role> role = f.length == 6 ? Role.byConfigName(f[1]) : Optional.empty();
            String problem = f.length != 6 || role.isEmpty() || !f[2].equals(SCHEME) ? "is not name:role:" + SCHEME
                    + ":iterations:salt:hash"
                    : !f[0].matches(NAME) ? "has a user name that is not 1-64 letters, digits or . _ @ -"
                    : !f[3].matches("\\d{1,9}") || Integer.parseInt(f[3]) < MIN_ITERATIONS
                            ? "has fewer than " + MIN_ITERATIONS + " iterations"
                    : out.containsKey(f[0]) ? "names " + f[0] + " a second time" : null;
            byte[] salt = null;
            byte[] hash = null;
            if (problem == null) {
                try {
                    salt = Base64.getDecoder().decode(f[4]);
                    hash = Base64.getDecoder().decode(f[5]);
                } catch (IllegalArgumentException e) {
                    problem = "has a salt or hash that is not Base64";
                }
            }
            if (problem == null && (salt.length < SALT_BYTES || hash.length != HASH_BITS / 8)) {
                problem = "has a salt shorter than " + SALT_BYTES + " bytes or a hash that is not " + HASH_BITS / 8;
            }
            if (problem != null) {
                throw new IllegalArgumentException(file + " line " + n + " " + problem + "; recreate the user with "
                        + "'scripts/run user add NAME ROLE'");
            }
            out.put(f[0], new User(f[0], role.get(), Integer.parseInt(f[3]), salt, hash));
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

    private String memo(String name, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(memoKey);
            return Base64.getEncoder().encodeToString(mac.doFinal((name + "\0" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }
}
