package org.dpacs.dicom.net.dimse;

import java.util.Optional;

/** What a {@link DimseHandler} answers: the status of the final response and, for the peer, a comment. */
public sealed interface DimseResult {

    int status();

    /** The Error Comment (0000,0902) to send, if any. */
    Optional<String> comment();

    static DimseResult success() {
        return Success.INSTANCE;
    }

    record Success() implements DimseResult {
        static final Success INSTANCE = new Success();

        @Override
        public int status() {
            return DimseStatus.SUCCESS;
        }

        @Override
        public Optional<String> comment() {
            return Optional.empty();
        }
    }

    /** Done, with a warning status such as {@link DimseStatus#WARNING_COERCION}. */
    record Warning(int status, String message) implements DimseResult {
        public Warning {
            if (!DimseStatus.isWarning(status)) {
                throw new IllegalArgumentException(DimseStatus.toHex(status) + " is not a warning status");
            }
        }

        @Override
        public Optional<String> comment() {
            return Optional.of(message);
        }
    }

    /** Not done, with a failure status such as {@link DimseStatus#CANNOT_UNDERSTAND}. */
    record Failure(int status, String message) implements DimseResult {
        public Failure {
            if (!DimseStatus.isFailure(status)) {
                throw new IllegalArgumentException(DimseStatus.toHex(status) + " is not a failure status");
            }
        }

        @Override
        public Optional<String> comment() {
            return Optional.of(message);
        }
    }
}
