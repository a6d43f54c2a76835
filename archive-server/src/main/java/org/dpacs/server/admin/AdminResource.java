package org.dpacs.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.server.access.Caller;
import org.dpacs.server.catalog.QuarantineRecord;
import org.dpacs.server.deid.ReidentificationLog;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.dpacs.server.ingest.IngestResult;
import org.dpacs.server.ingest.Quarantine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Administrators' side of de-identification (docs/deidentification.md), every path for role admin only:
 * <ul>
 * <li>{@code GET /api/admin/quarantine}: the held instances, JSON;</li>
 * <li>{@code GET /api/admin/quarantine/{sop}}: one held instance, application/dicom, to look at its pixels;</li>
 * <li>{@code POST /api/admin/quarantine/{sop}/release}: publish it (through the ingest pipeline);</li>
 * <li>{@code DELETE /api/admin/quarantine/{sop}}: delete it;</li>
 * <li>{@code GET /api/admin/reidentification?patientId=&study=}: the re-identification records whose
 *     pseudonymous Patient ID or new Study Instance UID match (all records without a filter). Every call is
 *     logged with the administrator's name, as PS3.15 asks of re-identification.</li>
 * </ul>
 * Changes (POST, DELETE) sent by a browser from another site are refused: Basic credentials a browser remembers
 * would otherwise let any page an administrator visits release or delete held instances.
 */
@Path("api/admin")
public final class AdminResource {
    private static final Logger LOG = LoggerFactory.getLogger(AdminResource.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Quarantine quarantine;
    private final Optional<ReidentificationLog> log;

    @Context
    private SecurityContext security;
    @Context
    private HttpHeaders headers;

    public AdminResource(Quarantine quarantine, Optional<ReidentificationLog> log) {
        this.quarantine = quarantine;
        this.log = log;
    }

    @GET
    @Path("quarantine")
    public Response held() {
        Caller.requireAdmin(security);
        List<QuarantineRecord> held = quarantine.list();
        return json(gen -> {
            gen.writeStartArray();
            for (QuarantineRecord r : held) {
                gen.writeStartObject();
                gen.writeStringField("sopInstanceUid", r.sopInstanceUid());
                gen.writeStringField("studyInstanceUid", r.studyInstanceUid());
                gen.writeStringField("seriesInstanceUid", r.seriesInstanceUid());
                gen.writeStringField("sopClassUid", r.sopClassUid());
                gen.writeStringField("transferSyntaxUid", r.transferSyntaxUid());
                gen.writeNumberField("size", r.size());
                gen.writeStringField("reason", r.reason());
                gen.writeStringField("origin", r.origin());
                gen.writeStringField("heldAt", r.heldAt().toString());
                gen.writeEndObject();
            }
            gen.writeEndArray();
        });
    }

    @GET
    @Path("quarantine/{sop}")
    public Response heldInstance(@PathParam("sop") String sop) {
        Caller admin = Caller.requireAdmin(security);
        QuarantineRecord r = quarantine.held(uid(sop));
        LOG.info("{} opened quarantined instance {}", admin.name(), r.sopInstanceUid());
        // Opened when the body is written, as WADO-RS does: nothing is left open if the response never is.
        StreamingOutput body = out -> {
            try (InputStream in = quarantine.open(r)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "application/dicom").header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("quarantine/{sop}/release")
    public Response release(@PathParam("sop") String sop) throws IOException {
        Caller admin = Caller.requireAdmin(security);
        refuseCrossSite();
        IngestResult result = quarantine.release(uid(sop), admin.name());
        if (result instanceof IngestResult.Rejected r) {
            throw new DpacsException(r.kind(), "Releasing " + sop + " failed, it stays in quarantine: " + r.message());
        }
        return json(gen -> {
            gen.writeStartObject();
            gen.writeStringField("sopInstanceUid", sop);
            gen.writeStringField("status", "released");
            gen.writeEndObject();
        });
    }

    @DELETE
    @Path("quarantine/{sop}")
    public Response delete(@PathParam("sop") String sop) throws IOException {
        Caller admin = Caller.requireAdmin(security);
        refuseCrossSite();
        quarantine.delete(uid(sop), admin.name());
        return Response.noContent().build();
    }

    @GET
    @Path("reidentification")
    public Response reidentification(@QueryParam("patientId") String patientId, @QueryParam("study") String study)
            throws IOException {
        Caller admin = Caller.requireAdmin(security);
        ReidentificationLog records = log.orElseThrow(() -> new DpacsException(FailureKind.NOT_FOUND,
                "There is no re-identification log: de-identification is off and no dpacs.deid.secret opens an "
                        + "earlier log"));
        List<Map<String, String>> matches = records.records().stream()
                .filter(r -> patientId == null || patientId.equals(r.get("patient-id")))
                .filter(r -> study == null || study.equals(r.get("study")))
                .toList();
        LOG.warn("RE-IDENTIFICATION by {}: patientId={} study={}, {} record(s) disclosed", admin.name(),
                patientId == null ? "*" : patientId, study == null ? "*" : study, matches.size());
        return json(gen -> {
            gen.writeStartArray();
            for (Map<String, String> r : matches) {
                gen.writeStartObject();
                for (Map.Entry<String, String> f : r.entrySet()) {
                    gen.writeStringField(f.getKey(), f.getValue());
                }
                gen.writeEndObject();
            }
            gen.writeEndArray();
        });
    }

    /** A UID from the path, checked before it goes anywhere (PS3.5 9.1). */
    private static String uid(String sop) {
        if (sop.length() > 64 || !sop.matches("[0-9]+(\\.[0-9]+)*")) {
            throw DpacsException.badRequest("'" + (sop.length() > 70 ? sop.substring(0, 70) + "..." : sop)
                    + "' is not a SOP Instance UID");
        }
        return sop;
    }

    /**
     * Fetch Metadata (Sec-Fetch-Site) and Origin say whether a browser sent the request from another site; tools
     * like curl send neither and pass.
     */
    private void refuseCrossSite() {
        String site = headers.getHeaderString("Sec-Fetch-Site");
        String origin = headers.getHeaderString("Origin");
        String host = headers.getHeaderString(HttpHeaders.HOST);
        boolean crossSite = site != null && !site.equals("same-origin") && !site.equals("none");
        if (!crossSite && origin != null && !origin.equals("null")) {
            crossSite = host == null || !origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").equals(host);
        }
        if (crossSite || "null".equals(origin)) {
            throw new DpacsException(FailureKind.FORBIDDEN, "A browser sent this change from another site ("
                    + (origin != null ? origin : site) + "); administrators' changes are accepted from the server's "
                    + "own pages or from tools such as curl");
        }
    }

    private interface JsonBody {
        void write(JsonGenerator gen) throws IOException;
    }

    private static Response json(JsonBody body) {
        StreamingOutput out = stream -> {
            try (JsonGenerator gen = JSON.createGenerator(stream)) {
                body.write(gen);
            }
        };
        return Response.ok(out, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").build();
    }
}
