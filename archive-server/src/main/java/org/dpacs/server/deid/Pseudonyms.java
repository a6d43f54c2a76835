package org.dpacs.server.deid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Deterministic pseudonyms: HMAC-SHA-256 under a key derived from the operator's secret, so the same input always
 * gives the same output on any node and on any day, and no lookup table is needed for consistency. Without the
 * secret the pseudonyms cannot be linked back to the originals (beyond guessing an input and checking it, which
 * the secret prevents).
 */
final class Pseudonyms {
    private final byte[] key;

    Pseudonyms(String secret) {
        this.key = derive(secret, "dpacs-deid/pseudonyms/v1");
    }

    /** A key for {@code purpose}, independent of every other purpose's key. */
    static byte[] derive(String secret, String purpose) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8), purpose);
    }

    /** The new UID for {@code uid}: 2.25 followed by 128 bits of the HMAC as a decimal integer (PS3.5 B.2). */
    String uid(String uid) {
        byte[] h = Arrays.copyOf(hmac(key, "uid\0" + uid), 16);
        return "2.25." + new BigInteger(1, h);
    }

    /** The pseudonymous Patient ID of a patient, keyed by {@link #patientKey}. */
    String patientId(String patientKey) {
        return "DPACS-" + HexFormat.of().withUpperCase().formatHex(hmac(key, "pid\0" + patientKey), 0, 8);
    }

    /** The pseudonymous Patient's Name: family name ANONYMOUS, given name the same code as the ID. */
    String patientName(String patientKey) {
        return "ANONYMOUS^" + HexFormat.of().withUpperCase().formatHex(hmac(key, "pid\0" + patientKey), 0, 8);
    }

    /**
     * Days to add to every date of this patient under the Modified Dates option: between 1 and 3650 days back,
     * the same for every instance of the patient, so intervals between studies survive.
     */
    int dayOffset(String patientKey) {
        byte[] h = hmac(key, "days\0" + patientKey);
        int n = ((h[0] & 0xFF) << 8) | (h[1] & 0xFF);
        return -(1 + n % 3650);
    }

    /** Patient ID and issuer identify a patient; without an ID, name and birth date are the best there is. */
    static String patientKey(String patientId, String issuer, String name, String birthDate) {
        return patientId.isEmpty() ? "name\0" + name + "\0" + birthDate : "id\0" + patientId + "\0" + issuer;
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }
}
