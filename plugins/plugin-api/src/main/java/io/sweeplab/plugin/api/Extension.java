package io.sweeplab.plugin.api;

import java.util.List;

/**
 * What every extension point has in common: an identity, a human label, a version and a typed parameter schema
 * that the REST API validates against and the dashboard renders as a form.
 *
 * <p><b>Lifecycle.</b> The host instantiates each extension once, through {@link java.util.ServiceLoader} (so an
 * implementation needs a public no-argument constructor), reads its metadata once, and keeps the instance for the
 * life of the platform. Instances must therefore be stateless and thread-safe; per-run state lives in the objects
 * they create for a run. Every call into an extension is guarded: an exception or a hang fails the run that called
 * it and never the platform.
 */
public interface Extension {

    /**
     * A stable identifier, unique among extensions of the same type: lower-case letters, digits and dashes,
     * starting with a letter, at most 64 characters (for example {@code cnn} or {@code loss-threshold}).
     */
    String id();

    /** A short human name shown in the dashboard. */
    String label();

    /** The version of this extension, for example {@code 1.2.0}; recorded with every run that uses it. */
    String version();

    /** One or two sentences saying what the extension does; empty by default. */
    default String description() {
        return "";
    }

    /** The parameters this extension accepts; none by default. */
    default ParamSchema params() {
        return ParamSchema.empty();
    }

    /**
     * Checks rules that span several parameters, after each parameter has passed its own type and range checks.
     * Returns the violations, each naming the parameter at fault; an empty list when the values fit together.
     *
     * @param params values already validated and completed with defaults against {@link #params()}
     */
    default List<ParamViolation> validate(Params params) {
        return List.of();
    }
}
