package io.sweeplab.client;

import java.util.Optional;

/**
 * A call the tracking server refused (an HTTP 4xx with MLflow's {@code error_code}, such as
 * {@code INVALID_PARAMETER_VALUE} or {@code RESOURCE_DOES_NOT_EXIST}), or one that found no server for as long as the
 * client retries. Refusals are never retried: the same call would be refused again.
 */
public class SweeplabException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;

    /**
     * @param httpStatus the server's answer, or 0 when none came (network errors, retries exhausted)
     * @param errorCode MLflow's {@code error_code}, or null when the answer had none
     */
    public SweeplabException(int httpStatus, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the server's answer; 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** MLflow's {@code error_code} of the answer, such as {@code INVALID_PARAMETER_VALUE}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Whether the server answered and refused the call (4xx), as opposed to not answering in time. */
    public boolean refused() {
        return httpStatus >= 400 && httpStatus < 500;
    }
}
