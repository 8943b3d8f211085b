package io.sweeplab.core.run;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to train one run, validated against the plugin schemas: the architecture with complete
 * parameter values, the training settings, the callbacks and visualizers, the data subset, and whether only a
 * GPU worker may train it.
 */
public record RunSpec(
        long experiment,
        String architecture,
        Map<String, Object> params,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        List<ExtensionUse> callbacks,
        List<ExtensionUse> visualizers,
        DataSpec data,
        boolean requiresGpu) {

    public RunSpec {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        callbacks = List.copyOf(callbacks);
        visualizers = List.copyOf(visualizers);
    }
}
