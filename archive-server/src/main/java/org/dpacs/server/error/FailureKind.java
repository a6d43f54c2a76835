package org.dpacs.server.error;

/**
 * The one failure vocabulary: each kind carries the HTTP status (PS3.18) and the DIMSE status (PS3.7 Annex C)
 * that every protocol reports for it. Feature code throws {@link DpacsException} with a kind; the protocol
 * layers only read this table.
 */
public enum FailureKind {
    /** The request or query is malformed (an unknown query key, a bad UID, a bad range). */
    BAD_REQUEST(400, 0xC000),
    /** The payload is not DICOM or cannot be parsed (PS3.18 Table 10.5.3-2: 0xC000 cannot understand). */
    CANNOT_UNDERSTAND(400, 0xC000),
    /** A required attribute is missing or invalid (PS3.7 C.4.2: 0xA900 data set does not match SOP class). */
    INVALID_DATASET(409, 0xA900),
    /** A study-scoped store names another study (PS3.18 10.5.3: 0xA900 with 409). */
    STUDY_MISMATCH(409, 0xA900),
    /** Another object is already stored under this SOP Instance UID (overwrite not allowed). */
    DUPLICATE_CONFLICT(409, 0x0111),
    /** The media type of the request is not supported. */
    UNSUPPORTED_MEDIA_TYPE(415, 0xC000),
    /** No representation matches the Accept header. */
    NOT_ACCEPTABLE(406, 0xC000),
    NOT_FOUND(404, 0xC000),
    /** No credentials, or wrong ones (0x0124 "Refused: Not Authorized", PS3.7 Annex C). */
    UNAUTHENTICATED(401, 0x0124),
    /** The caller is known but not allowed this (an administrator's resource asked for by a user). */
    FORBIDDEN(403, 0x0124),
    /** Storage is full or unavailable (PS3.7 C.4.2: 0xA700 out of resources). */
    OUT_OF_RESOURCES(503, 0xA700),
    /** Anything unexpected: our bug or an I/O failure (0x0110 processing failure). */
    PROCESSING_FAILURE(500, 0x0110);

    private final int httpStatus;
    private final int dimseStatus;

    FailureKind(int httpStatus, int dimseStatus) {
        this.httpStatus = httpStatus;
        this.dimseStatus = dimseStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int dimseStatus() {
        return dimseStatus;
    }
}
