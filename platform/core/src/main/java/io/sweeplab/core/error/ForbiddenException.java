package io.sweeplab.core.error;

/** The caller may see the object but its role or token scope does not allow the action; the REST layer answers 403. */
public class ForbiddenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
