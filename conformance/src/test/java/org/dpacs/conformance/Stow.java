package org.dpacs.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The STOW-RS client side of the suite: posts Part 10 files as multipart/related (PS3.18 10.5.1). */
final class Stow {

    static final String APPLICATION_DICOM = "application/dicom";
    /** The batch size of bulk stores: small enough that one bad file is easy to find, large enough to be quick. */
    static final int BATCH = 10;

    private Stow() {
    }

    /** POST {root}/{path} (path "studies" or "studies/{uid}") with one application/dicom part per file. */
    static StoreResponse store(DicomWebTarget target, String path, List<Path> files) {
        Multipart.Builder body = Multipart.related(APPLICATION_DICOM).files(files);
        return post(target, path, body.contentType(), body.body(), files.size() + " file(s) " + names(files));
    }

    static StoreResponse store(DicomWebTarget target, List<Path> files) {
        return store(target, "studies", files);
    }

    /** POST with a body and Content-Type of the caller's making (for the malformed-request tests). */
    static StoreResponse post(DicomWebTarget target, String path, String contentType, byte[] body, String what) {
        String url = target.url(path);
        return StoreResponse.of("POST " + url + " Content-Type: " + contentType + " with " + what,
                target.request()
                        .header("Content-Type", contentType)
                        .header("Accept", "application/dicom+json")
                        .body(body)
                        .post(url));
    }

    /**
     * Stores the samples in batches and returns those the server acknowledged in ReferencedSOPSequence. The checks of
     * the answers belong to StowRsIT; other classes use this to load their fixture.
     */
    static List<Sample> storeAll(DicomWebTarget target, List<Sample> samples) {
        List<Sample> stored = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += BATCH) {
            List<Sample> batch = samples.subList(i, Math.min(samples.size(), i + BATCH));
            StoreResponse r = store(target, batch.stream().map(Sample::file).toList());
            for (Sample s : batch) {
                if (r.referenced(s.sopInstanceUid()).isPresent()) {
                    stored.add(s);
                }
            }
        }
        return stored;
    }

    private static String names(List<Path> files) {
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        return names.size() <= 12 ? names.toString() : names.subList(0, 12) + "...";
    }
}
