package io.sweeplab.core.sweep;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The convolutions lab as one-click sweeps: the baseline, the overfitting lesson and the five exercises. */
public final class LabTemplates {

    /**
     * @param teaches what running it shows, in one sentence
     */
    public record Template(
            String id, String title, String teaches, Map<String, Object> base, Map<String, List<Object>> grid) {}

    private static final Map<String, Object> CNN = Map.of("architecture", "cnn", "epochs", 5);

    public static final List<Template> ALL = List.of(
            new Template(
                    "dense-vs-cnn",
                    "Dense network vs CNN",
                    "Convolutions lift test accuracy from about 87% to about 90% on the same images in the same"
                            + " five epochs.",
                    Map.of("epochs", 5),
                    Map.of("architecture", List.of("dense", "cnn"))),
            new Template(
                    "overfitting",
                    "Overfitting: 5 vs 20 epochs",
                    "Training longer keeps raising training accuracy while validation accuracy stalls and its loss"
                            + " rises: the network overfits.",
                    Map.of("architecture", "cnn"),
                    Map.of("epochs", List.of(5, 20))),
            new Template(
                    "exercise-1-filters",
                    "Exercise 1: 16, 32 or 64 filters",
                    "More filters cost parameters and training time for a small change in accuracy.",
                    CNN,
                    Map.of("params.filters", List.of(List.of(16, 16), List.of(32, 32), List.of(64, 64)))),
            new Template(
                    "exercise-2-remove-final-convolution",
                    "Exercise 2: remove the final convolution",
                    "Without its final convolution the dense layer reads 13x13 maps instead of 5x5 ones: compare what that does"
                            + " to parameters, time and accuracy.",
                    CNN,
                    Map.of("params.convLayers", List.of(2, 1))),
            new Template(
                    "exercise-3-more-convolutions",
                    "Exercise 3: more convolutions",
                    "A third convolution shrinks the feature maps to 1x1: compare whether the extra depth buys accuracy.",
                    CNN,
                    Map.of("params.convLayers", List.of(2, 3))),
            new Template(
                    "exercise-4-first-convolution-only",
                    "Exercise 4: only the first convolution",
                    "Keeping only the first of three convolutions shows how much the deeper ones contribute.",
                    CNN,
                    Map.of("params.convLayers", List.of(3, 1))),
            new Template(
                    "exercise-5-loss-threshold",
                    "Exercise 5: stop at a loss threshold",
                    "A callback ends training as soon as the training loss is low enough, saving the remaining epochs.",
                    Map.of(
                            "architecture",
                            "cnn",
                            "epochs",
                            20,
                            "callbacks",
                            List.of(Map.of("id", "loss-threshold", "params", Map.of("threshold", 0.4)))),
                    Map.of("callbacks[0].params.threshold", List.of(0.4, 0.3))));

    private LabTemplates() {}

    public static Optional<Template> find(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /**
     * The sweep a template launches into an experiment.
     *
     * @param name the sweep's name; the template's title when null
     * @param data a subset of the data for every run; null for the template's own
     */
    public static SweepRequest request(
            Template t, Long experiment, String name, io.sweeplab.core.run.RunRequest.DataRequest data) {
        return request(t, experiment, name, data, null);
    }

    /**
     * As {@link #request(Template, Long, String, io.sweeplab.core.run.RunRequest.DataRequest)}, with the
     * visualizers every run uses instead of the template's (null keeps the template's, an empty list none).
     */
    public static SweepRequest request(
            Template t,
            Long experiment,
            String name,
            io.sweeplab.core.run.RunRequest.DataRequest data,
            List<io.sweeplab.core.run.RunRequest.ExtensionRequest> visualizers) {
        Map<String, Object> base = new java.util.LinkedHashMap<>(t.base());
        if (visualizers != null) {
            List<Map<String, Object>> uses = new java.util.ArrayList<>();
            for (io.sweeplab.core.run.RunRequest.ExtensionRequest v : visualizers) {
                Map<String, Object> use = new java.util.LinkedHashMap<>();
                use.put("id", v == null ? null : v.id());
                use.put("params", v == null || v.params() == null ? Map.of() : v.params());
                uses.add(use);
            }
            base.put("visualizers", uses);
        }
        if (data != null) {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            putIfSet(d, "trainLimit", data.trainLimit());
            putIfSet(d, "testLimit", data.testLimit());
            putIfSet(d, "sampling", data.sampling());
            putIfSet(d, "sampleSeed", data.sampleSeed());
            base.put("data", d);
        }
        return new SweepRequest(experiment, name == null ? t.title() : name, base, t.grid());
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
