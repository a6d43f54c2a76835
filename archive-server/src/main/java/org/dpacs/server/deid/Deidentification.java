package org.dpacs.server.deid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.server.access.Origin;

/**
 * De-identification as configured: the step the pipeline calls, choosing the profile by where each instance
 * came from (the authenticated user, else the calling AE title, else the server default), and the
 * re-identification log an administrator may read.
 */
public record Deidentification(Deidentifier deidentifier, Optional<ReidentificationLog> log) {

    /**
     * Builds what {@code settings} ask for; the re-identification log goes under {@code dataDir/deid}. Without
     * {@code dpacs.deid.secret} the secret is the one generated into {@code dataDir/deid/secret} on first start,
     * so the embedded defaults work out of the box. Throws IllegalArgumentException, with what to do, when the
     * configured secret is too short or the generated one cannot be kept.
     */
    public static Deidentification create(DeidSettings settings, Path dataDir) {
        Path logFile = dataDir.resolve("deid").resolve("reidentification.log");
        if (!settings.anyEnabled()) {
            // Nothing is de-identified now, but a log written earlier stays readable with the configured secret.
            Optional<ReidentificationLog> earlier = settings.secret().filter(s -> Files.exists(logFile))
                    .map(s -> new ReidentificationLog(logFile, s));
            return new Deidentification(Deidentifier.none(), earlier);
        }
        String secret = settings.secret().orElseGet(() -> SecretFile.loadOrCreate(dataDir.resolve("deid")
                .resolve("secret")));
        if (secret.length() < DeidSettings.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("dpacs.deid.secret (DPACS_DEID_SECRET) is " + secret.length()
                    + " characters; use at least " + DeidSettings.MIN_SECRET_LENGTH
                    + " (e.g. 'openssl rand -base64 32')");
        }
        ReidentificationLog log = new ReidentificationLog(logFile, secret);
        Deidentifier fallback = forProfile(settings.defaultProfile(), settings, secret, log);
        Map<String, Deidentifier> bySource = new LinkedHashMap<>();
        settings.sources().forEach((key, profile) -> bySource.put(key, forProfile(profile, settings, secret, log)));
        return new Deidentification(new BySource(Map.copyOf(bySource), fallback), Optional.of(log));
    }

    private static Deidentifier forProfile(DeidSettings.Profile profile, DeidSettings settings, String secret,
                                           ReidentificationLog log) {
        if (!profile.enabled()) {
            return Deidentifier.none();
        }
        return new ProfileDeidentifier(new DeidSettings(true, profile.options(), Optional.of(secret),
                settings.burnedIn(), settings.safePrivate()), secret, log);
    }

    /** Picks the profile of the instance's source; a released instance was de-identified on arrival. */
    private record BySource(Map<String, Deidentifier> bySource, Deidentifier fallback) implements Deidentifier {
        @Override
        public DeidResult deidentify(Attributes header, Origin origin) {
            return chosen(origin).deidentify(header, origin);
        }

        @Override
        public Attributes deidentifyTrailing(Attributes header, Attributes trailing, Origin origin) {
            return chosen(origin).deidentifyTrailing(header, trailing, origin);
        }

        private Deidentifier chosen(Origin origin) {
            if (origin.released()) {
                return Deidentifier.none();
            }
            return origin.user().map(u -> bySource.get(DeidSettings.userSource(u)))
                    .or(() -> origin.callingAeTitle().map(ae -> bySource.get(DeidSettings.aeSource(ae))))
                    .orElse(fallback);
        }
    }
}
