package org.dpacs.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pydicom ({@code /usr/bin/python3}, package python3-pydicom) as the independent reference reader: the
 * server is judged by what pydicom reads back, never by our own toolkit, so one bug cannot hide another.
 * Each call runs {@code pydicom_reference.py} once over a whole batch of files (JSON in, JSON out).
 */
final class Pydicom {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 120;
    private static Boolean available;
    private static Path script;

    private Pydicom() {
    }

    /** Whether {@code /usr/bin/python3} can import pydicom; tests that need it are skipped otherwise. */
    static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import pydicom")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /** Runs one command of pydicom_reference.py with {@code request} serialised as JSON on its stdin. */
    static JsonNode run(String command, Object request) {
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), script().toString(), command).start();
            // Own threads, not the common pool: on 2 cores it has one worker, and the two blocking reads deadlock.
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            try (var stdin = p.getOutputStream()) {
                JSON.writeValue(stdin, request);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pydicom " + command + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pydicom " + command + " failed (exit " + p.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
            return JSON.readTree(out.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What pydicom found comparing a retrieved file with its original: nothing when they are equal. */
    record Comparison(String transferSyntax, List<String> differences) {
    }

    /** Compares each retrieved Part 10 file with its original (key: retrieved file). */
    static Map<Path, Comparison> compare(Map<Path, Path> retrievedToOriginal) {
        List<Map<String, String>> pairs = new ArrayList<>();
        retrievedToOriginal.forEach((r, o) -> pairs.add(Map.of("original", o.toString(), "retrieved", r.toString())));
        Map<Path, Comparison> out = new LinkedHashMap<>();
        if (pairs.isEmpty()) {
            return out;
        }
        for (JsonNode n : run("compare", Map.of("pairs", pairs))) {
            out.put(Path.of(n.get("retrieved").asText()),
                    new Comparison(n.path("transferSyntax").asText(null), strings(n.get("differences"))));
        }
        return out;
    }

    /** A DICOM JSON object saved to {@code json}, its original, and the files each of its BulkDataURIs gave. */
    record MetadataItem(Path original, Path json, Map<String, List<Path>> bulk) {
    }

    /** Compares each metadata object with its original (key: json file); an empty list means equal. */
    static Map<Path, List<String>> compareMetadata(List<MetadataItem> items) {
        List<Map<String, Object>> req = new ArrayList<>();
        for (MetadataItem i : items) {
            Map<String, List<String>> bulk = new LinkedHashMap<>();
            i.bulk().forEach((uri, files) -> bulk.put(uri, files.stream().map(Path::toString).toList()));
            req.add(Map.of("original", i.original().toString(), "json", i.json().toString(), "bulk", bulk));
        }
        Map<Path, List<String>> out = new LinkedHashMap<>();
        if (req.isEmpty()) {
            return out;
        }
        for (JsonNode n : run("metadata", Map.of("items", req))) {
            out.put(Path.of(n.get("json").asText()), strings(n.get("differences")));
        }
        return out;
    }

    /** SOP Instance UID and transfer syntax of a retrieved file, or why pydicom could not read it. */
    record Identity(String sopInstanceUid, String transferSyntax, String error) {
    }

    static Map<Path, Identity> identify(List<Path> files) {
        Map<Path, Identity> out = new LinkedHashMap<>();
        if (files.isEmpty()) {
            return out;
        }
        for (JsonNode n : run("identify", Map.of("files", files.stream().map(Path::toString).toList()))) {
            out.put(Path.of(n.get("file").asText()), new Identity(n.path("sopInstanceUid").asText(null),
                    n.path("transferSyntax").asText(null), n.path("error").asText(null)));
        }
        return out;
    }

    /** The expected bytes of frame {@code frame} (1-based) of {@code file}, as written by pydicom. */
    record Frame(Path file, int frame, Path expected, String transferSyntax, String error) {
    }

    /** Writes the expected frames (native: Explicit VR Little Endian slices; encapsulated: the compressed frames). */
    static List<Frame> frames(Map<Path, List<Integer>> wanted, Path outDir) {
        List<Map<String, Object>> req = new ArrayList<>();
        wanted.forEach((f, n) -> req.add(Map.of("file", f.toString(), "frames", n, "outDir", outDir.toString())));
        List<Frame> out = new ArrayList<>();
        if (req.isEmpty()) {
            return out;
        }
        for (JsonNode n : run("frames", Map.of("requests", req))) {
            out.add(new Frame(Path.of(n.get("file").asText()), n.get("frame").asInt(),
                    n.has("path") ? Path.of(n.get("path").asText()) : null, n.path("transferSyntax").asText(null),
                    n.path("error").asText(null)));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static synchronized Path script() throws IOException {
        if (script == null) {
            Path file = Files.createTempFile("pydicom_reference", ".py");
            file.toFile().deleteOnExit();
            try (InputStream in = Pydicom.class.getResourceAsStream("pydicom_reference.py")) {
                if (in == null) {
                    throw new IllegalStateException("pydicom_reference.py is missing from the test classpath");
                }
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            script = file;
        }
        return script;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> result.complete(readAll(in)));
        return result;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
