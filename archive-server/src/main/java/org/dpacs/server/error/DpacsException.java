package org.dpacs.server.error;

/** A failure with a kind from the one vocabulary and a message that says what was wrong and what to do. */
public final class DpacsException extends RuntimeException {
    private final FailureKind kind;

    public DpacsException(FailureKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DpacsException(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public FailureKind kind() {
        return kind;
    }

    public static DpacsException badRequest(String message) {
        return new DpacsException(FailureKind.BAD_REQUEST, message);
    }

    public static DpacsException notFound(String message) {
        return new DpacsException(FailureKind.NOT_FOUND, message);
    }
}
