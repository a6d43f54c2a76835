package org.dpacs.server.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.BulkDataResolver;
import org.dpacs.dicom.json.BulkDataUriFunction;
import org.dpacs.dicom.json.DicomJsonWriter;
import org.dpacs.dicom.json.JsonOptions;
import org.dpacs.dicom.xml.NativeXmlWriter;
import org.dpacs.server.app.Services;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.index.QidoLevel;
import org.dpacs.server.index.QidoQuery;
import org.dpacs.server.index.QidoResult;

/**
 * QIDO-RS, the Studies Service Search transaction (PS3.18 10.6): the six search resources of Table 10.6.1-2.
 * Parses the query ({@link QidoQuery#parse}, which answers bad parameters with 400), runs it on the index, adds
 * RetrieveURL and streams the result as a DICOM JSON array or, when asked, as {@code multipart/related} parts of
 * Native DICOM Model XML.
 *
 * <p>Status (PS3.18 Table 10.6.3-1): 200 with results; 204 No Content when nothing matched; when more matched
 * than were returned, the Warning header of {@link #TRUNCATED_WARNING} (PS3.18 6.7.1.2.3.2 in editions up to
 * 2017, the text clients still look for).
 */
@Path(BaseUrl.ROOT)
public final class QidoResource {
    static final String TRUNCATED_WARNING = "The number of results exceeded the maximum supported by the server. "
            + "Additional results can be requested.";
    private static final List<MediaNegotiation.Offer> OFFERS = List.of(
            MediaNegotiation.Offer.of(DicomMediaTypes.DICOM_JSON),
            MediaNegotiation.Offer.of(DicomMediaTypes.JSON),
            MediaNegotiation.Offer.multipart(DicomMediaTypes.DICOM_XML));
    /** Results hold no bulk data; anything the index kept as a reference is left out (PS3.18 10.6.3.3). */
    private static final JsonOptions OUTPUT = new JsonOptions(JsonOptions.BulkDataMode.OMIT, Integer.MAX_VALUE,
            BulkDataUriFunction.NONE, BulkDataResolver.FILES, false);

    /** Retrieve URL (0008,1190). */
    private static final int RETRIEVE_URL = 0x00081190;

    private final Services services;

    public QidoResource(Services services) {
        this.services = services;
    }

    @GET
    @Path("studies")
    public Response studies(@Context UriInfo uri, @Context HttpHeaders headers) {
        return search(QidoLevel.STUDY, Optional.empty(), Optional.empty(), uri, headers);
    }

    @GET
    @Path("series")
    public Response series(@Context UriInfo uri, @Context HttpHeaders headers) {
        return search(QidoLevel.SERIES, Optional.empty(), Optional.empty(), uri, headers);
    }

    @GET
    @Path("instances")
    public Response instances(@Context UriInfo uri, @Context HttpHeaders headers) {
        return search(QidoLevel.INSTANCE, Optional.empty(), Optional.empty(), uri, headers);
    }

    @GET
    @Path("studies/{study}/series")
    public Response studySeries(@PathParam("study") String study, @Context UriInfo uri, @Context HttpHeaders headers) {
        return search(QidoLevel.SERIES, Optional.of(study), Optional.empty(), uri, headers);
    }

    @GET
    @Path("studies/{study}/instances")
    public Response studyInstances(@PathParam("study") String study, @Context UriInfo uri,
                                   @Context HttpHeaders headers) {
        return search(QidoLevel.INSTANCE, Optional.of(study), Optional.empty(), uri, headers);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances")
    public Response seriesInstances(@PathParam("study") String study, @PathParam("series") String series,
                                    @Context UriInfo uri, @Context HttpHeaders headers) {
        return search(QidoLevel.INSTANCE, Optional.of(study), Optional.of(series), uri, headers);
    }

    private Response search(QidoLevel level, Optional<String> study, Optional<String> series, UriInfo uri,
                            HttpHeaders headers) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        // PS3.18 8.3.3.1: the accept query parameter overrides the Accept header.
        String accept = Optional.ofNullable(params.getFirst("accept")).orElse(headers.getHeaderString("Accept"));
        MediaNegotiation.Offer offer = MediaNegotiation.select(accept, OFFERS, "a " + level.label() + " search");
        QidoQuery query = QidoQuery.parse(level, params, study, series, services.config().qidoDefaultLimit(),
                services.config().qidoMaxLimit());
        QidoResult result;
        try {
            result = services.index().search(query);
        } catch (IOException e) {
            throw new DpacsException(FailureKind.PROCESSING_FAILURE, "The search index could not be read", e);
        }
        String base = BaseUrl.of(services.config().publicBaseUrl(), headers, uri);
        RetrieveUrls urls = new RetrieveUrls(base);
        List<Attributes> matches = result.matches().stream().map(a -> withRetrieveUrl(a, level, urls)).toList();
        Response.ResponseBuilder response = matches.isEmpty() ? Response.noContent()
                : offer.isMultipart() ? xml(matches) : json(matches, offer.mediaType());
        String agent = URI.create(base).getRawAuthority();
        if (result.truncated()) {
            response.header("Warning", "299 " + agent + ": \"" + TRUNCATED_WARNING + "\"");
        }
        if (!query.ignored().isEmpty()) {
            response.header("Warning", "299 " + agent + ": \"The query parameters " + String.join(", ", query.ignored())
                    + " are not supported and were ignored (PS3.18 8.3)\"");
        }
        return response.build();
    }

    /** RetrieveURL (0008,1190), "shall be present if retrievable" in Tables 10.6.3-3, -4 and -5. */
    static Attributes withRetrieveUrl(Attributes a, QidoLevel level, RetrieveUrls urls) {
        String study = a.string(Tag.StudyInstanceUID, "");
        String series = a.string(Tag.SeriesInstanceUID, "");
        String sop = a.string(Tag.SOPInstanceUID, "");
        String url = switch (level) {
            case STUDY -> urls.study(study);
            case SERIES -> urls.series(study, series);
            case INSTANCE -> urls.instance(study, series, sop);
        };
        return a.toBuilder().setString(RETRIEVE_URL, Vr.UR, url).build();
    }

    private static Response.ResponseBuilder json(List<Attributes> matches, String mediaType) {
        StreamingOutput body = out -> {
            try (JsonGenerator gen = DicomJsonWriter.generator(out, OUTPUT)) {
                DicomJsonWriter writer = new DicomJsonWriter(gen, OUTPUT);
                gen.writeStartArray();
                for (Attributes a : matches) {
                    writer.writeDataset(a);
                }
                gen.writeEndArray();
            }
        };
        return Response.ok(body, mediaType);
    }

    private static Response.ResponseBuilder xml(List<Attributes> matches) {
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            try (MultipartWriter w = new MultipartWriter(out, boundary)) {
                for (Attributes a : matches) {
                    OutputStream part = w.startPart(DicomMediaTypes.DICOM_XML, Optional.empty());
                    NativeXmlWriter.write(a, part, OUTPUT);
                }
            }
        };
        return Response.ok(body, MultipartWriter.contentType(DicomMediaTypes.DICOM_XML, boundary));
    }
}
