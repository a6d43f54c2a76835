package org.dpacs.bench.web;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.dpacs.bench.SyntheticCt;

/**
 * One set of full-size CT studies on disk, one series each, as {@link SyntheticCt} writes them. Two sets
 * ("single" and "multi") keep the two STOW phases apart, so the multi-client phase stores new studies rather
 * than duplicates. Files are written once per data directory and streamed from disk by every STOW request, so
 * the driver never holds a study in memory and both servers receive the same bytes.
 */
record CtSet(Path root, String name, int studies, int slices) {

    String studyUid(int study) {
        return SyntheticCt.uid("ct/" + name + "/study/" + study);
    }

    String seriesUid(int study) {
        return SyntheticCt.uid("ct/" + name + "/study/" + study + "/series");
    }

    /** Instance {@code number} (1-based) of the series of {@code study}. */
    String sopUid(int study, int number) {
        return SyntheticCt.instanceUid(seriesUid(study), number);
    }

    private Path seriesDir(int study) {
        return root.resolve(name).resolve("study" + study);
    }

    Path file(int study, int number) {
        return seriesDir(study).resolve(String.format(Locale.ROOT, "CT%05d.dcm", number));
    }

    /** Writes the files unless an earlier run with the same sizes did; two threads, as the machine has 2 cores. */
    void generate() throws IOException {
        Path done = root.resolve(name).resolve("complete-" + studies + "x" + slices);
        if (Files.exists(done)) {
            return;
        }
        for (int s = 0; s < studies; s++) {
            Files.createDirectories(seriesDir(s));
        }
        try {
            IntStream.range(0, studies * slices).parallel().forEach(k -> {
                int study = k / slices;
                try {
                    SyntheticCt.writeInstance(seriesDir(study), studyUid(study), seriesUid(study), k % slices + 1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.createFile(done);
    }

    long bytes() throws IOException {
        long total = 0;
        for (int s = 0; s < studies; s++) {
            for (int i = 1; i <= slices; i++) {
                total += Files.size(file(s, i));
            }
        }
        return total;
    }

    /** STOW-RS requests of {@code perRequest} consecutive slices; a request never spans two studies. */
    List<StowBatch> batches(int perRequest) {
        List<StowBatch> batches = new ArrayList<>();
        for (int s = 0; s < studies; s++) {
            for (int first = 1; first <= slices; first += perRequest) {
                int study = s;
                int from = first;
                int to = Math.min(slices, first + perRequest - 1);
                batches.add(new StowBatch(to - from + 1, () -> {
                    List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
                    for (int i = from; i <= to; i++) {
                        try {
                            parts.add(HttpRequest.BodyPublishers.ofFile(file(study, i)));
                        } catch (FileNotFoundException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return parts;
                }, IntStream.rangeClosed(from, to).mapToObj(i -> sopUid(study, i)).toList()));
            }
        }
        return batches;
    }
}
