package io.sweeplab.core.error;

import java.util.List;

/** A request that breaks the rules of the domain; the REST layer answers 400 naming each field. */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(summary(errors), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid input needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        return String.join(
                "; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
    }
}
