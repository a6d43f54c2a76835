package org.dpacs.server.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.dpacs.server.deid.DeidSettings;
import org.dpacs.server.dimse.DimseSettings;
import org.dpacs.server.dimse.DimseTls;
import org.dpacs.server.dimse.MoveDestination;
import org.dpacs.server.storage.S3Settings;

/**
 * Every setting of the server, read once at start from {@code dpacs.properties} (if present) and overridden by
 * environment variables ({@code dpacs.http.port} is overridden by {@code DPACS_HTTP_PORT}). Validated here so a
 * bad value fails the start with a message naming the key. docs/configuration.md lists every key.
 */
public record Config(String httpHost, int httpPort, int dimsePort, String aeTitle, Path dataDir,
                     Optional<String> publicBaseUrl, List<String> corsOrigins, int qidoDefaultLimit,
                     int qidoMaxLimit, boolean overwrite, long maxHeaderBytes, Optional<S3Settings> s3,
                     DeidSettings deid, DimseSettings dimse, Optional<Path> usersFileSetting) {

    public static final String FILE = "dpacs.properties";

    /** Defaults of ../shared/DESIGN.md: one machine, loopback, ./data. */
    public static Config defaults() {
        return load(new Properties(), Map.of());
    }

    /** Reads {@code dpacs.properties} from the working directory (or {@code -Ddpacs.config=FILE}) and the environment. */
    public static Config fromEnvironment() throws IOException {
        Path file = Path.of(System.getProperty("dpacs.config", FILE));
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                props.load(r);
            }
        }
        return load(props, System.getenv());
    }

    /** Properties first, then environment variables named like {@code DPACS_HTTP_PORT} win. */
    public static Config load(Properties props, Map<String, String> env) {
        Function<String, Optional<String>> get = key -> {
            String envName = key.toUpperCase().replace('.', '_');
            String v = env.get(envName);
            if (v == null) {
                v = props.getProperty(key);
            }
            return Optional.ofNullable(v).map(String::strip).filter(s -> !s.isEmpty());
        };
        String aeTitle = get.apply("dpacs.ae.title").orElse("DPACS");
        if (aeTitle.length() > 16) {
            throw new IllegalArgumentException("dpacs.ae.title (DPACS_AE_TITLE) '" + aeTitle
                    + "' is longer than the 16 characters an AE title may have (PS3.5 6.2)");
        }
        int defaultLimit = intValue(get, "dpacs.qido.default.limit", 100);
        int maxLimit = intValue(get, "dpacs.qido.max.limit", 1000);
        if (defaultLimit < 1 || maxLimit < defaultLimit) {
            throw new IllegalArgumentException("dpacs.qido.default.limit must be >= 1 and <= dpacs.qido.max.limit");
        }
        Path dataDir = Path.of(get.apply("dpacs.data.dir").orElse("data"));
        return new Config(
                get.apply("dpacs.http.host").orElse("127.0.0.1"),
                port(get, "dpacs.http.port", 8080),
                port(get, "dpacs.dimse.port", 11112),
                aeTitle,
                dataDir,
                get.apply("dpacs.public.base.url").map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u),
                get.apply("dpacs.cors.origins").map(s -> List.of(s.split("\\s*,\\s*"))).orElse(List.of("*")),
                defaultLimit,
                maxLimit,
                Boolean.parseBoolean(get.apply("dpacs.store.overwrite").orElse("false")),
                intValue(get, "dpacs.ingest.max.header.bytes", 64 << 20),
                storage(get),
                DeidSettings.parse(get),
                dimse(get),
                get.apply("dpacs.access.users.file").map(Path::of));
    }

    /** The {@code dpacs.dimse.*} settings besides the port; the DIMSE host defaults to the HTTP host. */
    private static DimseSettings dimse(Function<String, Optional<String>> get) {
        List<String> callers = get.apply("dpacs.dimse.calling.ae.titles").map(s -> List.of(s.split("\\s*,\\s*")))
                .orElse(List.of());
        for (String ae : callers) {
            if (ae.length() > 16) {
                throw new IllegalArgumentException("dpacs.dimse.calling.ae.titles (DPACS_DIMSE_CALLING_AE_TITLES) "
                        + "names '" + ae + "', longer than the 16 characters an AE title may have (PS3.5 6.2)");
            }
        }
        int maxAssociations = intValue(get, "dpacs.dimse.max.associations", 32);
        int artim = intValue(get, "dpacs.dimse.artim.timeout.seconds", 10);
        int idle = intValue(get, "dpacs.dimse.idle.timeout.seconds", 60);
        if (maxAssociations < 1 || artim < 1 || idle < 0) {
            throw new IllegalArgumentException("dpacs.dimse.max.associations and dpacs.dimse.artim.timeout.seconds "
                    + "must be >= 1, dpacs.dimse.idle.timeout.seconds >= 0 (0: no idle timeout)");
        }
        return new DimseSettings(
                get.apply("dpacs.dimse.host").or(() -> get.apply("dpacs.http.host")).orElse("127.0.0.1"),
                callers,
                maxAssociations,
                Boolean.parseBoolean(get.apply("dpacs.dimse.accept.unknown.sop.classes").orElse("false")),
                Duration.ofSeconds(artim),
                Duration.ofSeconds(idle),
                get.apply("dpacs.dimse.destinations").map(MoveDestination::parse).orElse(Map.of()),
                get.apply("dpacs.dimse.tls.keystore").map(keystore -> new DimseTls(port(get, "dpacs.dimse.tls.port",
                        2762), Path.of(keystore), get.apply("dpacs.dimse.tls.keystore.password").orElse(""))));
    }

    /** {@code dpacs.storage}: {@code file} (default, objects under the data directory) or {@code s3}. */
    private static Optional<S3Settings> storage(Function<String, Optional<String>> get) {
        String kind = get.apply("dpacs.storage").orElse("file").toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case "file" -> Optional.empty();
            case "s3" -> Optional.of(new S3Settings(
                    get.apply("dpacs.s3.bucket").orElse(""),
                    get.apply("dpacs.s3.region").orElse("us-east-1"),
                    get.apply("dpacs.s3.endpoint").map(java.net.URI::create),
                    Boolean.parseBoolean(get.apply("dpacs.s3.path.style").orElse("false")),
                    get.apply("dpacs.s3.prefix").orElse(""),
                    get.apply("dpacs.s3.access.key"),
                    get.apply("dpacs.s3.secret.key"),
                    get.apply("dpacs.s3.sse"),
                    intValue(get, "dpacs.s3.part.size", 16 << 20)));
            default -> throw new IllegalArgumentException("dpacs.storage (DPACS_STORAGE) must be file or s3, got '"
                    + kind + "'");
        };
    }

    private static int port(Function<String, Optional<String>> get, String key, int def) {
        int p = intValue(get, key, def);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(key + " must be a port number 0-65535 (0 picks a free port), got " + p);
        }
        return p;
    }

    private static int intValue(Function<String, Optional<String>> get, String key, int def) {
        Optional<String> v = get.apply(key);
        try {
            return v.map(Integer::parseInt).orElse(def);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " (" + key.toUpperCase().replace('.', '_')
                    + ") must be a whole number, got '" + v.get() + "'", e);
        }
    }

    /** The users file: {@code dpacs.access.users.file}, by default {@code access/users} in the data directory. */
    public Path usersFile() {
        return usersFileSetting.orElse(dataDir.resolve("access").resolve("users"));
    }

    public Config withHttpPort(int port) {
        return new Config(httpHost, port, dimsePort, aeTitle, dataDir, publicBaseUrl, corsOrigins, qidoDefaultLimit,
                qidoMaxLimit, overwrite, maxHeaderBytes, s3, deid, dimse, usersFileSetting);
    }

    public Config withDeid(DeidSettings settings) {
        return new Config(httpHost, httpPort, dimsePort, aeTitle, dataDir, publicBaseUrl, corsOrigins, qidoDefaultLimit,
                qidoMaxLimit, overwrite, maxHeaderBytes, s3, settings, dimse, usersFileSetting);
    }

    public Config withDataDir(Path dir) {
        return new Config(httpHost, httpPort, dimsePort, aeTitle, dir, publicBaseUrl, corsOrigins, qidoDefaultLimit,
                qidoMaxLimit, overwrite, maxHeaderBytes, s3, deid, dimse, usersFileSetting);
    }
}
