package org.dpacs.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dpacs.server.error.HttpErrorMapper;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter inside a real Grizzly/Jersey server: what callers end up as, and what wrong credentials get. */
class BasicAuthenticationTest {
    @TempDir
    java.nio.file.Path dir;

    @Path("who")
    public static final class Who {
        @Context
        SecurityContext security;

        @GET
        public String who() {
            return Caller.of(security).map(c -> c.name() + "/" + c.role().configName()).orElse("anonymous");
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private record Answer(int status, String body, String challenge) {
    }

    private static Answer get(URI base, String authorization) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("who"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.statusCode() == 200 ? r.body() : "",
                    r.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static HttpServer start(UserStore users) throws IOException {
        ResourceConfig app = new ResourceConfig().register(new Who()).register(new BasicAuthentication(users))
                .register(new HttpErrorMapper());
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), app, false);
        server.start();
        return server;
    }

    private static URI base(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getListener("grizzly").getPort() + "/");
    }

    @Test
    void rightCredentialsNameTheCallerWrongOnesGet401AndNoneStayAnonymous() throws IOException {
        java.nio.file.Path file = dir.resolve("users");
        UserStore.put(file, "alice", Role.ADMIN, "pa:ss word".toCharArray()); // a colon inside the password
        HttpServer server = start(UserStore.load(file));
        try {
            URI base = base(server);
            assertThat(get(base, basic("alice", "pa:ss word")).body()).isEqualTo("alice/admin");
            assertThat(get(base, "basic " + basic("alice", "pa:ss word").substring(6)).body())
                    .as("the scheme is case-insensitive").isEqualTo("alice/admin");
            Answer wrong = get(base, basic("alice", "wrong"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.challenge()).startsWith("Basic realm=");
            assertThat(get(base, basic("alice", "")).status()).isEqualTo(401);
            assertThat(get(base, "Basic %%%not-base64").status()).isEqualTo(401);
            assertThat(get(base, null).body()).isEqualTo("anonymous");
            assertThat(get(base, "Bearer abc").body()).as("another scheme: left to the resource")
                    .isEqualTo("anonymous");
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void withoutUsersCredentialsAreIgnored() throws IOException {
        HttpServer server = start(UserStore.empty());
        try {
            // A proxy in front may send its own Authorization: with no users here it cannot name anyone.
            assertThat(get(base(server), basic("proxy", "whatever"))).isEqualTo(new Answer(200, "anonymous", null));
        } finally {
            server.shutdownNow();
        }
    }
}
