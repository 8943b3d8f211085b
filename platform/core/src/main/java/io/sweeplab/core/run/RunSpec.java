package io.sweeplab.core.run;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to train one run, validated against the plugin schemas: the architecture with complete
 * parameter values, the training settings, the callbacks and visualizers, the data subset, whether only a GPU
 * worker may train it, and the dataset with complete parameter values ({@link #DEFAULT_DATASET} in specs stored
 * before datasets were plugins).
 *
 * @param extensions the id and version of every extension it uses (its provenance); empty for runs accepted before
 *     versions were recorded, which train with whatever version is loaded
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
        ExtensionUse dataset,
        List<ExtensionVersion> extensions) {

    /** The dataset of a run that names none: Fashion-MNIST, the lab's. */
    public static final String DEFAULT_DATASET = "fashion-mnist";

    /** A spec whose provenance is not recorded yet (it is when the run is accepted). */
    public RunSpec(
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
        this(
                experiment,
                architecture,
                params,
                epochs,
                batchSize,
                learningRate,
                seed,
                callbacks,
                visualizers,
                data,
                requiresGpu,
                dataset,
                List.of());
    }

    public RunSpec {
        dataset = dataset == null ? new ExtensionUse(DEFAULT_DATASET, Map.of()) : dataset;
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        callbacks = List.copyOf(callbacks);
        visualizers = List.copyOf(visualizers);
    }

    /**
     * What stands for the spec of a run logged from outside, which Sweeplab did not train: architecture
     * {@code external}, no settings; its params are the ones it logged.
     */
    public static RunSpec external(long experiment, Map<String, Object> params) {
        return new RunSpec(
                experiment,
                "external",
                params,
                0,
                0,
                0,
                0,
                List.of(),
                List.of(),
                DataSpec.FULL,
                false,
                new ExtensionUse("external", Map.of()),
                List.of());
    }

    /** The recorded version of the extension of this type and id, if the run recorded versions. */
    public java.util.Optional<ExtensionVersion> extension(String type, String id) {
        return extensions.stream()
                .filter(e -> e.type().equals(type) && e.id().equals(id))
                .findFirst();
    }
}
