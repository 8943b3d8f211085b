package io.sweeplab.core.error;

/** A referenced object does not exist (or is not visible to the caller); the REST layer answers 404. */
public class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
