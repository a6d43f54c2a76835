package org.dpacs.server.deid;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
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
 * <li>{@code dpacs.deid.burned.in} ({@code DPACS_DEID_BURNED_IN}): {@code reject} (default) or
 *     {@code accept-with-warning};</li>
 * <li>{@code dpacs.deid.safe.private} ({@code DPACS_DEID_SAFE_PRIVATE}): the private attributes the Retain Safe
 *     Private option keeps, as {@code ggggxxee=Private Creator} items separated by {@code ;} (empty by default).</li>
 * </ul>
 */
public record DeidSettings(boolean enabled, Set<DeidOption> options, Optional<String> secret,
                           BurnedInPolicy burnedIn, Set<SafePrivate> safePrivate) {

    /** Shortest secret accepted: 16 characters is a floor, a random 32-byte value is what the docs ask for. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** One private attribute known not to identify: {@code tag} with the element's block byte as 00. */
    public record SafePrivate(String creator, int tag) {
    }

    public DeidSettings {
        options = Collections.unmodifiableSet(options.isEmpty() ? EnumSet.noneOf(DeidOption.class)
                : EnumSet.copyOf(options));
        safePrivate = Set.copyOf(safePrivate);
    }

    public static DeidSettings off() {
        return new DeidSettings(false, Set.of(), Optional.empty(), BurnedInPolicy.REJECT, Set.of());
    }

    public static DeidSettings basic(String secret, DeidOption... options) {
        return new DeidSettings(true, Set.of(options), Optional.of(secret), BurnedInPolicy.REJECT, Set.of());
    }

    public DeidSettings withBurnedIn(BurnedInPolicy policy) {
        return new DeidSettings(enabled, options, secret, policy, safePrivate);
    }

    public DeidSettings withSafePrivate(Set<SafePrivate> safe) {
        return new DeidSettings(enabled, options, secret, burnedIn, safe);
    }

    /** Reads the keys above through {@code get} (which applies the environment-over-properties rule of Config). */
    public static DeidSettings parse(Function<String, Optional<String>> get) {
        String profile = get.apply("dpacs.deid.profile").orElse("basic").toLowerCase(Locale.ROOT);
        BurnedInPolicy burnedIn = BurnedInPolicy.parse(get.apply("dpacs.deid.burned.in").orElse("reject"));
        Set<SafePrivate> safe = parseSafePrivate(get.apply("dpacs.deid.safe.private").orElse(""));
        Optional<String> secret = get.apply("dpacs.deid.secret");
        if (profile.equals("off")) {
            return new DeidSettings(false, Set.of(), secret, burnedIn, safe);
        }
        String[] parts = profile.split("\\s*,\\s*");
        if (!parts[0].equals("basic")) {
            throw new IllegalArgumentException("dpacs.deid.profile (DPACS_DEID_PROFILE) must be off, basic, or basic "
                    + "followed by options (e.g. basic,retain-uids), got '" + profile + "'");
        }
        Set<DeidOption> options = EnumSet.noneOf(DeidOption.class);
        for (int i = 1; i < parts.length; i++) {
            String name = parts[i];
            options.add(DeidOption.byConfigName(name).orElseThrow(() -> new IllegalArgumentException(
                    "dpacs.deid.profile: unknown option '" + name + "'; the options are "
                            + String.join(", ", java.util.Arrays.stream(DeidOption.values())
                            .map(DeidOption::configName).toList()))));
        }
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)
                && options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
            throw new IllegalArgumentException("dpacs.deid.profile: retain-longitudinal-full-dates and "
                    + "retain-longitudinal-modified-dates exclude each other; choose one");
        }
        return new DeidSettings(true, options, secret, burnedIn, safe);
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
