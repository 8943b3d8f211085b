package io.sweeplab.core.run;

import java.util.Map;

/**
 * A callback or visualizer a run uses, with its parameter values (validated and completed with defaults once the
 * spec is accepted).
 */
public record ExtensionUse(String id, Map<String, Object> params) {
    public ExtensionUse {
        params = params == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
