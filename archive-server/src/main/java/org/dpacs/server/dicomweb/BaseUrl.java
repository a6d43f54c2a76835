package org.dpacs.server.dicomweb;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The DICOMweb root URL as the client sees it, for RetrieveURL and BulkDataURI: the configured public base URL
 * when set, else what a reverse proxy says in {@code Forwarded} (RFC 7239) or {@code X-Forwarded-Proto/Host/
 * Prefix}, else the request's own URL. Never ends with '/'.
 */
public final class BaseUrl {
    /** Where the DICOMweb resources are mounted under the application root. */
    public static final String ROOT = "/dicomweb";

    private BaseUrl() {
    }

    /** {@code configured} is the public base URL of the DICOMweb root, e.g. {@code https://pacs.example/dicomweb}. */
    public static String of(Optional<String> configured, HttpHeaders headers, UriInfo uri) {
        if (configured.isPresent()) {
            return configured.get();
        }
        URI base = uri.getBaseUri();
        String scheme = base.getScheme();
        String host = base.getRawAuthority();
        String prefix = "";
        String forwarded = headers.getHeaderString("Forwarded");
        if (forwarded != null) {
            // Only the first (closest to the client) element counts: "for=1.2.3.4;proto=https;host=x, for=..."
            for (String pair : forwarded.split(",")[0].split(";")) {
                String[] kv = pair.strip().split("=", 2);
                if (kv.length == 2) {
                    String value = kv[1].strip().replace("\"", "");
                    switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
                        case "proto" -> scheme = value;
                        case "host" -> host = value;
                        default -> {
                        }
                    }
                }
            }
        } else {
            scheme = first(headers.getHeaderString("X-Forwarded-Proto")).orElse(scheme);
            host = first(headers.getHeaderString("X-Forwarded-Host")).orElse(host);
            prefix = first(headers.getHeaderString("X-Forwarded-Prefix")).map(BaseUrl::trimSlashes)
                    .map(p -> p.isEmpty() ? "" : "/" + p).orElse("");
        }
        String path = trimSlashes(base.getRawPath());
        return scheme + "://" + host + prefix + (path.isEmpty() ? "" : "/" + path) + ROOT;
    }

    private static Optional<String> first(String header) {
        return Optional.ofNullable(header).map(h -> h.split(",")[0].strip()).filter(h -> !h.isEmpty());
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
