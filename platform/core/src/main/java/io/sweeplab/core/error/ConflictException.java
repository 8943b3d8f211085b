package io.sweeplab.core.error;

/** The request clashes with the current state, such as a name already taken; the REST layer answers 409. */
public class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ConflictException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
