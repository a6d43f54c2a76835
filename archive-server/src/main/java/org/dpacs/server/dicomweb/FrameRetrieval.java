package org.dpacs.server.dicomweb;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.frame.FrameException;
import org.dpacs.dicom.frame.FrameIndex;
import org.dpacs.dicom.frame.FrameLocation;
import org.dpacs.dicom.frame.FrameReader;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.json.BulkDataStreams;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.MediaNegotiation.Offer;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieves Frames (PS3.18 10.4.1.1.4, 10.4.3.3.4) and the Pixel Data of an instance: only the bytes of the asked
 * frames are read from the store, found through {@link FrameIndex}. Native frames are
 * {@code application/octet-stream} little endian (8.7.3.3.1); compressed frames are the codec stream as stored,
 * in the media type of Table 8.7.3-5 or, when asked for, as {@code application/octet-stream}, each part naming
 * its transfer syntax. Frame indexes are cached per stored object because viewers ask for frames one by one.
 */
final class FrameRetrieval {
    private static final Logger LOG = LoggerFactory.getLogger(FrameRetrieval.class);
    private static final ReadOptions HEADER = ReadOptions.DEFAULT.withBulkThreshold(64 * 1024);
    private static final int CACHE_SIZE = 256;
    /** Frames read ahead of the one being sent, and the largest frame worth holding in memory for that. */
    private static final int PREFETCH = 4;
    private static final long MAX_PREFETCHED_FRAME = 8L << 20;
    private static final ExecutorService PREFETCHER =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dpacs-frame-", 0).factory());

    private final StoredObjects objects;
    /** Keyed by object key and seq: a re-stored object gets a new seq, so a stale index is never used. */
    private final Map<String, Pixels> cache = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pixels> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** What serving frames needs from a header: the index and how to put native bytes in little endian. */
    private record Pixels(FrameIndex index, Vr vr) {
    }

    FrameRetrieval(StoredObjects objects) {
        this.objects = objects;
    }

    /** The representations of frames stored in {@code ts}: the codec's media type first, then octet-stream. */
    static List<Offer> offers(String ts, boolean single) {
        TransferSyntax syntax = TransferSyntax.of(ts);
        List<Offer> offers = new ArrayList<>();
        if (syntax.isNative()) {
            // Implicit VR LE and BE frames are the same pixels; they are sent little endian (8.7.3.3.1).
            offers.add(Offer.multipart(DicomMediaTypes.OCTET_STREAM, DicomMediaTypes.EXPLICIT_VR_LE, false));
        } else {
            DicomMediaTypes.ofCompressed(ts).ifPresent(t -> offers.add(Offer.multipart(t, ts, true)));
            offers.add(Offer.multipart(DicomMediaTypes.OCTET_STREAM, ts, true));
        }
        if (single) {
            offers.addAll(offers.stream().map(o -> Offer.single(o.contentType(), o.transferSyntax().orElseThrow(),
                    o.storedForm())).toList());
        }
        return offers;
    }

