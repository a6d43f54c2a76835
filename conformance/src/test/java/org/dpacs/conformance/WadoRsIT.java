package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WADO-RS (PS3.18 10.4) over every stored sample: instances, series and studies as PS3.10 files that pydicom reads
 * back equal to the originals; metadata whose values and BulkDataURIs give back the original attributes; frames
 * equal to pydicom's; the status codes for unknown UIDs and unacceptable media types; conditional GET of metadata.
 *
 * <p>Each test collects every problem it finds over all samples and fails once with the list, so one run shows the
 * whole picture rather than the first broken file.
 */
class WadoRsIT {

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget();

    private static Corpus corpus;
    private static List<Sample> stored;
    private static Path work;
    private static Map<Sample, Retrieved> instanceRetrievals;
    private static Map<Sample, Metadata> instanceMetadata;

    /** The metadata of one instance, with each BulkDataURI fetched (parts saved to files) or the reason it failed. */
    record Metadata(Retrieved response, JsonNode object, Path json, Map<String, List<Path>> bulk, List<String> problems) {
    }

    @BeforeAll
    static void storeCorpus() {
        corpus = Corpus.get();
        work = Corpus.tempDirectory("dpacs-conformance-wado");
        stored = Stow.storeAll(target, corpus.toStore());
        assertThat(stored).as("instances the server acknowledged; StowRsIT says why others were not").isNotEmpty();
    }

    // ----------------------------------------------------------------------------------------------- instances

    @Test
    void retrieveInstanceReturnsTheStoredAttributesAndPixelData() {
        List<String> problems = new ArrayList<>();
        Map<Path, Path> pairs = new LinkedHashMap<>();
        Map<Path, Sample> byFile = new LinkedHashMap<>();
        instanceRetrievals().forEach((s, r) -> {
            String p = r.multipartProblem(Stow.APPLICATION_DICOM);
            if (p == null && r.parts().size() != 1) {
                p = r.request() + " -> " + r.parts().size() + " parts, expected 1";
            }
            if (p != null) {
                problems.add(s.name() + ": " + p);
                return;
            }
            Path file = r.writeParts(work, "instance-" + UUID.randomUUID()).get(0);
            pairs.put(file, s.file());
            byFile.put(file, s);
        });
        Pydicom.compare(pairs).forEach((file, c) -> {
            if (!c.differences().isEmpty()) {
                problems.add(byFile.get(file).name() + " (stored " + byFile.get(file).transferSyntax() + ", returned "
                        + c.transferSyntax() + "): " + c.differences());
            }
        });
        assertThat(problems).as("PS3.18 10.4.1.1.3 retrieve instance, re-read by pydicom, %d instances",
                instanceRetrievals().size()).isEmpty();
    }

    @Test
    void retrieveNeverUsesImplicitVrOrBigEndian() {
        // PS3.18 8.7.3: Implicit VR Little Endian and Explicit VR Big Endian shall not be used with Web Services,
        // even when the client accepts any transfer syntax; such stored instances are converted on the way out.
        List<String> problems = new ArrayList<>();
        Map<Path, Sample> files = retrievedFiles();
        Pydicom.identify(new ArrayList<>(files.keySet())).forEach((f, id) -> {
            if (Sample.IMPLICIT_VR_LITTLE_ENDIAN.equals(id.transferSyntax())
                    || Sample.EXPLICIT_VR_BIG_ENDIAN.equals(id.transferSyntax())) {
                problems.add(files.get(f).name() + " returned in " + id.transferSyntax());
            }
        });
        assertThat(problems).as("GET .../instances/{uid} Accept: %s", Accept.INSTANCES_ANY_TS).isEmpty();
    }

