package org.dpacs.server.dicomweb;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dpacs.server.app.Services;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.MetadataRetrieval.Scope;
import org.dpacs.server.error.DpacsException;

/**
 * WADO-RS, the Studies Service Retrieve transaction (PS3.18 10.4): Instances, Metadata, Bulkdata, Frames and
 * Pixel Data of a study, series or instance. Finds the instances in the catalog (404 when a UID is unknown or an
 * instance is not in the study/series of the path) and leaves the representations to the retrieval classes.
 * Nothing is produced before the Accept header is negotiated; bodies stream from the object store.
 */
@Path(BaseUrl.ROOT)
public final class WadoResource {
    private final Services services;
    private final InstanceRetrieval instances;
    private final MetadataRetrieval metadata;
    private final FrameRetrieval frames;
    private final BulkDataRetrieval bulk;

    @Context
    private HttpHeaders headers;
    @Context
    private UriInfo uriInfo;
    @Context
    private Request request;

    public WadoResource(Services services) {
        this.services = services;
        StoredObjects objects = new StoredObjects(services.store());
        this.instances = new InstanceRetrieval(objects);
        this.metadata = new MetadataRetrieval(objects, Optional.ofNullable(services.index()));
        this.frames = new FrameRetrieval(objects);
        this.bulk = new BulkDataRetrieval(objects, frames);
    }

    @GET
    @Path("studies/{study}")
    public Response study(@PathParam("study") String study) {
        return instances.retrieve(findStudy(study), accept(), urls(), "study " + study);
    }

    @GET
    @Path("studies/{study}/series/{series}")
    public Response series(@PathParam("study") String study, @PathParam("series") String series) {
        return instances.retrieve(findSeries(study, series), accept(), urls(), "series " + series);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{sop}")
    public Response instance(@PathParam("study") String study, @PathParam("series") String series,
                             @PathParam("sop") String sop) {
        return instances.retrieve(List.of(findInstance(study, series, sop)), accept(), urls(), "instance " + sop);
    }

    @GET
    @Path("studies/{study}/metadata")
    public Response studyMetadata(@PathParam("study") String study) {
        return metadata.retrieve(new Scope(study, Optional.empty(), Optional.empty()), findStudy(study), accept(),
                request, urls(), "metadata of study " + study);
    }

    @GET
    @Path("studies/{study}/series/{series}/metadata")
    public Response seriesMetadata(@PathParam("study") String study, @PathParam("series") String series) {
        return metadata.retrieve(new Scope(study, Optional.of(series), Optional.empty()), findSeries(study, series),
                accept(), request, urls(), "metadata of series " + series);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{sop}/metadata")
    public Response instanceMetadata(@PathParam("study") String study, @PathParam("series") String series,
                                     @PathParam("sop") String sop) {
        return metadata.retrieve(new Scope(study, Optional.of(series), Optional.of(sop)),
                List.of(findInstance(study, series, sop)), accept(), request, urls(), "metadata of instance " + sop);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{sop}/frames/{frames}")
    public Response frames(@PathParam("study") String study, @PathParam("series") String series,
                           @PathParam("sop") String sop, @PathParam("frames") String frameList) {
        List<Integer> numbers = frameList(frameList);
        return frames.retrieve(findInstance(study, series, sop), numbers, accept(), urls(),
                "frames " + frameList + " of instance " + sop);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{sop}/pixeldata")
    public Response pixelData(@PathParam("study") String study, @PathParam("series") String series,
                              @PathParam("sop") String sop) {
        return frames.retrieve(findInstance(study, series, sop), List.of(), accept(), urls(), "pixel data of " + sop);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{sop}/bulk/{path: .+}")
    public Response bulkData(@PathParam("study") String study, @PathParam("series") String series,
                             @PathParam("sop") String sop, @PathParam("path") String path) {
        return bulk.retrieve(findInstance(study, series, sop), path, accept(), urls(),
                "bulk data " + path + " of instance " + sop);
    }

    private List<InstanceRecord> findStudy(String study) {
        List<InstanceRecord> found = services.catalog().study(study);
        if (found.isEmpty()) {
            throw DpacsException.notFound("No study " + study + " is stored");
        }
        return found;
    }

    private List<InstanceRecord> findSeries(String study, String series) {
        List<InstanceRecord> found = services.catalog().series(study, series);
        if (found.isEmpty()) {
            throw DpacsException.notFound("No series " + series + " of study " + study + " is stored");
        }
        return found;
    }

    private InstanceRecord findInstance(String study, String series, String sop) {
        return services.catalog().instance(sop)
                .filter(r -> r.studyInstanceUid().equals(study) && r.seriesInstanceUid().equals(series))
                .orElseThrow(() -> DpacsException.notFound("No instance " + sop + " is stored in series " + series
                        + " of study " + study));
    }

    /** PS3.18 10.4.1.1.4: a comma-separated list of frame numbers, each 1 or more. */
    static List<Integer> frameList(String list) {
        List<Integer> numbers = new ArrayList<>();
        for (String s : list.split(",", -1)) {
            try {
                int n = Integer.parseInt(s.strip());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                numbers.add(n);
            } catch (NumberFormatException e) {
                throw DpacsException.badRequest("Frame list '" + list + "' must be frame numbers from 1 separated by"
                        + " commas, such as 1,3,5 (PS3.18 10.4.1.1.4)");
            }
        }
        return numbers;
    }

    /**
     * The Acceptable Media Types: the {@code accept} query parameter when a hyperlink carries one (PS3.18
     * 8.3.3.1), else the Accept header, several lines counting as one list (RFC 7230 3.2.2).
     */
    private String accept() {
        List<String> query = uriInfo.getQueryParameters().get("accept");
        List<String> values = query != null && !query.isEmpty() ? query : headers.getRequestHeader(HttpHeaders.ACCEPT);
        return values == null ? null : String.join(", ", values);
    }

    private RetrieveUrls urls() {
        return new RetrieveUrls(BaseUrl.of(services.config().publicBaseUrl(), headers, uriInfo));
    }
}
