package org.dpacs.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A STOW-RS answer: the HTTP status and the Store Instances Response Module (PS3.18 10.5.3, Annex I) read from DICOM
 * JSON. {@code request} describes what was sent, for assertion messages.
 */
record StoreResponse(String request, int status, String contentType, String bodyText, JsonNode body) {

    static StoreResponse of(String request, Response r) {
        String text = new String(r.asByteArray(), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = text.isBlank() ? MissingNode.getInstance() : Pydicom.JSON.readTree(text);
        } catch (IOException e) {
            json = MissingNode.getInstance();
        }
        return new StoreResponse(request, r.statusCode(), r.contentType(), text, json);
    }

    /** Items of ReferencedSOPSequence (0008,1199): the instances stored. */
    List<JsonNode> referenced() {
        return DicomJson.items(body, Tags.ReferencedSOPSequence);
    }

    /** Items of FailedSOPSequence (0008,1198): the instances not stored, each with a FailureReason. */
    List<JsonNode> failed() {
        return DicomJson.items(body, Tags.FailedSOPSequence);
    }

    Optional<JsonNode> referenced(String sopInstanceUid) {
        return find(referenced(), sopInstanceUid);
    }

    Optional<JsonNode> failed(String sopInstanceUid) {
        return find(failed(), sopInstanceUid);
    }

    private static Optional<JsonNode> find(List<JsonNode> items, String sopInstanceUid) {
        return items.stream()
                .filter(i -> DicomJson.string(i, Tags.ReferencedSOPInstanceUID).filter(sopInstanceUid::equals).isPresent())
                .findFirst();
    }

    /** One line for a failure message: request, status and (shortened) body. */
    String describe() {
        String b = bodyText.length() > 600 ? bodyText.substring(0, 600) + "..." : bodyText;
        return request + " -> " + status + " " + contentType + " " + b;
    }

    @Override
    public String toString() {
        return describe();
    }
}
