package org.dpacs.dicom.net.dimse;

import java.util.Optional;
import org.dpacs.dicom.data.Attributes;

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

    /**
     * A final response that carries more than a status (C-FIND, C-GET, C-MOVE; PS3.7 9.3.2 to 9.3.4): command
     * elements such as the sub-operation counts, and an identifier such as the Failed SOP Instance UID List.
     *
     * @param status        any status but pending
     * @param comment       the Error Comment, if any
     * @param commandFields group 0000 elements added to the response (e.g. {@link CommandTag#NumberOfCompletedSuboperations})
     * @param identifier    the data set sent with the response, in the presentation context's transfer syntax
     */
    record Detailed(int status, Optional<String> comment, Attributes commandFields, Optional<Attributes> identifier)
            implements DimseResult {
        public Detailed {
            if (DimseStatus.isPending(status)) {
                throw new IllegalArgumentException("a final response cannot be pending");
            }
        }
    }
}