    /** Frames {@code numbers} (1-based, as asked) of the instance; all of them when empty (Pixel Data). */
    Response retrieve(InstanceRecord r, List<Integer> numbers, String accept, RetrieveUrls urls, String what) {
        Pixels pixels = pixels(r);
        List<Integer> frames = numbers.isEmpty() ? allFrames(pixels.index()) : numbers;
        Offer offer = MediaNegotiation.select(accept, offers(r.transferSyntaxUid(), frames.size() == 1), what);
        List<FrameLocation> locations = new ArrayList<>(frames.size());
        for (int n : frames) {
            locations.add(locate(pixels.index(), n, r));
        }
        BulkDataResolver resolver = littleEndian(pixels.vr());
        if (!offer.isMultipart()) {
            StreamingOutput body = out -> copy(locations.get(0), resolver, out, r);
            return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, offer.contentTypeHeader())
                    .header(HttpHeaders.CONTENT_LENGTH, locations.get(0).frameLength()).build();
        }
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            try (MultipartWriter w = new MultipartWriter(out, boundary)) {
                if (prefetchable(locations)) {
                    writeAhead(locations, resolver, r, i -> w.startPart(offer.contentTypeHeader(),
                            Optional.of(urls.frame(r, frames.get(i)))));
                } else {
                    for (int i = 0; i < locations.size(); i++) {
                        copy(locations.get(i), resolver, w.startPart(offer.contentTypeHeader(),
                                Optional.of(urls.frame(r, frames.get(i)))), r);
                    }
                }
            }
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, MultipartWriter.contentType(offer.contentType(),
                boundary) + "; transfer-syntax=" + offer.transferSyntax().orElseThrow()).build();
    }

    /** Several frames small enough to hold a window of them: fetched ahead, in parallel (S3 latency). */
    private static boolean prefetchable(List<FrameLocation> locations) {
        return locations.size() > 1 && locations.stream().allMatch(l -> l.frameLength() <= MAX_PREFETCHED_FRAME);
    }

    /** A part's output stream for frame {@code i}. */
    private interface PartOpener {
        OutputStream open(int i) throws IOException;
    }

    /**
     * Reads up to {@link #PREFETCH} frames ahead of the one being written, each by its own range reads, and
     * writes them in order: on S3 a frame list costs about one round trip per window, not one per frame.
     */
    private static void writeAhead(List<FrameLocation> locations, BulkDataResolver resolver, InstanceRecord r,
                                   PartOpener parts) throws IOException {
        ArrayDeque<Future<byte[]>> ahead = new ArrayDeque<>();
        int next = 0;
        try {
            for (int i = 0; i < locations.size(); i++) {
                while (next < locations.size() && next < i + PREFETCH) {
                    FrameLocation l = locations.get(next++);
                    ahead.add(PREFETCHER.submit(() -> {
                        ByteArrayOutputStream frame = new ByteArrayOutputStream((int) l.frameLength());
                        FrameReader.copy(l, resolver, frame);
                        return frame.toByteArray();
                    }));
                }
                byte[] frame = await(ahead.poll(), r);
                parts.open(i).write(frame);
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
    }

    private static byte[] await(Future<byte[]> f, InstanceRecord r) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading frames of " + r.sopInstanceUid());
        } catch (ExecutionException e) {
            LOG.error("Frame of {} (object {}) failed mid-response", r.sopInstanceUid(), r.objectKey(), e.getCause());
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private Pixels pixels(InstanceRecord r) {
        String key = r.objectKey() + "#" + r.seq();
        synchronized (cache) {
            Pixels cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        DicomFile header = objects.header(r, HEADER);
        Attributes ds = header.dataset();
        try {
            FrameIndex index = FrameIndex.of(ds, header.parse().transferSyntax(), objects.resolver());
            Vr vr = ds.vr(Tag.PixelData).or(() -> ds.vr(Tag.FloatPixelData))
                    .or(() -> ds.vr(Tag.DoubleFloatPixelData)).orElse(Vr.OB);
            Pixels pixels = new Pixels(index, vr);
            synchronized (cache) {
                cache.put(key, pixels);
            }
            return pixels;
        } catch (FrameException e) {
            throw failure(e, r);
        } catch (IOException e) {
            throw StoredObjects.unreadable(r, e);
        }
    }

    private static FrameLocation locate(FrameIndex index, int number, InstanceRecord r) {
        try {
            return index.frame(number);
        } catch (FrameException e) {
            throw failure(e, r);
        }
    }

    private static List<Integer> allFrames(FrameIndex index) {
        List<Integer> all = new ArrayList<>(index.frameCount());
        for (int i = 1; i <= index.frameCount(); i++) {
            all.add(i);
        }
        return all;
    }

    /** PS3.18 10.4.3 Table 10.4.3-1: a frame or pixel data that does not exist is a Target Resource that does not. */
    private static DpacsException failure(FrameException e, InstanceRecord r) {
        String message = "SOP Instance " + r.sopInstanceUid() + ": " + e.getMessage();
        return switch (e.reason()) {
            case NO_SUCH_FRAME, NO_PIXEL_DATA -> DpacsException.notFound(message);
            case UNSUPPORTED -> new DpacsException(FailureKind.NOT_ACCEPTABLE, message);
            case CORRUPT -> new DpacsException(FailureKind.PROCESSING_FAILURE, message, e);
        };
    }

    /** Range reads of the store, byte-swapped to little endian where the stored frames are big endian. */
    private BulkDataResolver littleEndian(Vr vr) {
        return ref -> BulkDataStreams.open(ref, vr, objects.resolver());
    }

    private static void copy(FrameLocation frame, BulkDataResolver resolver, OutputStream part, InstanceRecord r)
            throws IOException {
        try {
            FrameReader.copy(frame, resolver, part);
        } catch (IOException | RuntimeException e) {
            LOG.error("Frame of {} (object {}) failed mid-response", r.sopInstanceUid(), r.objectKey(), e);
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }
}
