package org.dpacs.server.dicomweb;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.function.Function;
import org.dpacs.server.app.Services;
import org.dpacs.server.dicomweb.MediaNegotiation.Offer;
import org.dpacs.server.dicomweb.MultipartReader.MultipartException;
import org.dpacs.server.dicomweb.MultipartReader.Part;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.ingest.FailureReason;
import org.dpacs.server.access.Caller;
import org.dpacs.server.access.Origin;
import org.dpacs.server.ingest.IngestRequest;
import org.dpacs.server.ingest.IngestResult;

/**
 * STOW-RS, the Studies Service Store transaction (PS3.18 10.5): {@code POST /studies[/{study}]} with
 * {@code multipart/related; type="application/dicom"} (one PS3.10 instance per part, each streamed into the
 * ingest pipeline as it arrives) or {@code type="application/dicom+json"} (metadata and bulk data, see
 * {@link StowJson}). Parts are stored one after another; a bad part fails alone. The answer is the Store
 * Instances Response ({@link StoreResponse}) in DICOM JSON or XML, as Accept asks.
 */
@Path(BaseUrl.ROOT)
public final class StowResource {
    static final String SOURCE = "STOW-RS";
    static final List<Offer> RESPONSE_OFFERS = List.of(Offer.of(DicomMediaTypes.DICOM_JSON),
            Offer.of(DicomMediaTypes.DICOM_XML), Offer.of(DicomMediaTypes.JSON));
    /** Warning header lines at most, so a thousand failed parts do not make a header no proxy accepts. */
    private static final int MAX_WARNINGS = 20;
    /** Where the parts of a request are ingested, one virtual thread each: they mostly wait for disk and commit. */
    private static final java.util.concurrent.ExecutorService PARTS =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dpacs-stow-part-", 0).factory());

    private final Services services;
    private final Function<IngestRequest, IngestResult> ingest;

    @Context
    private HttpHeaders headers;
    @Context
    private UriInfo uriInfo;
    @Context
    private SecurityContext security;

    public StowResource(Services services) {
        this(services, request -> services.ingest().ingest(request));
        StowJson.removeStale(tempDir(services));
    }

    /** For tests: {@code ingest} stands in for the pipeline. */
    StowResource(Services services, Function<IngestRequest, IngestResult> ingest) {
        this.services = services;
        this.ingest = ingest;
    }

    @POST
    @Path("studies")
    public Response store(InputStream body) throws IOException {
        return store(Optional.empty(), body);
    }

    @POST
    @Path("studies/{study}")
    public Response storeInStudy(@PathParam("study") String study, InputStream body) throws IOException {
        return store(Optional.of(study), body);
    }

    private Response store(Optional<String> study, InputStream body) throws IOException {
        List<String> accept = headers.getRequestHeader(HttpHeaders.ACCEPT);
        Offer answer = MediaNegotiation.select(accept == null ? null : String.join(", ", accept), RESPONSE_OFFERS,
                "the Store Instances Response");
        MediaRange contentType = Optional.ofNullable(headers.getHeaderString(HttpHeaders.CONTENT_TYPE))
                .flatMap(MediaRange::parse).filter(t -> t.essence().equals(DicomMediaTypes.MULTIPART_RELATED))
                .orElseThrow(() -> unsupported("Content-Type '" + headers.getHeaderString(HttpHeaders.CONTENT_TYPE)
                        + "' is not multipart/related"));
        // PS3.18 10.5.1.2 requires the type parameter; without it each part's own Content-Type decides.
        String type = contentType.parameter("type").orElse(DicomMediaTypes.DICOM).toLowerCase(java.util.Locale.ROOT);
        if (!type.equals(DicomMediaTypes.DICOM) && !type.equals(DicomMediaTypes.DICOM_JSON)) {
            throw unsupported("STOW-RS accepts multipart/related with type application/dicom or application/dicom+json,"
                    + " not " + type);
        }
        MultipartReader reader;
        try {
            reader = new MultipartReader(body, MultipartReader.boundary(contentType));
        } catch (IllegalArgumentException e) {
            throw DpacsException.badRequest(e.getMessage());
        }
        StoreResponse response = new StoreResponse(BaseUrl.of(services.config().publicBaseUrl(), headers, uriInfo),
                study, services.config().aeTitle());
        // Read here, on the request's thread: the parts are ingested on threads of their own.
        Origin origin = Origin.http(SOURCE, Caller.of(security).map(Caller::name));
        try {
            if (type.equals(DicomMediaTypes.DICOM)) {
                storeInstances(reader, study, origin, response);
            } else {
                new StowJson(tempDir(services), ingest).store(reader, study, origin, response);
            }
        } catch (MultipartException e) {
            if (response.isEmpty()) {
                throw DpacsException.badRequest("The request body is not well-formed multipart: " + e.getMessage());
            }
            response.failed(FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND,
                    "The rest of the request body is not well-formed multipart: " + e.getMessage(), Optional.empty(),
                    Optional.empty());
        }
        if (response.isEmpty()) {
            throw DpacsException.badRequest("The multipart request body has no parts");
        }
        return answer(response, answer);
    }

