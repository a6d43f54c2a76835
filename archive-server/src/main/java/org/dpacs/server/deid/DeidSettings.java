package org.dpacs.server.deid;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The de-identification part of the configuration (docs/deidentification.md):
 * <ul>
 * <li>{@code dpacs.deid.profile} ({@code DPACS_DEID_PROFILE}): {@code basic} (default), {@code off}, or
 *     {@code basic,OPTION,...} with the options of {@link DeidOption#configName()};</li>
 * <li>{@code dpacs.deid.secret} ({@code DPACS_DEID_SECRET}): the key of the pseudonyms and of the encrypted
 *     re-identification log, required when the profile is not off;</li>
 * <li>{@code dpacs.deid.sources} ({@code DPACS_DEID_SOURCES}): profiles for particular sources, as
 *     {@code ae:CALLING_AE=PROFILE} or {@code user:NAME=PROFILE} items separated by {@code ;}, each PROFILE
 *     written like {@code dpacs.deid.profile};</li>
 * <li>{@code dpacs.deid.burned.in} ({@code DPACS_DEID_BURNED_IN}): {@code reject} (default), {@code quarantine}
 *     or {@code accept-with-warning};</li>
 * <li>{@code dpacs.deid.safe.private} ({@code DPACS_DEID_SAFE_PRIVATE}): the private attributes the Retain Safe
 *     Private option keeps, as {@code ggggxxee=Private Creator} items separated by {@code ;} (empty by default).</li>
 * </ul>
 */
public record DeidSettings(boolean enabled, Set<DeidOption> options, Optional<String> secret,
                           BurnedInPolicy burnedIn, Set<SafePrivate> safePrivate, Map<String, Profile> sources) {

    /** Shortest secret accepted: 16 characters is a floor, a random 32-byte value is what the docs ask for. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** One private attribute known not to identify: {@code tag} with the element's block byte as 00. */
    public record SafePrivate(String creator, int tag) {
    }

    /** A profile: off, or the Basic Profile with {@code options}. */
    public record Profile(boolean enabled, Set<DeidOption> options) {
        public Profile {
            options = Collections.unmodifiableSet(options.isEmpty() ? EnumSet.noneOf(DeidOption.class)
                    : EnumSet.copyOf(options));
        }

        public static final Profile OFF = new Profile(false, Set.of());
    }

    /** The key of a per-source profile for DIMSE requests from {@code callingAeTitle}. */
    public static String aeSource(String callingAeTitle) {
        return "ae:" + callingAeTitle;
    }

    /** The key of a per-source profile for DICOMweb requests authenticated as {@code user}. */
    public static String userSource(String user) {
        return "user:" + user;
    }

    public DeidSettings {
        options = Collections.unmodifiableSet(options.isEmpty() ? EnumSet.noneOf(DeidOption.class)
                : EnumSet.copyOf(options));
        safePrivate = Set.copyOf(safePrivate);
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public DeidSettings(boolean enabled, Set<DeidOption> options, Optional<String> secret, BurnedInPolicy burnedIn,
                        Set<SafePrivate> safePrivate) {
        this(enabled, options, secret, burnedIn, safePrivate, Map.of());
    }

    public static DeidSettings off() {
        return new DeidSettings(false, Set.of(), Optional.empty(), BurnedInPolicy.REJECT, Set.of());
    }

    public static DeidSettings basic(String secret, DeidOption... options) {
        return new DeidSettings(true, Set.of(options), Optional.of(secret), BurnedInPolicy.REJECT, Set.of());
    }

    public DeidSettings withBurnedIn(BurnedInPolicy policy) {
        return new DeidSettings(enabled, options, secret, policy, safePrivate, sources);
    }

    public DeidSettings withSafePrivate(Set<SafePrivate> safe) {
        return new DeidSettings(enabled, options, secret, burnedIn, safe, sources);
    }

    /** The same settings with a profile for the source {@code key} ({@link #aeSource}, {@link #userSource}). */
    public DeidSettings withSource(String key, Profile profile) {
        Map<String, Profile> more = new LinkedHashMap<>(sources);
        more.put(key, profile);
        return new DeidSettings(enabled, options, secret, burnedIn, safePrivate, more);
    }

    /** The server default profile. */
    public Profile defaultProfile() {
        return new Profile(enabled, options);
    }

    /** Whether any profile, the default or a source's, de-identifies (and so needs the secret). */
    public boolean anyEnabled() {
        return enabled || sources.values().stream().anyMatch(Profile::enabled);
    }

    /** Reads the keys above through {@code get} (which applies the environment-over-properties rule of Config). */
    public static DeidSettings parse(Function<String, Optional<String>> get) {
        Profile profile = parseProfile("dpacs.deid.profile (DPACS_DEID_PROFILE)",
                get.apply("dpacs.deid.profile").orElse("basic"));
        BurnedInPolicy burnedIn = BurnedInPolicy.parse(get.apply("dpacs.deid.burned.in").orElse("reject"));
        Set<SafePrivate> safe = parseSafePrivate(get.apply("dpacs.deid.safe.private").orElse(""));
        Map<String, Profile> sources = parseSources(get.apply("dpacs.deid.sources").orElse(""));
        return new DeidSettings(profile.enabled(), profile.options(), get.apply("dpacs.deid.secret"), burnedIn, safe,
                sources);
    }

    /** {@code off}, {@code basic}, or {@code basic,OPTION,...}; {@code key} names the setting in messages. */
    static Profile parseProfile(String key, String value) {
        String profile = value.strip().toLowerCase(Locale.ROOT);
        if (profile.equals("off")) {
            return Profile.OFF;
        }
        String[] parts = profile.split("\\s*,\\s*");
        if (!parts[0].equals("basic")) {
            throw new IllegalArgumentException(key + " must be off, basic, or basic followed by options "
                    + "(e.g. basic,retain-uids), got '" + value + "'");
        }
        Set<DeidOption> options = EnumSet.noneOf(DeidOption.class);
        for (int i = 1; i < parts.length; i++) {
            String name = parts[i];
            options.add(DeidOption.byConfigName(name).orElseThrow(() -> new IllegalArgumentException(
                    key + ": unknown option '" + name + "'; the options are "
                            + String.join(", ", java.util.Arrays.stream(DeidOption.values())
                            .map(DeidOption::configName).toList()))));
        }
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)
                && options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
            throw new IllegalArgumentException(key + ": retain-longitudinal-full-dates and "
                    + "retain-longitudinal-modified-dates exclude each other; choose one");
        }
        return new Profile(true, options);
    }

    /** {@code ae:CT01=basic,retain-uids; user:alice=off}: AE titles and user names keep their case. */
    private static Map<String, Profile> parseSources(String value) {
        Map<String, Profile> out = new LinkedHashMap<>();
        for (String item : value.split(";")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            int colon = s.indexOf(':');
            String kind = colon < 0 ? "" : s.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String name = colon < 0 || eq < colon ? "" : s.substring(colon + 1, eq).strip();
            if (eq < 0 || name.isEmpty() || !(kind.equals("ae") || kind.equals("user"))) {
                throw new IllegalArgumentException("dpacs.deid.sources (DPACS_DEID_SOURCES): '" + s + "' is not "
                        + "ae:CALLING_AE=PROFILE or user:NAME=PROFILE, e.g. ae:CT01=basic,retain-uids");
            }
            if (kind.equals("user") && !name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("dpacs.deid.sources: user name '" + name + "' is not 1-64 "
                        + "letters, digits or . _ @ -");
            }
            if (kind.equals("ae") && name.length() > 16) {
                throw new IllegalArgumentException("dpacs.deid.sources: AE title '" + name + "' is longer than 16 "
                        + "characters (PS3.5 6.2)");
            }
            String key = kind.equals("ae") ? aeSource(name) : userSource(name);
            if (out.put(key, parseProfile("dpacs.deid.sources (" + key + ")", s.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("dpacs.deid.sources names " + key + " twice; keep one");
            }
        }
        return out;
    }

    private static Set<SafePrivate> parseSafePrivate(String value) {
        Set<SafePrivate> out = new HashSet<>();
        for (String item : value.split(";")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            String tag = eq < 0 ? "" : s.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (eq < 0 || !tag.matches("[0-9a-f]{4}xx[0-9a-f]{2}")
                    || Integer.parseInt(tag.substring(0, 4), 16) % 2 == 0) {
                throw new IllegalArgumentException("dpacs.deid.safe.private: '" + s + "' is not ggggxxee=Creator with "
                        + "an odd group, e.g. 0029xx08=SIEMENS CSA HEADER");
            }
            int t = Integer.parseInt(tag.substring(0, 4), 16) << 16 | Integer.parseInt(tag.substring(6), 16);
            out.add(new SafePrivate(s.substring(eq + 1).strip(), t));
        }
        return out;
    }
}
