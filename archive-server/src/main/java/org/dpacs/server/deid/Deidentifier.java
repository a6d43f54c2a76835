package org.dpacs.server.deid;

import java.nio.file.Path;
import org.dpacs.dicom.data.Attributes;

/**
 * The de-identification step of the ingest pipeline: takes the header of an arriving instance (everything
 * before Pixel Data) and where it came from, and returns what to store ({@link DeidResult}). Implementations
 * are thread-safe: the pipeline calls them concurrently.
 */
public interface Deidentifier {

    DeidResult deidentify(Attributes header, String source);

    /** Stores headers as they arrive: {@code dpacs.deid.profile=off}, for trusted internal use. */
    static Deidentifier none() {
        return (header, source) -> new DeidResult.Deidentified(header, java.util.List.of());
    }

    /**
     * The de-identifier {@code settings} ask for; the re-identification log goes under {@code dataDir/deid}.
     * Without {@code dpacs.deid.secret} the secret is the one generated into {@code dataDir/deid/secret} on first
     * start, so the embedded defaults work out of the box. Throws IllegalArgumentException, with what to do, when
     * the configured secret is too short or the generated one cannot be kept.
     */
    static Deidentifier create(DeidSettings settings, Path dataDir) {
        if (!settings.enabled()) {
            return none();
        }
        String secret = settings.secret().orElseGet(() -> SecretFile.loadOrCreate(dataDir.resolve("deid")
                .resolve("secret")));
        if (secret.length() < DeidSettings.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("dpacs.deid.secret (DPACS_DEID_SECRET) is " + secret.length()
                    + " characters; use at least " + DeidSettings.MIN_SECRET_LENGTH
                    + " (e.g. 'openssl rand -base64 32')");
        }
        return new ProfileDeidentifier(settings, secret,
                new ReidentificationLog(dataDir.resolve("deid").resolve("reidentification.log"), secret));
    }
}
