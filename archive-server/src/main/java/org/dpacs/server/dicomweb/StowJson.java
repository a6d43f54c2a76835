package org.dpacs.server.dicomweb;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.json.BulkDataUriResolver;
import org.dpacs.dicom.json.DicomJsonReader;
import org.dpacs.dicom.json.TagPath;
import org.dpacs.server.dicomweb.MultipartReader.Part;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.ingest.FailureReason;
import org.dpacs.server.access.Origin;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STOW-RS with {@code multipart/related; type="application/dicom+json"} (PS3.18 10.5.1.2): the first part is a JSON
 * array of DICOM JSON objects, the later parts are the bulk data their BulkDataURIs name by Content-Location.
 * The parts are spooled to temporary files (the JSON must be read before the bulk data it refers to has arrived),
 * each data set becomes a PS3.10 stream whose bulk values are copied from the spool, and that stream goes through
 * the ingest pipeline like any other. Bulk data never sits in memory.
 *
 * <p>Pixel data in an {@code application/octet-stream} part is native (little endian, 8.7.3.3.1); in a part of a
 * compressed media type (Table 8.7.3-5) it becomes encapsulated pixel data in the part's transfer syntax, one
 * fragment (frame) per part sharing that Content-Location, after an empty Basic Offset Table.
 */
final class StowJson {
    private static final Logger LOG = LoggerFactory.getLogger(StowJson.class);

    private final Path tempDir;
    private final Function<IngestRequest, IngestResult> ingest;

    /** A spooled bulk data part: where it lies in the spool file and what it declared. */
    record Bulk(long offset, long length, MediaRange contentType) {
    }

    StowJson(Path tempDir, Function<IngestRequest, IngestResult> ingest) {
        this.tempDir = tempDir;
        this.ingest = ingest;
    }

    /**
     * Deletes spool files a crash left behind. Only those older than a day: a request still streaming into a
     * spool file is never touched, whoever calls this and when.
     */
    static void removeStale(Path tempDir) {
        if (!Files.isDirectory(tempDir)) {
            return;
        }
        java.time.Instant dayAgo = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
        try (var files = Files.newDirectoryStream(tempDir, "stow-*")) {
            for (Path p : files) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(dayAgo)) {
                    Files.deleteIfExists(p);
                    LOG.info("Removed {}, left by an interrupted STOW-RS request", p);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not clean up STOW-RS spool files in {}: {}", tempDir, e.getMessage());
        }
    }

