package io.sweeplab.core.error;

/**
 * What is wrong with one field of a request.
 *
 * @param field the field's path in the request, for example {@code name} or {@code params.filters}
 * @param message what is wrong, for example {@code is required}
 */
public record FieldError(String field, String message) {}
