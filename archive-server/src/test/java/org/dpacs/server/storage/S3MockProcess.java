package org.dpacs.server.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adobe's S3Mock, a real S3 protocol server, run as its own process on 127.0.0.1 and a free port (its jar is
 * copied to target/s3mock by the build). Tests talk to it over HTTP exactly as to AWS.
 */
public final class S3MockProcess implements AutoCloseable {
    public static final Path JAR = Path.of(System.getProperty("dpacs.s3mock.jar", "target/s3mock/s3mock.jar"));
    private static final Pattern PORTS = Pattern.compile("Tomcat started on ports? (\\d+) \\(https\\), (\\d+) \\(http\\)");

    private final Process process;
    private final URI endpoint;
    private final Path dir;

    private S3MockProcess(Process process, URI endpoint, Path dir) {
        this.process = process;
        this.endpoint = endpoint;
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isRegularFile(JAR);
    }

    /** Starts S3Mock with the given buckets created; waits until it listens (at most 90 s). */
    public static S3MockProcess start(String... buckets) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dpacs-s3mock");
        Path log = dir.resolve("s3mock.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(),
                "--server.port=0", "--com.adobe.testing.s3mock.http-port=0", "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + dir.resolve("root"),
                "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
                "--spring.main.banner-mode=off"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> port = httpPort(Files.readString(log));
            if (port.isPresent()) {
                return new S3MockProcess(p, URI.create("http://127.0.0.1:" + port.get()), dir);
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IOException("S3Mock did not start; its log: " + Files.readString(log));
    }

    private static Optional<Integer> httpPort(String log) {
        Matcher m = PORTS.matcher(log);
        return m.find() ? Optional.of(Integer.parseInt(m.group(2))) : Optional.empty();
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