    @Test
    void retrievedPartsNameTheirTransferSyntax() {
        // PS3.18 8.7.3.4/8.7.3.5.2: a part in any transfer syntax but Explicit VR Little Endian carries a
        // transfer-syntax parameter, and a parameter that is present names the syntax the part is really in.
        List<String> problems = new ArrayList<>();
        Map<Path, Sample> files = retrievedFiles();
        Map<Path, Multipart.Part> parts = new LinkedHashMap<>();
        Map<Path, String> requests = new LinkedHashMap<>();
        Map<Sample, Retrieved> retrievals = instanceRetrievals();
        files.forEach((f, s) -> {
            parts.put(f, retrievals.get(s).parts().get(0));
            requests.put(f, retrievals.get(s).request());
        });
        Pydicom.identify(new ArrayList<>(files.keySet())).forEach((f, id) -> {
            Optional<String> param = parts.get(f).contentType().transferSyntax();
            String actual = id.transferSyntax();
            if (param.isEmpty() && !Sample.EXPLICIT_VR_LITTLE_ENDIAN.equals(actual)) {
                problems.add(requests.get(f) + ": part Content-Type '" + parts.get(f).header("content-type")
                        + "' has no transfer-syntax, the part is in " + actual);
            } else if (param.isPresent() && !param.get().equals(actual)) {
                problems.add(requests.get(f) + ": part Content-Type says transfer-syntax=" + param.get()
                        + " but the file meta information says " + actual);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void retrieveWithoutTransferSyntaxUsesExplicitVrLittleEndian() {
        // PS3.18 8.7.3.4 and Table 8.7.3-2: with no transfer-syntax parameter the default, Explicit VR Little Endian,
        // is used. A lossy original may come back as stored; a lossless compressed one must be decoded, or, if the
        // server cannot, 406 is the honest answer rather than another syntax under the default's name.
        List<String> problems = new ArrayList<>();
        Map<Path, Path> pairs = new LinkedHashMap<>();
        Map<Path, Sample> byFile = new LinkedHashMap<>();
        for (Sample s : stored) {
            Retrieved r = Retrieved.get(target, target.url(s.instancePath()), Accept.INSTANCES);
            boolean lossy = s.encapsulated() && !Accept.LOSSLESS_COMPRESSED.contains(s.transferSyntax());
            if (r.status() == 406 && s.encapsulated() && !lossy) {
                continue;
            }
            String p = r.multipartProblem(Stow.APPLICATION_DICOM);
            if (p != null || r.parts().size() != 1) {
                problems.add(s.name() + ": " + (p != null ? p : r.parts().size() + " parts"));
                continue;
            }
            Path f = r.writeParts(work, "default-" + UUID.randomUUID()).get(0);
            pairs.put(f, s.file());
            byFile.put(f, s);
        }
        Pydicom.compare(pairs).forEach((f, c) -> {
            Sample s = byFile.get(f);
            boolean lossyAsStored = s.encapsulated() && !Accept.LOSSLESS_COMPRESSED.contains(s.transferSyntax())
                    && s.transferSyntax().equals(c.transferSyntax());
            if (!Sample.EXPLICIT_VR_LITTLE_ENDIAN.equals(c.transferSyntax()) && !lossyAsStored) {
                problems.add(s.name() + " stored in " + s.transferSyntax() + " came back in " + c.transferSyntax());
            } else if (!c.differences().isEmpty()) {
                problems.add(s.name() + ": " + c.differences());
            }
        });
        assertThat(problems).as("GET .../instances/{uid} Accept: %s", Accept.INSTANCES).isEmpty();
    }

    @Test
    void retrieveSeriesReturnsEveryInstanceOfTheSeries() {
        Map<String, List<Sample>> bySeries = group(stored, Sample::seriesPath);
        assertThat(retrieveGroups(bySeries)).as("PS3.18 10.4.1.1.2 retrieve series").isEmpty();
    }

    @Test
    void retrieveStudyReturnsEveryInstanceOfTheStudy() {
        Map<String, List<Sample>> byStudy = group(stored, s -> "studies/" + s.studyInstanceUid());
        assertThat(retrieveGroups(byStudy)).as("PS3.18 10.4.1.1.1 retrieve study").isEmpty();
    }

    private List<String> retrieveGroups(Map<String, List<Sample>> groups) {
        List<String> problems = new ArrayList<>();
        Map<Path, String> fileToGroup = new LinkedHashMap<>();
        Map<String, Retrieved> responses = new LinkedHashMap<>();
        groups.forEach((path, members) -> {
            Retrieved r = Retrieved.get(target, target.url(path), Accept.INSTANCES_ANY_TS);
            responses.put(path, r);
            String p = r.multipartProblem(Stow.APPLICATION_DICOM);
            if (p != null) {
                problems.add(p);
                return;
            }
            r.writeParts(work, "group-" + UUID.randomUUID()).forEach(f -> fileToGroup.put(f, path));
        });
        Map<String, Set<String>> found = new LinkedHashMap<>();
        Pydicom.identify(new ArrayList<>(fileToGroup.keySet())).forEach((f, id) -> {
            String g = fileToGroup.get(f);
            if (id.error() != null) {
                problems.add(responses.get(g).request() + ": a part pydicom cannot read: " + id.error());
            } else {
                found.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(id.sopInstanceUid());
            }
        });
        groups.forEach((path, members) -> {
            if (!responses.containsKey(path) || responses.get(path).multipartProblem(Stow.APPLICATION_DICOM) != null) {
                return;
            }
            Set<String> want = members.stream().map(Sample::sopInstanceUid).collect(Collectors.toCollection(LinkedHashSet::new));
            Set<String> got = found.getOrDefault(path, Set.of());
            boolean ok = target.isShared() ? got.containsAll(want) : got.equals(want);
            if (!ok) {
                problems.add(responses.get(path).request() + ": SOP Instance UIDs " + got + ", expected " + want);
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ metadata

    @Test
    void instanceMetadataMatchesTheStoredAttributes() {
        List<String> problems = new ArrayList<>();
        List<Pydicom.MetadataItem> items = new ArrayList<>();
        Map<Path, Sample> byJson = new LinkedHashMap<>();
        instanceMetadata().forEach((s, m) -> {
            if (m.object() == null) {
                problems.add(s.name() + ": " + m.problems());
                return;
            }
            items.add(new Pydicom.MetadataItem(s.file(), m.json(), m.bulk()));
            byJson.put(m.json(), s);
        });
        Pydicom.compareMetadata(items).forEach((json, diffs) -> {
            if (!diffs.isEmpty()) {
                problems.add(byJson.get(json).name() + ": " + diffs);
            }
        });
        assertThat(problems).as("PS3.18 10.4.1.1.2 / Annex F: instance metadata against pydicom").isEmpty();
    }

    @Test
    void metadataSendsPixelDataAsBulkDataUri() {
        // PS3.18 10.4.1.2 (Metadata Resources): bulk data, and Pixel Data above all, is replaced by a BulkDataURI.
        List<String> problems = new ArrayList<>();
        instanceMetadata().forEach((s, m) -> {
            if (m.object() == null || !s.hasPixelData()) {
                return;
            }
            JsonNode pixel = m.object().get(Tags.PixelData);
            if (pixel == null || !pixel.has("BulkDataURI")) {
                problems.add(m.response().request() + ": (7FE0,0010) is " + (pixel == null ? "missing" : shorten(pixel)));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void bulkDataUrisResolveToTheirValues() {
        List<String> problems = new ArrayList<>();
        instanceMetadata().forEach((s, m) -> {
            if (m.object() != null) {
                m.problems().forEach(p -> problems.add(s.name() + ": " + p));
            }
        });
        assertThat(problems).as("PS3.18 10.4.1.1.5 every BulkDataURI answers with its bulk data").isEmpty();
    }

    @Test
    void seriesMetadataDescribesEveryInstanceOfTheSeries() {
        assertThat(groupMetadata(group(stored, Sample::seriesPath))).as("PS3.18 10.4.1.1.2 series metadata").isEmpty();
    }

    @Test
    void studyMetadataDescribesEveryInstanceOfTheStudy() {
        assertThat(groupMetadata(group(stored, s -> "studies/" + s.studyInstanceUid())))
                .as("PS3.18 10.4.1.1.2 study metadata").isEmpty();
    }

    private List<String> groupMetadata(Map<String, List<Sample>> groups) {
        List<String> problems = new ArrayList<>();
        List<Pydicom.MetadataItem> items = new ArrayList<>();
        Map<Path, String> jsonToRequest = new LinkedHashMap<>();
        groups.forEach((path, members) -> {
            Retrieved r = Retrieved.get(target, target.url(path + "/metadata"), Accept.DICOM_JSON);
            Optional<JsonNode> array = jsonArray(r, problems);
            if (array.isEmpty()) {
                return;
            }
            Map<String, Sample> want = new LinkedHashMap<>();
            members.forEach(s -> want.put(s.sopInstanceUid(), s));
            Set<String> got = new LinkedHashSet<>();
            for (JsonNode obj : array.get()) {
                String uid = DicomJson.string(obj, Tags.SOPInstanceUID).orElse("?");
                got.add(uid);
                Sample s = want.get(uid);
                if (s != null) {
                    Path json = save(obj);
                    items.add(new Pydicom.MetadataItem(s.file(), json, fetchBulk(r.url(), obj, problems)));
                    jsonToRequest.put(json, r.request() + " object of " + s.name());
                }
            }
            boolean ok = target.isShared() ? got.containsAll(want.keySet()) : got.equals(want.keySet());
            if (!ok || array.get().size() != got.size()) {
                problems.add(r.request() + ": " + array.get().size() + " objects for SOP Instance UIDs " + got
                        + ", expected one each for " + want.keySet());
            }
        });
        Pydicom.compareMetadata(items).forEach((json, diffs) -> {
            if (!diffs.isEmpty()) {
                problems.add(jsonToRequest.get(json) + ": " + diffs);
            }
        });
        return problems;
    }

    // -------------------------------------------------------------------------------------------------- frames

    @Test
    void framesOfNativeImagesAreSlicesOfPixelData() {
        // PS3.18 10.4.1.1.4 and Table 8.7.3-4: uncompressed frames as application/octet-stream, by default in
        // Explicit VR Little Endian whatever the stored byte order.
        List<Sample> samples = stored.stream().filter(Sample::isNative)
                .filter(s -> s.bitsAllocated() % 8 == 0 || s.numberOfFrames() == 1)
                .filter(s -> !(s.bitsAllocated() == 1 && Sample.EXPLICIT_VR_BIG_ENDIAN.equals(s.transferSyntax())))
                .toList();
        List<String> problems = checkFrames(samples, s -> Accept.OCTET_STREAM, s -> "application/octet-stream",
                s -> Sample.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(samples).as("native samples stored").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void framesOfCompressedImagesAreSentAsStoredWhenAnyTransferSyntaxIsAccepted() {
        // OHIF's request: octet-stream with transfer-syntax=*; the stored compressed frame is the natural answer,
        // labelled with its transfer syntax (PS3.18 8.7.3.5.2) so the viewer knows which decoder to use.
        List<Sample> samples = stored.stream().filter(Sample::encapsulated).toList();
        List<String> problems = checkFrames(samples, s -> Accept.OCTET_STREAM_ANY_TS, s -> null, Sample::transferSyntax);
        assertThat(samples).as("compressed samples stored").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void framesInTheirOwnMediaTypeNameTheirTransferSyntax() {
        // PS3.18 Table 8.7.3-5: each compressed syntax has its media type (image/jpeg, image/dicom-rle, image/jls,
        // image/jp2...); asked for explicitly, the part has that media type and the transfer-syntax parameter.
        List<Sample> samples = stored.stream().filter(Sample::encapsulated)
                .filter(s -> Accept.pixelMediaType(s.transferSyntax()).isPresent()).toList();
        List<String> problems = checkFrames(samples,
                s -> "multipart/related; type=\"" + Accept.pixelMediaType(s.transferSyntax()).orElseThrow()
                        + "\"; transfer-syntax=" + s.transferSyntax(),
                s -> Accept.pixelMediaType(s.transferSyntax()).orElseThrow(), Sample::transferSyntax);
        assertThat(problems).isEmpty();
    }

    @Test
    void frameListReturnsOnlyTheListedFrames() {
        Sample multi = stored.stream().filter(s -> s.numberOfFrames() >= 3).filter(s -> !s.encapsulated())
                .filter(s -> s.bitsAllocated() % 8 == 0).findFirst().orElseThrow();
        int last = multi.numberOfFrames();
        List<Integer> frames = List.of(2, last);
        Path dir = newDir();
        List<Pydicom.Frame> expected = Pydicom.frames(Map.of(multi.file(), frames), dir);
        String url = target.url(multi.instancePath() + "/frames/2," + last);
        Retrieved r = Retrieved.get(target, url, Accept.OCTET_STREAM);
        assertThat(r.multipartProblem("application/octet-stream")).as(r.request()).isNull();
        assertThat(r.parts()).as(r.request()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(r.parts().get(i).body()).as("%s part %d = frame %d of %s", r.request(), i + 1, frames.get(i), multi)
                    .isEqualTo(read(expected.get(i).expected()));
        }
    }

    /**
     * Requests every frame of each sample and compares each part with pydicom's frame. {@code mediaType} null means
     * any media type is fine; {@code transferSyntax} is what the part must be in.
     */
    private List<String> checkFrames(List<Sample> samples, java.util.function.Function<Sample, String> accept,
                                     java.util.function.Function<Sample, String> mediaType,
                                     java.util.function.Function<Sample, String> transferSyntax) {
        Path dir = newDir();
        Map<Path, List<Integer>> wanted = new LinkedHashMap<>();
        samples.forEach(s -> wanted.put(s.file(), IntStream.rangeClosed(1, s.numberOfFrames()).boxed().toList()));
        Map<String, Pydicom.Frame> expected = new LinkedHashMap<>();
        Pydicom.frames(wanted, dir).forEach(f -> expected.put(f.file() + "#" + f.frame(), f));
        List<String> problems = new ArrayList<>();
        for (Sample s : samples) {
            String list = IntStream.rangeClosed(1, s.numberOfFrames()).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
            Retrieved r = Retrieved.get(target, target.url(s.instancePath() + "/frames/" + list), accept.apply(s));
            Pydicom.Frame first = expected.get(s.file() + "#1");
            if (first != null && first.error() != null && first.error().contains("inconsistent pixel data")) {
                // Pixel Data shorter than its frames, or a Number of Frames that is not a number: the frames
                // cannot be cut out, so the server must refuse with a reason rather than send made-up frames.
                if (r.status() < 400 || !r.text().matches("(?s).*(Pixel Data|7FE0,0010|Number of Frames).*")) {
                    problems.add(s.name() + " (" + first.error() + "): expected a refusal naming the pixel data, got "
                            + r.request() + " -> " + r.status() + " " + r.text());
                }
                continue;
            }
            String type = mediaType.apply(s);
            String p = r.multipartProblem(type);
            if (p != null) {
                problems.add(s.name() + ": " + p);
                continue;
            }
            if (r.parts().size() != s.numberOfFrames()) {
                problems.add(r.request() + ": " + r.parts().size() + " parts for " + s.numberOfFrames() + " frames");
                continue;
            }
            String ts = transferSyntax.apply(s);
            for (int i = 0; i < r.parts().size(); i++) {
                Multipart.Part part = r.parts().get(i);
                MediaType ct = part.contentType();
                Pydicom.Frame f = expected.get(s.file() + "#" + (i + 1));
                if (type != null && !ct.is(type)) {
                    problems.add(r.request() + " part " + (i + 1) + ": Content-Type " + part.header("content-type")
                            + ", expected " + type);
                }
                Optional<String> param = ct.transferSyntax();
                if (param.isEmpty() && !Sample.EXPLICIT_VR_LITTLE_ENDIAN.equals(ts)) {
                    problems.add(r.request() + " part " + (i + 1) + ": Content-Type " + part.header("content-type")
                            + " lacks transfer-syntax=" + ts);
                } else if (param.isPresent() && !param.get().equals(ts)) {
                    problems.add(r.request() + " part " + (i + 1) + ": transfer-syntax=" + param.get()
                            + ", expected the stored " + ts + " (this suite verifies frames only in that syntax)");
                    continue;
                }
                if (f == null || f.expected() == null) {
                    problems.add(s.name() + " frame " + (i + 1) + ": pydicom gave no reference frame: "
                            + (f == null ? "?" : f.error()));
                } else if (!sameFrame(read(f.expected()), part.body())) {
                    problems.add(r.request() + " part " + (i + 1) + ": " + part.body().length
                            + " bytes differ from pydicom's frame of " + read(f.expected()).length + " bytes");
                }
            }
        }
        return problems;
    }

    /** Equal, or equal but for the one 0x00 that pads an odd-length fragment to even length (PS3.5 A.4). */
    private static boolean sameFrame(byte[] expected, byte[] actual) {
        if (Arrays.equals(expected, actual)) {
            return true;
        }
        byte[] longer = expected.length > actual.length ? expected : actual;
        byte[] shorter = longer == expected ? actual : expected;
        return longer.length == shorter.length + 1 && longer[longer.length - 1] == 0
                && Arrays.equals(Arrays.copyOf(longer, shorter.length), shorter);
    }

    // ---------------------------------------------------------------------------------------- status and media

    @Test
    void retrieveOfUnknownUidsReturns404() {
        Sample s = stored.get(0);
        String unknown = Corpus.randomUid();
        List<String> urls = List.of(
                "studies/" + unknown,
                "studies/" + unknown + "/metadata",
                "studies/" + s.studyInstanceUid() + "/series/" + unknown,
                "studies/" + s.studyInstanceUid() + "/series/" + unknown + "/metadata",
                s.seriesPath() + "/instances/" + unknown,
                s.seriesPath() + "/instances/" + unknown + "/metadata",
                s.seriesPath() + "/instances/" + unknown + "/frames/1");
        List<String> problems = new ArrayList<>();
        for (String u : urls) {
            String accept = u.endsWith("/metadata") ? Accept.DICOM_JSON
                    : u.endsWith("/frames/1") ? Accept.OCTET_STREAM_ANY_TS : Accept.INSTANCES_ANY_TS;
            Retrieved r = Retrieved.get(target, target.url(u), accept);
            if (r.status() != 404) {
                problems.add(r.request() + " -> " + r.status() + ", expected 404");
            }
        }
        assertThat(problems).as("PS3.18 8.5: 404 Not Found for a resource that does not exist").isEmpty();
    }

    @Test
    void framesRequestedAsPngAreNotAcceptable() {
        // image/png is a rendered media type (PS3.18 8.7.4), not a bulk data one (Table 8.7.3-5): /frames answers
        // 406 unless the server chooses to render, in which case the part must really be a PNG.
        Sample s = stored.stream().filter(Sample::hasPixelData).findFirst().orElseThrow();
        Retrieved r = Retrieved.get(target, target.url(s.instancePath() + "/frames/1"), "image/png");
        if (r.status() == 406) {
            return;
        }
        assertThat(r.status()).as(r.request() + " -> " + r.status() + " " + Retrieved.shorten(r.text())).isEqualTo(200);
        byte[] png = r.contentType().is("image/png") ? r.body()
                : r.parts().isEmpty() ? new byte[0] : r.parts().get(0).body();
        assertThat(png).as("%s answered 200: the body must then be a PNG", r.request())
                .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void metadataRequestedInAnUnsupportedMediaTypeIsNotAcceptable() {
        Sample s = stored.get(0);
        Retrieved r = Retrieved.get(target, target.url(s.instancePath() + "/metadata"), "application/pdf");
        assertThat(r.status()).as("PS3.18 8.7.5: %s -> %s", r.request(), Retrieved.shorten(r.text())).isEqualTo(406);
    }

    @Test
    void ohifAcceptHeaderIsServedForMetadataAndFrames() {
        Sample s = stored.stream().filter(Sample::hasPixelData).findFirst().orElseThrow();
        Retrieved meta = Retrieved.get(target, target.url(s.instancePath() + "/metadata"), Accept.OHIF);
        assertThat(meta.status()).as(meta.request() + " " + Retrieved.shorten(meta.text())).isEqualTo(200);
        assertThat(meta.contentType().essence()).as(meta.request()).isEqualTo("application/dicom+json");
        Retrieved frames = Retrieved.get(target, target.url(s.instancePath() + "/frames/1"), Accept.OHIF);
        assertThat(frames.multipartProblem("application/octet-stream")).as(frames.request()).isNull();
        assertThat(frames.parts()).as(frames.request()).hasSize(1);
    }

    @Test
    void acceptWithQualityValuesPicksTheBestSupportedMediaType() {
        // RFC 7231 5.3.2: the highest-weighted acceptable type that the server supports wins; unsupported ones are
        // skipped, not answered with 406.
        Sample s = stored.get(0);
        Retrieved r = Retrieved.get(target, target.url(s.instancePath() + "/metadata"),
                "application/pdf;q=1.0, application/dicom+json;q=0.5, */*;q=0.1");
        assertThat(r.status()).as(r.request() + " " + Retrieved.shorten(r.text())).isEqualTo(200);
        assertThat(r.contentType().essence()).as(r.request()).isEqualTo("application/dicom+json");
    }

    // ---------------------------------------------------------------------------------------------- caching

    @Test
    void metadataAnswers304WhenItsETagStillMatches() {
        Sample s = stored.get(0);
        List<String> problems = new ArrayList<>();
        for (String path : List.of("studies/" + s.studyInstanceUid(), s.seriesPath(), s.instancePath())) {
            String url = target.url(path + "/metadata");
            Retrieved first = Retrieved.get(target, url, Accept.DICOM_JSON);
            Optional<String> etag = first.header("ETag");
            if (first.status() != 200 || etag.isEmpty()) {
                problems.add(first.request() + " -> " + first.status() + " without an ETag");
                continue;
            }
            Retrieved again = Retrieved.get(target, url, Accept.DICOM_JSON, "If-None-Match", etag.get());
            if (again.status() != 304 || again.body().length != 0) {
                problems.add(again.request() + " -> " + again.status() + " with " + again.body().length
                        + " bytes, expected 304 without a body (RFC 7232 4.1)");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void studyMetadataETagChangesWhenAnInstanceIsAdded() {
        // A cached study must not outlive a new instance: the old ETag no longer matches (RFC 7232 2.3).
        Sample first = corpus.copy(corpus.original("MR_small.dcm"), "wado/etag/first");
        Sample second = corpus.copyWithUids(corpus.original("CT_small.dcm"), Map.of("study", first.studyInstanceUid(),
                "series", first.seriesInstanceUid() + ".2", "sop", first.sopInstanceUid() + ".2"));
        assertThat(Stow.store(target, List.of(first.file())).status()).isEqualTo(200);
        String url = target.url("studies/" + first.studyInstanceUid() + "/metadata");
        Retrieved before = Retrieved.get(target, url, Accept.DICOM_JSON);
        String etag = before.header("ETag").orElseThrow(() -> new AssertionError(before.request() + " has no ETag"));
        StoreResponse added = Stow.store(target, List.of(second.file()));
        assertThat(added.status()).as(added.describe()).isEqualTo(200);
        Retrieved after = Retrieved.get(target, url, Accept.DICOM_JSON, "If-None-Match", etag);
        assertThat(after.status()).as("%s after a second instance was stored in the study", after.request()).isEqualTo(200);
        assertThat(after.header("ETag")).as(after.request()).isPresent().get().isNotEqualTo(etag);
    }

    // --------------------------------------------------------------------------------------------- fixtures

    /** Each stored instance retrieved once with any transfer syntax accepted; shared by the instance tests. */
    private static synchronized Map<Sample, Retrieved> instanceRetrievals() {
        if (instanceRetrievals == null) {
            Map<Sample, Retrieved> map = new LinkedHashMap<>();
            for (Sample s : stored) {
                map.put(s, Retrieved.get(target, target.url(s.instancePath()), Accept.INSTANCES_ANY_TS));
            }
            instanceRetrievals = map;
        }
        return instanceRetrievals;
    }

    /** The single part of each good instance retrieval, saved to a file. */
    private static Map<Path, Sample> retrievedFiles() {
        Map<Path, Sample> files = new LinkedHashMap<>();
        instanceRetrievals().forEach((s, r) -> {
            if (r.multipartProblem(Stow.APPLICATION_DICOM) == null && r.parts().size() == 1) {
                files.put(r.writeParts(work, "retrieved-" + UUID.randomUUID()).get(0), s);
            }
        });
        return files;
    }

    private static synchronized Map<Sample, Metadata> instanceMetadata() {
        if (instanceMetadata == null) {
            Map<Sample, Metadata> map = new LinkedHashMap<>();
            for (Sample s : stored) {
                Retrieved r = Retrieved.get(target, target.url(s.instancePath() + "/metadata"), Accept.DICOM_JSON);
                List<String> problems = new ArrayList<>();
                Optional<JsonNode> array = jsonArray(r, problems);
                if (array.isPresent() && array.get().size() != 1) {
                    problems.add(r.request() + ": " + array.get().size() + " objects, expected 1");
                }
                if (!problems.isEmpty() || array.isEmpty()) {
                    map.put(s, new Metadata(r, null, null, Map.of(), problems));
                    continue;
                }
                JsonNode obj = array.get().get(0);
                Map<String, List<Path>> bulk = fetchBulk(r.url(), obj, problems);
                map.put(s, new Metadata(r, obj, save(obj), bulk, problems));
            }
            instanceMetadata = map;
        }
        return instanceMetadata;
    }

    /** GETs every BulkDataURI of {@code obj}; problems of resolution are added to {@code problems}. */
    private static Map<String, List<Path>> fetchBulk(String metadataUrl, JsonNode obj, List<String> problems) {
        Map<String, List<Path>> bulk = new LinkedHashMap<>();
        for (String uri : DicomJson.bulkDataUris(obj)) {
            // F.2.6: the URI may be relative to the metadata resource that carried it.
            String url = URI.create(metadataUrl).resolve(uri).toString();
            Retrieved b = Retrieved.get(target, url, Accept.OCTET_STREAM_ANY_TS);
            String p = b.multipartProblem(null);
            if (p != null) {
                problems.add("BulkDataURI " + uri + ": " + p);
            } else if (b.parts().isEmpty()) {
                problems.add(b.request() + ": no parts");
            } else {
                bulk.put(uri, b.writeParts(work, "bulk-" + UUID.randomUUID()));
            }
        }
        return bulk;
    }

    /** The body as a JSON array of DICOM JSON objects, or empty with a problem recorded. */
    static Optional<JsonNode> jsonArray(Retrieved r, List<String> problems) {
        if (r.status() != 200) {
            problems.add(r.request() + " -> " + r.status() + " " + Retrieved.shorten(r.text()));
            return Optional.empty();
        }
        if (!r.contentType().is("application/dicom+json")) {
            problems.add(r.request() + " -> Content-Type " + r.header("content-type").orElse("(none)")
                    + ", expected application/dicom+json");
        }
        try {
            JsonNode n = Pydicom.JSON.readTree(r.body());
            if (n == null || !n.isArray()) {
                problems.add(r.request() + " -> not a JSON array: " + Retrieved.shorten(r.text()));
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (IOException e) {
            problems.add(r.request() + " -> not JSON: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Path save(JsonNode obj) {
        try {
            Path f = work.resolve("metadata-" + UUID.randomUUID() + ".json");
            Pydicom.JSON.writeValue(f.toFile(), obj);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<Sample>> group(List<Sample> samples, java.util.function.Function<Sample, String> key) {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        samples.forEach(s -> out.computeIfAbsent(key.apply(s), k -> new ArrayList<>()).add(s));
        return out;
    }

    private static Path newDir() {
        try {
            return Files.createTempDirectory(work, "frames-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shorten(JsonNode n) {
        return Retrieved.shorten(n.toString());
    }
}
