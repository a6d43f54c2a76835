package org.dpacs.conformance;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed media type (RFC 7231 3.1.1.1, PS3.18 8.7): {@code type/subtype} lower-cased, parameter names lower-cased,
 * quoted values unquoted. Enough to read the Content-Type of a DICOMweb response or part; not a general HTTP parser.
 */
record MediaType(String essence, Map<String, String> parameters) {

    static MediaType parse(String header) {
        if (header == null || header.isBlank()) {
            return new MediaType("", Map.of());
        }
        int semi = indexOutsideQuotes(header, ';', 0);
        String essence = (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        while (semi >= 0) {
            int next = indexOutsideQuotes(header, ';', semi + 1);
            String param = (next < 0 ? header.substring(semi + 1) : header.substring(semi + 1, next)).strip();
            int eq = param.indexOf('=');
            if (eq > 0) {
                String value = param.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                }
                params.put(param.substring(0, eq).strip().toLowerCase(Locale.ROOT), value);
            }
            semi = next;
        }
        return new MediaType(essence, Map.copyOf(params));
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The {@code transfer-syntax} parameter of PS3.18 8.7.3.5.2. */
    Optional<String> transferSyntax() {
        return parameter("transfer-syntax");
    }

    /** The {@code type} parameter of a multipart/related media type (RFC 2387 3.1), lower-cased. */
    Optional<String> relatedType() {
        return parameter("type").map(t -> t.toLowerCase(Locale.ROOT));
    }

    boolean is(String typeSubtype) {
        return essence.equals(typeSubtype.toLowerCase(Locale.ROOT));
    }

    private static int indexOutsideQuotes(String s, char c, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (ch == c && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
