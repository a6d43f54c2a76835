package org.dpacs.server.dicomweb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A media type or media range with its parameters, as in Content-Type and Accept (RFC 7231 3.1.1.1 and 5.3.2):
 * {@code multipart/related; type="application/dicom"; transfer-syntax=*; q=0.9}. Type, subtype and parameter
 * names are lower-cased (they are case-insensitive); parameter values keep their case, unquoted. The quality
 * {@code q} is kept apart from the other parameters.
 *
 * <p>We parse these ourselves because JAX-RS {@code MediaType} drops nothing but also validates nothing useful
 * for DICOMweb: it neither separates {@code q} nor handles several ranges in one header.
 */
public record MediaRange(String type, String subtype, Map<String, String> parameters, double quality) {

    public MediaRange {
        type = type.toLowerCase(Locale.ROOT);
        subtype = subtype.toLowerCase(Locale.ROOT);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        if (quality < 0 || quality > 1) {
            throw new IllegalArgumentException("q must be between 0 and 1, got " + quality);
        }
    }

    /** A media type without parameters, quality 1. */
    public static MediaRange of(String mediaType) {
        return parse(mediaType).orElseThrow(() -> new IllegalArgumentException("Not a media type: " + mediaType));
    }

    /** One media type such as a Content-Type value; empty when it is not of the form type/subtype. */
    public static Optional<MediaRange> parse(String value) {
        List<String> pieces = split(value, ';');
        if (pieces.isEmpty()) {
            return Optional.empty();
        }
        String full = pieces.get(0).strip();
        int slash = full.indexOf('/');
        if (slash <= 0 || slash == full.length() - 1 || !isToken(full.substring(0, slash))
                || !isToken(full.substring(slash + 1))) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        double q = 1;
        for (String piece : pieces.subList(1, pieces.size())) {
            int eq = piece.indexOf('=');
            if (eq <= 0) {
                if (piece.isBlank()) {
                    continue; // a trailing ';' is common and harmless
                }
                return Optional.empty();
            }
            String name = piece.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String raw = piece.substring(eq + 1).strip();
            if (!isToken(name)) {
                return Optional.empty();
            }
            String v = unquote(raw);
            if (name.equals("q")) {
                try {
                    q = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                if (!(q >= 0 && q <= 1)) {
                    return Optional.empty();
                }
            } else {
                params.put(name, v);
            }
        }
        return Optional.of(new MediaRange(full.substring(0, slash), full.substring(slash + 1), params, q));
    }

    /**
     * Every range of an Accept header (several header lines joined with ','); unparseable ranges are left out
     * so that one odd entry does not make a whole request unacceptable.
     */
    public static List<MediaRange> parseAll(String header) {
        List<MediaRange> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (String range : split(header, ',')) {
            parse(range).ifPresent(out::add);
        }
        return out;
    }

    /** {@code type/subtype}. */
    public String essence() {
        return type + "/" + subtype;
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean isWildcardType() {
        return type.equals("*");
    }

    public boolean isWildcardSubtype() {
        return subtype.equals("*");
    }

    /** True when this range (possibly with wildcards) covers the concrete media type {@code essence}. */
    public boolean covers(String essence) {
        int slash = essence.indexOf('/');
        String t = essence.substring(0, slash).toLowerCase(Locale.ROOT);
        String s = essence.substring(slash + 1).toLowerCase(Locale.ROOT);
        return isWildcardType() || (type.equals(t) && (isWildcardSubtype() || subtype.equals(s)));
    }

    /** The header form, quoting parameter values that are not tokens; {@code q} only when below 1. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(essence());
        parameters.forEach((k, v) -> sb.append("; ").append(k).append('=').append(quoteIfNeeded(v)));
        if (quality < 1) {
            sb.append("; q=").append(quality);
        }
        return sb.toString();
    }

    static String quoteIfNeeded(String v) {
        if (!v.isEmpty() && isToken(v)) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Splits on {@code sep} outside quoted strings (RFC 7230 3.2.6), keeping the quotes. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                add(out, cur);
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String piece = cur.toString().strip();
        if (!piece.isEmpty() || !out.isEmpty()) {
            out.add(piece);
        }
    }

    private static String unquote(String v) {
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1) {
                c = v.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** RFC 7230 3.2.6 token characters. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
