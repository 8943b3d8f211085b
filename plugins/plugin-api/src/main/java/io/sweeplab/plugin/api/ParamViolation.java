package io.sweeplab.plugin.api;

import java.util.Objects;

/**
 * One reason why a set of parameter values was refused.
 *
 * @param param the name of the parameter at fault
 * @param message what is wrong, in words a user can act on, for example {@code must be between 1 and 1024}
 */
public record ParamViolation(String param, String message) {
    public ParamViolation {
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(message, "message");
    }
}
