package io.sweeplab.core.run;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to train one run, validated against the plugin schemas: the architecture with complete
 * parameter values, the training settings, the callbacks and visualizers, the data subset, whether only a GPU
 * worker may train it, and the dataset with complete parameter values ({@link #DEFAULT_DATASET} in specs stored
 * before datasets were plugins).
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
        boolean requiresGpu,
        ExtensionUse dataset) {

    /** The dataset of a run that names none: Fashion-MNIST, the lab's. */
    public static final String DEFAULT_DATASET = "fashion-mnist";

    public RunSpec {
        dataset = dataset == null ? new ExtensionUse(DEFAULT_DATASET, Map.of()) : dataset;
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        callbacks = List.copyOf(callbacks);
        visualizers = List.copyOf(visualizers);
    }
}
