package io.sweeplab.core.run;

import java.util.List;
import java.util.Map;

/**
 * A run as a client asks for it: every field but {@code experiment} and {@code architecture} may be left out and
 * then takes its default. {@link RunService#validate} turns it into a {@link RunSpec} or names every bad field.
 */
public record RunRequest(
        Long experiment,
        String architecture,
        Map<String, Object> params,
        Integer epochs,
        Integer batchSize,
        Double learningRate,
        Long seed,
        List<ExtensionRequest> callbacks,
        List<ExtensionRequest> visualizers,
        DataRequest data,
        Boolean gpu,
        ExtensionRequest dataset) {

    /** A callback, visualizer or dataset by id, with parameter values. */
    public record ExtensionRequest(String id, Map<String, Object> params) {}

    /** The data subset: limits of 0 (or absent) mean the whole set. */
    public record DataRequest(Integer trainLimit, Integer testLimit, String sampling, Long sampleSeed) {}
}
