package io.sweeplab.core.error;

/** A request beyond a documented size or count limit (HTTP 413), naming what is too large. */
public class PayloadTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public PayloadTooLargeException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