    /**
     * Ingests the parts of one request concurrently: each part is read by its own ingest (on a virtual thread),
     * and the next part is read as soon as the previous one's bytes are consumed, while it still waits for its
     * group commit. So a request of ten instances becomes one commit batch instead of ten in a row. The
     * answers keep the order of the parts; a part never waits for another, except one with the same SOP
     * Instance UID, which the pipeline serialises.
     */
    private void storeInstances(MultipartReader reader, Optional<String> study, Origin origin,
                                StoreResponse response)
            throws IOException {
        List<CompletableFuture<IngestResult>> results = new ArrayList<>();
        try {
            for (Optional<Part> part = reader.next(); part.isPresent(); part = reader.next()) {
                Optional<MediaRange> type = part.get().contentType();
                if (type.isPresent() && !type.get().essence().equals(DicomMediaTypes.DICOM)) {
                    results.add(CompletableFuture.completedFuture(new IngestResult.Rejected(
                            FailureKind.CANNOT_UNDERSTAND, FailureReason.CANNOT_UNDERSTAND, "A part of media type "
                            + type.get() + " is not a PS3.10 instance (application/dicom)", Optional.empty(),
                            Optional.empty())));
                    continue;
                }
                WatchedPart in = new WatchedPart(part.get().body());
                CompletableFuture<IngestResult> result = CompletableFuture.supplyAsync(() -> {
                    try {
                        return ingest.apply(new IngestRequest(in, origin, study));
                    } finally {
                        in.consumed.complete(null);
                    }
                }, PARTS);
                in.consumed.join();
                if (in.malformed != null) {
                    // The body broke, not the instance: report that rather than what the pipeline made of it.
                    result.join();
                    throw in.malformed;
                }
                results.add(result);
            }
        } finally {
            for (CompletableFuture<IngestResult> r : results) {
                response.add(r.join());
            }
        }
    }

    private static Response answer(StoreResponse response, Offer offer) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (offer.contentType().equals(DicomMediaTypes.DICOM_XML)) {
            response.writeXml(body);
        } else {
            response.writeJson(body);
        }
        Response.ResponseBuilder r = Response.status(response.status()).type(offer.contentType())
                .entity(body.toByteArray());
        response.messages().stream().limit(MAX_WARNINGS).forEach(m -> r.header("Warning", warning(m)));
        return r.build();
    }

    /** RFC 7234 5.5: {@code 299 agent "text"}, the form dcm4chee-arc uses for STOW-RS failures. */
    static String warning(String message) {
        String text = message.replaceAll("[\\r\\n\\t]+", " ").replace("\\", "\\\\").replace("\"", "\\\"");
        return "299 dPACS \"" + (text.length() > 500 ? text.substring(0, 500) + "..." : text) + "\"";
    }

    /** Where metadata-and-bulk-data requests are spooled: on the data volume, not in /tmp. */
    private static java.nio.file.Path tempDir(Services services) {
        return services.config().dataDir().resolve("tmp");
    }

    private static DpacsException unsupported(String message) {
        return new DpacsException(FailureKind.UNSUPPORTED_MEDIA_TYPE, message);
    }

    /**
     * Remembers a malformed-multipart failure the pipeline would otherwise turn into a rejected instance, and
     * says when the part's bytes are all read (its end, a failure, or the ingest returning), so the request
     * may go on to the next part.
     */
    private static final class WatchedPart extends FilterInputStream {
        volatile MultipartException malformed;
        final CompletableFuture<Void> consumed = new CompletableFuture<>();

        WatchedPart(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (consumed.isDone()) {
                return -1; // the request reads the next part now: this one's stream must not be touched again
            }
            try {
                return ended(super.read());
            } catch (MultipartException e) {
                malformed = e;
                consumed.complete(null);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (consumed.isDone()) {
                return -1;
            }
            try {
                return ended(super.read(b, off, len));
            } catch (MultipartException e) {
                malformed = e;
                consumed.complete(null);
                throw e;
            }
        }

        private int ended(int n) {
            if (n < 0) {
                consumed.complete(null);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (consumed.isDone()) {
                return 0;
            }
            try {
                return super.skip(n);
            } catch (MultipartException e) {
                malformed = e;
                throw e;
            }
        }
    }
}
