package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CORS for viewers served from another origin (OHIF): the Fetch standard's CORS protocol (fetch.spec.whatwg.org,
 * "CORS protocol"), which PS3.18 leaves to HTTP. A browser only hands a response to the page when it carries
 * Access-Control-Allow-Origin, error responses included, and sends a preflight OPTIONS before any request with
 * headers such as Accept: multipart/related or Authorization. Needs no sample files.
 */
class CorsIT {

    @RegisterExtension
    static final DicomWebTarget target = new DicomWebTarget();

    private static final String ORIGIN = "http://viewer.example:3000";

    @Test
    void preflightIsAnsweredWithAnOkStatusAndTheAllowHeaders() {
        Response r = target.request()
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "accept, authorization")
                .options(target.url("studies"));
        String what = "OPTIONS " + target.url("studies") + " (preflight for GET with Accept, Authorization) -> "
                + r.statusCode() + " " + r.getHeaders();
        // Fetch, CORS-preflight fetch: the response must have an ok status (200-299); the server documents 204.
        assertThat(r.statusCode()).as(what).isBetween(200, 299);
        assertThat(allowsOrigin(r)).as(what).isTrue();
        assertThat(tokens(r.header("Access-Control-Allow-Methods"))).as(what).contains("get");
        assertThat(allowsHeaders(r, "accept", "authorization")).as(what).isTrue();
    }

    @Test
    void preflightForStowAllowsPostWithContentType() {
        Response r = target.request()
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options(target.url("studies"));
        String what = "OPTIONS " + target.url("studies") + " (preflight for POST with Content-Type) -> "
                + r.statusCode() + " " + r.getHeaders();
        assertThat(r.statusCode()).as(what).isBetween(200, 299);
        assertThat(allowsOrigin(r)).as(what).isTrue();
        assertThat(tokens(r.header("Access-Control-Allow-Methods"))).as(what).contains("post");
        assertThat(allowsHeaders(r, "content-type")).as(what).isTrue();
    }

    @Test
    void searchResponseCarriesAllowOrigin() {
        Response r = target.request().header("Origin", ORIGIN).header("Accept", Accept.DICOM_JSON)
                .get(target.url("studies"));
        assertThat(r.statusCode()).as("GET studies").isBetween(200, 299);
        assertThat(allowsOrigin(r)).as("GET %s with Origin -> %s", target.url("studies"), r.getHeaders()).isTrue();
    }

    @Test
    void errorResponsesCarryAllowOrigin() {
        // Without the header the viewer cannot even read the status of a failed request.
        Response notFound = target.request().header("Origin", ORIGIN).header("Accept", Accept.DICOM_JSON)
                .get(target.url("studies/" + Corpus.randomUid() + "/metadata"));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(allowsOrigin(notFound)).as("404 with Origin -> %s", notFound.getHeaders()).isTrue();
        Response unsupported = target.request().header("Origin", ORIGIN).header("Content-Type", "application/json")
                .body("{}".getBytes(StandardCharsets.US_ASCII)).post(target.url("studies"));
        assertThat(unsupported.statusCode()).isEqualTo(415);
        assertThat(allowsOrigin(unsupported)).as("415 with Origin -> %s", unsupported.getHeaders()).isTrue();
    }

    private static boolean allowsOrigin(Response r) {
        String allow = r.header("Access-Control-Allow-Origin");
        return "*".equals(allow) || ORIGIN.equals(allow);
    }

    private static boolean allowsHeaders(Response r, String... names) {
        Set<String> allowed = tokens(r.header("Access-Control-Allow-Headers"));
        // Fetch: "*" allows any header (except Authorization) for requests without credentials.
        return Arrays.stream(names).allMatch(n -> allowed.contains(n)
                || (allowed.contains("*") && !n.equals("authorization")));
    }

    private static Set<String> tokens(String header) {
        if (header == null) {
            return Set.of();
        }
        return Arrays.stream(header.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
