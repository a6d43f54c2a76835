package org.dpacs.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading DICOM JSON (PS3.18 Annex F) objects: {"GGGGEEEE": {"vr": .., "Value": [..]}}. */
final class DicomJson {

    private DicomJson() {
    }

    static Optional<JsonNode> element(JsonNode object, String tag) {
        JsonNode e = object == null ? null : object.get(tag);
        return e == null || e.isNull() ? Optional.empty() : Optional.of(e);
    }

    /** The Value array of an element; empty when the element is absent or has no value (F.2.5). */
    static List<JsonNode> values(JsonNode object, String tag) {
        List<JsonNode> out = new ArrayList<>();
        element(object, tag).map(e -> e.get("Value")).ifPresent(v -> v.forEach(out::add));
        return out;
    }

    static Optional<String> string(JsonNode object, String tag) {
        List<JsonNode> v = values(object, tag);
        return v.isEmpty() || v.get(0).isNull() ? Optional.empty() : Optional.of(v.get(0).asText());
    }

    static List<String> strings(JsonNode object, String tag) {
        return values(object, tag).stream().map(n -> n.isNull() ? "" : n.asText()).toList();
    }

    /** A US/UL/IS value as an integer; IS is a JSON number in DICOM JSON (F.2.3), but a string is tolerated here. */
    static Optional<Long> integer(JsonNode object, String tag) {
        return string(object, tag).map(s -> (long) Double.parseDouble(s));
    }

    /** The items of a sequence (SQ) element. */
    static List<JsonNode> items(JsonNode object, String tag) {
        return values(object, tag);
    }

    /** Every BulkDataURI in the object, at any depth (F.2.6). */
    static List<String> bulkDataUris(JsonNode object) {
        List<String> out = new ArrayList<>();
        collect(object, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            JsonNode uri = node.get("BulkDataURI");
            if (uri != null && uri.isTextual()) {
                out.add(uri.asText());
            }
            node.forEach(child -> collect(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }
}
