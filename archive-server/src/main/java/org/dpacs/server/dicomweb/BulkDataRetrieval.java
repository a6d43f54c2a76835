package org.dpacs.server.dicomweb;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Sequence;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.json.BulkDataStreams;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.MediaNegotiation.Offer;
import org.dpacs.server.error.DpacsException;

/**
 * Retrieves Bulkdata (PS3.18 10.4.1.1.5, 10.4.3.3.5) by the BulkDataURIs metadata hands out:
 * {@code .../instances/{sop}/bulk/{tagpath}} with the path as {@link org.dpacs.dicom.json.TagPath} prints it
 * ({@code 00281201} or {@code 00540016/0/00181079}). The value is read by a range read of the stored object,
 * in little endian (8.7.3.3.1); encapsulated pixel data is served frame by frame like the frames resource.
 */
final class BulkDataRetrieval {
    private static final ReadOptions HEADER = ReadOptions.DEFAULT.withBulkThreshold(MetadataRetrieval.BULK_THRESHOLD);
    static final List<Offer> OFFERS = List.of(Offer.multipart(DicomMediaTypes.OCTET_STREAM),
            Offer.of(DicomMediaTypes.OCTET_STREAM));

    private final StoredObjects objects;
    private final FrameRetrieval frames;

    BulkDataRetrieval(StoredObjects objects, FrameRetrieval frames) {
        this.objects = objects;
        this.frames = frames;
    }

    Response retrieve(InstanceRecord r, String path, String accept, RetrieveUrls urls, String what) {
        int[] tags;
        int[] items;
        try {
            String[] steps = path.split("/", -1);
            if (steps.length % 2 == 0) {
                throw new IllegalArgumentException("a path alternates tags and item numbers and ends with a tag");
            }
            tags = new int[steps.length / 2 + 1];
            items = new int[steps.length / 2];
            for (int i = 0; i < steps.length; i++) {
                if (i % 2 == 0) {
                    tags[i / 2] = Tag.parse(steps[i]);
                } else {
                    items[i / 2] = Integer.parseInt(steps[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            throw DpacsException.badRequest("Bulk data path '" + path + "' is not of the form 00281201 or "
                    + "00540016/0/00181079: " + e.getMessage());
        }
        Attributes ds = objects.header(r, HEADER).dataset();
        for (int i = 0; i < items.length; i++) {
            Sequence seq = ds.sequence(tags[i]).orElseThrow(() -> notFound(r, path));
            if (items[i] < 0 || items[i] >= seq.size()) {
                throw notFound(r, path);
            }
            ds = seq.item(items[i]);
        }
        int at = ds.indexOf(tags[tags.length - 1]);
        if (at < 0) {
            throw notFound(r, path);
        }
        Vr vr = ds.vrAt(at);
        Object value = ds.valueAt(at);
        if (value instanceof Fragments f && tags.length == 1) {
            Optional<String> video = DicomMediaTypes.ofCompressed(r.transferSyntaxUid())
                    .filter(t -> t.startsWith("video/"));
            return video.isPresent() ? video(r, f, video.get(), accept, urls.bulk(r, path), what)
                    : frames.retrieve(r, List.of(), accept, urls, what);
        }
        Offer offer = MediaNegotiation.select(accept, OFFERS, what);
        long length;
        StreamingOutput content;
        if (value instanceof BulkDataRef ref) {
            length = ref.length();
            content = out -> {
                try (InputStream in = BulkDataStreams.open(ref, vr, objects.resolver())) {
                    in.transferTo(out);
                }
            };
        } else if (value instanceof byte[] bytes) {
            length = bytes.length;
            content = out -> out.write(bytes);
        } else {
            throw notFound(r, path);
        }
        return respond(offer, content, length, urls.bulk(r, path));
    }

    /**
     * Video (PS3.18 8.7.3.3.2, Video Resource Category): the pixel data is one MPEG or HEVC stream, served whole in
     * its media type; its fragments are concatenated without their item headers.
     */
    private Response video(InstanceRecord r, Fragments f, String type, String accept, String location, String what) {
        String ts = r.transferSyntaxUid();
        Offer offer = MediaNegotiation.select(accept, List.of(Offer.single(type, ts, true),
                Offer.multipart(type, ts, true), Offer.multipart(DicomMediaTypes.OCTET_STREAM, ts, true),
                Offer.single(DicomMediaTypes.OCTET_STREAM, ts, true)), what);
        long length = f.dataFragments().stream().mapToLong(Fragment::length).sum();
        StreamingOutput content = out -> {
            for (Fragment fragment : f.dataFragments()) {
                if (fragment.isLoaded()) {
                    out.write(fragment.bytesOrNull());
                } else {
                    try (InputStream in = objects.resolver().open(
                            new BulkDataRef(f.source(), fragment.offset(), fragment.length(), false))) {
                        in.transferTo(out);
                    }
                }
            }
        };
        return respond(offer, content, length, location);
    }

    private static Response respond(Offer offer, StreamingOutput content, long length, String location) {
        if (!offer.isMultipart()) {
            return Response.ok(content).header(HttpHeaders.CONTENT_TYPE, offer.contentTypeHeader())
                    .header(HttpHeaders.CONTENT_LENGTH, length).build();
        }
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            try (MultipartWriter w = new MultipartWriter(out, boundary)) {
                OutputStream part = w.startPart(offer.contentTypeHeader(), Optional.of(location));
                content.write(part);
            }
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE,
                MultipartWriter.contentType(offer.contentType(), boundary)).build();
    }

    private static DpacsException notFound(InstanceRecord r, String path) {
        return DpacsException.notFound("SOP Instance " + r.sopInstanceUid() + " has no bulk data at " + path);
    }
}
