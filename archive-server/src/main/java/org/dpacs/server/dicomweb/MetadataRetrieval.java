package org.dpacs.server.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.io.DicomHandler;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.json.DicomJsonReader;
import org.dpacs.dicom.json.DicomJsonWriter;
import org.dpacs.dicom.json.JsonOptions;
import org.dpacs.dicom.xml.NativeXmlWriter;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.MediaNegotiation.Offer;
import org.dpacs.server.index.StudyIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieves Metadata (PS3.18 10.4.1.1.2, 10.4.3.3.2): a JSON array of the instances' DICOM JSON objects, or
 * {@code multipart/related; type="application/dicom+xml"} with one Native DICOM Model document per instance.
 * Large values and pixel data are absolute BulkDataURIs under the base URL the client sees.
 *
 * <p>The JSON comes from the study index, which stores it per instance with relative BulkDataURIs
 * ({@link MetadataJson} resolves them). When there is no index, or it does not (yet) hold every instance the
 * catalog has, or it fails, the stored headers are parsed instead (range reads that skip pixel data): the
 * catalog is the truth, the index only makes it fast.
 *
 * <p>The ETag names the state of the instances (count and highest catalog seq, which every store raises), the
 * base URL and the media type; If-None-Match then answers 304.
 */
final class MetadataRetrieval {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataRetrieval.class);
    /** PS3.18 10.4.1.2 leaves the size to us; 1 KB keeps LUTs and private blobs out, short values in. */
    static final int BULK_THRESHOLD = 1024;
    private static final ReadOptions HEADER = ReadOptions.DEFAULT.withBulkThreshold(BULK_THRESHOLD);
    static final List<Offer> OFFERS = List.of(Offer.of(DicomMediaTypes.DICOM_JSON),
            Offer.multipart(DicomMediaTypes.DICOM_XML), Offer.of(DicomMediaTypes.JSON));

    private final StoredObjects objects;
    private final Optional<StudyIndex> index;

    /** Which instances a request names: a study, one of its series, or one instance. */
    record Scope(String study, Optional<String> series, Optional<String> sop) {
    }

    MetadataRetrieval(StoredObjects objects, Optional<StudyIndex> index) {
        this.objects = objects;
        this.index = index;
    }

    Response retrieve(Scope scope, List<InstanceRecord> records, String accept, Request request, RetrieveUrls urls,
                      String what) {
        Offer offer = MediaNegotiation.select(accept, OFFERS, what);
        EntityTag etag = etag(records, urls.base(), offer);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        if (notModified != null) {
            return notModified.build();
        }
        Optional<List<byte[]>> indexed = indexed(scope, records.size());
        if (offer.isMultipart()) {
            String boundary = MultipartWriter.newBoundary();
            StreamingOutput body = out -> {
                try (MultipartWriter w = new MultipartWriter(out, boundary)) {
                    for (byte[] xml : xml(indexed, records, urls)) {
                        w.part(DicomMediaTypes.DICOM_XML, Optional.empty(), xml);
                    }
                }
            };
            return Response.ok(body).tag(etag)
                    .header(HttpHeaders.CONTENT_TYPE, MultipartWriter.contentType(DicomMediaTypes.DICOM_XML, boundary))
                    .build();
        }
        StreamingOutput body = out -> {
            if (indexed.isPresent()) {
                try (JsonGenerator g = DicomJsonWriter.generator(out, JsonOptions.DEFAULT)) {
                    g.writeStartArray();
                    for (byte[] json : indexed.get()) {
                        MetadataJson.copyWithBase(json, urls.base(), g);
                    }
                    g.writeEndArray();
                }
                return;
            }
            out.write('[');
            boolean first = true;
            for (InstanceRecord r : records) {
                Optional<byte[]> json = fromObject(r, urls, false);
                if (json.isPresent()) {
                    out.write(first ? new byte[0] : new byte[]{','});
                    out.write(json.get());
                    first = false;
                }
            }
            out.write(']');
        };
        return Response.ok(body).tag(etag).type(offer.mediaType()).build();
    }

    /** The index's JSON of every instance in scope, if it has them all. */
    private Optional<List<byte[]>> indexed(Scope scope, int expected) {
        if (index.isEmpty()) {
            return Optional.empty();
        }
        try {
            StudyIndex ix = index.get();
            List<byte[]> found = scope.sop().isPresent()
                    ? ix.instanceMetadata(scope.study(), scope.series().orElseThrow(), scope.sop().get())
                            .map(List::of).orElse(List.of())
                    : scope.series().isPresent() ? ix.seriesMetadata(scope.study(), scope.series().get())
                    : ix.studyMetadata(scope.study());
            if (found.size() == expected) {
                return Optional.of(found);
            }
            LOG.debug("Index has {} of the {} instances of {}; metadata read from the stored objects",
                    found.size(), expected, scope);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Index failed to give the metadata of {}; read from the stored objects instead", scope, e);
        }
        return Optional.empty();
    }

    /** One XML document per instance, from the index's JSON when there is one. */
    private List<byte[]> xml(Optional<List<byte[]>> indexed, List<InstanceRecord> records, RetrieveUrls urls)
            throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (indexed.isEmpty()) {
            for (InstanceRecord r : records) {
                fromObject(r, urls, true).ifPresent(out::add);
            }
            return out;
        }
        // Relative BulkDataURIs are kept as the reference's source, then written absolute.
        JsonOptions options = new JsonOptions(JsonOptions.BulkDataMode.URI, Integer.MAX_VALUE,
                (path, vr, value) -> MetadataJson.absolute(urls.base(), ((BulkDataRef) value).source()),
                objects.resolver(), false);
        for (byte[] json : indexed.get()) {
            Attributes ds = DicomJsonReader.read(new ByteArrayInputStream(json),
                    (path, vr, uri) -> new BulkDataRef(uri, 0, 0, false));
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(8 * 1024);
            NativeXmlWriter.write(ds, buffer, options);
            out.add(buffer.toByteArray());
        }
        return out;
    }

    /**
     * One instance's metadata parsed from its stored object, built in memory (it is small: bulk data is left
     * out) so that an unreadable object can be skipped, with an error in the log, instead of breaking the
     * response mid-stream.
     */
    private Optional<byte[]> fromObject(InstanceRecord r, RetrieveUrls urls, boolean xml) {
        JsonOptions options = new JsonOptions(JsonOptions.BulkDataMode.URI, BULK_THRESHOLD,
                (path, vr, value) -> urls.bulk(r, path.toString()), objects.resolver(), false);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8 * 1024);
        try {
            if (xml) {
                XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(buffer, "UTF-8");
                objects.parse(r, HEADER, new NativeXmlWriter(w, options));
                w.close();
            } else {
                try (JsonGenerator g = DicomJsonWriter.generator(buffer, options)) {
                    DicomHandler writer = new DicomJsonWriter(g, options);
                    objects.parse(r, HEADER, writer);
                }
            }
            return Optional.of(buffer.toByteArray());
        } catch (IOException | XMLStreamException | RuntimeException e) {
            LOG.error("Metadata of SOP Instance {} (object {}) left out: the stored object cannot be read",
                    r.sopInstanceUid(), r.objectKey(), e);
            return Optional.empty();
        }
    }

    /** Weak, since equal metadata may be serialised differently (from the index or from the object). */
    static EntityTag etag(List<InstanceRecord> records, String base, Offer offer) {
        long maxSeq = records.stream().mapToLong(InstanceRecord::seq).max().orElse(0);
        String state = records.size() + "|" + maxSeq + "|" + base + "|" + offer;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            return new EntityTag(HexFormat.of().formatHex(digest, 0, 16), true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