    void store(MultipartReader reader, Optional<String> study, Origin origin, StoreResponse response)
            throws IOException {
        Optional<Part> first = reader.next();
        if (first.isEmpty()) {
            return;
        }
        Optional<MediaRange> type = first.get().contentType();
        if (type.isPresent() && !type.get().essence().equals(DicomMediaTypes.DICOM_JSON)
                && !type.get().essence().equals(DicomMediaTypes.JSON)) {
            response.failed(FailureKind.BAD_REQUEST, FailureReason.CANNOT_UNDERSTAND, "The first part of an "
                    + "application/dicom+json request must be the metadata, not " + type.get(), Optional.empty(),
                    Optional.empty());
            return;
        }
        Files.createDirectories(tempDir);
        Path json = Files.createTempFile(tempDir, "stow-", ".json");
        Path bulk = Files.createTempFile(tempDir, "stow-", ".bulk");
        try {
            try (OutputStream out = Files.newOutputStream(json)) {
                first.get().body().transferTo(out);
            }
            Map<String, List<Bulk>> parts = spool(reader, bulk);
            try (InputStream in = Files.newInputStream(json); JsonParser parser = DicomJsonReader.parser(in)) {
                JsonToken t = parser.nextToken();
                boolean array = t == JsonToken.START_ARRAY;
                for (t = array ? parser.nextToken() : t; t == JsonToken.START_OBJECT;
                     t = array ? parser.nextToken() : null) {
                    if (!instance(parser, parts, bulk, study, origin, response)) {
                        return;
                    }
                }
                if (array && t != JsonToken.END_ARRAY || !array && t != null) {
                    response.failed(FailureKind.BAD_REQUEST, FailureReason.CANNOT_UNDERSTAND,
                            "The metadata part is not a JSON array of DICOM JSON objects (PS3.18 F.2.1)",
                            Optional.empty(), Optional.empty());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                response.failed(FailureKind.BAD_REQUEST, FailureReason.CANNOT_UNDERSTAND,
                        "The metadata part is not valid JSON: " + e.getOriginalMessage(), Optional.empty(),
                        Optional.empty());
            }
        } finally {
            Files.deleteIfExists(json);
            Files.deleteIfExists(bulk);
        }
    }

    /** Appends every remaining part to {@code file}, indexed by Content-Location. */
    private static Map<String, List<Bulk>> spool(MultipartReader reader, Path file) throws IOException {
        Map<String, List<Bulk>> parts = new HashMap<>();
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Optional<Part> p = reader.next(); p.isPresent(); p = reader.next()) {
                long length = p.get().body().transferTo(out);
                Optional<String> location = p.get().contentLocation();
                if (location.isEmpty()) {
                    LOG.warn("STOW-RS bulk data part without Content-Location ignored ({} bytes)", length);
                } else {
                    MediaRange type = p.get().contentType().orElse(MediaRange.of(DicomMediaTypes.OCTET_STREAM));
                    parts.computeIfAbsent(key(location.get()), k -> new ArrayList<>())
                            .add(new Bulk(offset, length, type));
                }
                offset += length;
            }
        }
        return parts;
    }

    /** Reads, writes and ingests one data set; false when the JSON cannot be read further. */
    private boolean instance(JsonParser parser, Map<String, List<Bulk>> parts, Path bulk, Optional<String> study,
                             Origin origin,
                             StoreResponse response) throws IOException {
        List<String> problems = new ArrayList<>();
        String[] transferSyntax = {DicomMediaTypes.EXPLICIT_VR_LE};
        BulkDataUriResolver resolver = (path, vr, uri) -> {
            List<Bulk> found = lookup(parts, uri);
            if (found == null) {
                problems.add("BulkDataURI '" + uri + "' of " + path + " names no part's Content-Location");
                return new byte[0];
            }
            return value(path, vr, found, bulk, transferSyntax, problems);
        };
        AttributesCollector collector = new AttributesCollector();
        try {
            new DicomJsonReader(parser, resolver).readDataset(collector);
        } catch (IOException e) {
            if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                // Not JSON at all is the request's syntax (400); valid JSON that is not DICOM is the instance's.
                response.failed(FailureKind.BAD_REQUEST, FailureReason.CANNOT_UNDERSTAND,
                        "The metadata part is not valid JSON: " + e.getMessage(), Optional.empty(), Optional.empty());
                return false;
            }
            response.failed(FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND,
                    "DICOM JSON metadata cannot be read: " + e.getMessage(), Optional.empty(), Optional.empty());
            return false;
        }
        Attributes ds = withoutFileMeta(collector.dataset());
        if (!problems.isEmpty()) {
            response.failed(FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND,
                    String.join("; ", problems), ds.string(Tag.SOPClassUID), ds.string(Tag.SOPInstanceUID));
            return true;
        }
        Path part10 = Files.createTempFile(tempDir, "stow-", ".dcm");
        try {
            try (OutputStream out = Files.newOutputStream(part10)) {
                DicomWriter.writeFile(out, ds, TransferSyntax.of(transferSyntax[0]), WriteOptions.DEFAULT);
            }
            try (InputStream in = Files.newInputStream(part10)) {
                response.add(ingest.apply(new IngestRequest(in, origin, study)));
            }
        } finally {
            Files.deleteIfExists(part10);
        }
        return true;
    }

    /** The value a BulkDataURI stands for: a reference into the spool, or fragments for compressed pixel data. */
    private static Object value(TagPath path, Vr vr, List<Bulk> found, Path bulk, String[] transferSyntax,
                                List<String> problems) {
        Bulk one = found.get(0);
        boolean octets = one.contentType().essence().equals(DicomMediaTypes.OCTET_STREAM);
        if (path.depth() == 0 && path.tag() == Tag.PixelData && !octets) {
            Optional<String> ts = DicomMediaTypes.transferSyntaxOf(one.contentType());
            if (ts.isEmpty() || TransferSyntax.of(ts.get()).isNative()) {
                problems.add("Pixel data part of media type " + one.contentType() + " names no compressed transfer"
                        + " syntax (PS3.18 Table 8.7.3-5)");
                return new byte[0];
            }
            transferSyntax[0] = ts.get();
            List<Fragment> items = new ArrayList<>();
            items.add(Fragment.loaded(0, new byte[0])); // PS3.5 A.4: an empty Basic Offset Table
            for (Bulk b : found) {
                items.add(Fragment.reference(b.offset(), Math.toIntExact(b.length())));
            }
            return new Fragments(Vr.OB, bulk.toString(), items);
        }
        if (found.size() > 1) {
            problems.add(found.size() + " parts share the Content-Location of " + path + "; only compressed pixel data"
                    + " may be split into frames");
        }
        return new BulkDataRef(bulk.toString(), one.offset(), one.length(), false);
    }

    /** Group 0002 belongs to the file the writer makes, not to the data set (PS3.10 7.1). */
    private static Attributes withoutFileMeta(Attributes ds) {
        Attributes.Builder b = ds.toBuilder();
        for (int i = 0; i < ds.size(); i++) {
            if (Tag.group(ds.tagAt(i)) == 0x0002) {
                b.remove(ds.tagAt(i));
            }
        }
        return b.build();
    }

    /**
     * The parts whose Content-Location is the BulkDataURI: the same path, or (one being absolute and the other
     * relative to some root) one path ending with the other; null when none.
     */
    static List<Bulk> lookup(Map<String, List<Bulk>> parts, String uri) {
        String k = key(uri);
        List<Bulk> exact = parts.get(k);
        if (exact != null || k.isEmpty()) {
            return exact;
        }
        List<Bulk> match = null;
        for (Map.Entry<String, List<Bulk>> e : parts.entrySet()) {
            if (e.getKey().endsWith("/" + k) || k.endsWith("/" + e.getKey())) {
                if (match != null) {
                    return null; // ambiguous: refuse rather than guess
                }
                match = e.getValue();
            }
        }
        return match;
    }

    /** A BulkDataURI or Content-Location reduced to its path, without scheme, authority or leading '/'. */
    static String key(String uri) {
        String s = uri.strip();
        int scheme = s.indexOf("://");
        if (scheme > 0) {
            int slash = s.indexOf('/', scheme + 3);
            s = slash < 0 ? "" : s.substring(slash);
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }
}
