package io.sweeplab.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation builds the network once, as a worker will: what a worker would refuse (a graph, or values the
 * architecture cannot build) is refused at launch, naming the field that makes the difference.
 */
class RunServiceBuildTest {

    /** The default dataset's shape and sizes, as the platform sees them (nothing is loaded here). */
    static final String IMAGES = """
            package com.acme.nets;
            import io.sweeplab.plugin.api.*;
            import java.util.*;
            public class Images implements Dataset {
                public String id() { return "fashion-mnist"; }
                public String label() { return "28 x 28 images"; }
                public String version() { return "1"; }
                public Optional<InputShape> inputShape(Params p) { return Optional.of(new InputShape(28, 28, 1)); }
                public OptionalInt trainSize(Params p) { return OptionalInt.of(60000); }
                public OptionalInt testSize(Params p) { return OptionalInt.of(10000); }
                public DatasetContent load(Params p, DatasetContext c) { throw new UnsupportedOperationException(); }
            }
            """;

    /** Architectures of a plugin jar, loaded through the platform's plugin host. */
    static final String ARCHITECTURES = """
            package com.acme.nets;
            import io.sweeplab.plugin.api.*;
            import org.deeplearning4j.nn.conf.*;
            import org.deeplearning4j.nn.conf.inputs.InputType;
            import org.deeplearning4j.nn.conf.layers.*;
            import org.nd4j.linalg.activations.Activation;
            import org.nd4j.linalg.lossfunctions.LossFunctions;
            public class Nets {
                static MultiLayerConfiguration stack(BuildContext c) {
                    return new NeuralNetConfiguration.Builder().seed(c.seed()).list()
                            .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                    .nOut(c.numClasses()).activation(Activation.SOFTMAX).build())
                            .setInputType(InputType.convolutionalFlat(c.height(), c.width(), c.channels()))
                            .build();
                }
                static ComputationGraphConfiguration graph(BuildContext c) {
                    return new NeuralNetConfiguration.Builder().seed(c.seed()).graphBuilder()
                            .addInputs("in")
                            .addLayer("hidden", new DenseLayer.Builder().nOut(8).build(), "in")
                            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                    .nOut(c.numClasses()).activation(Activation.SOFTMAX).build(), "hidden")
                            .setOutputs("out")
                            .setInputTypes(InputType.convolutionalFlat(c.height(), c.width(), c.channels()))
                            .build();
                }
                public static class Graph implements Architecture {
                    public String id() { return "acme-graph"; }
                    public String label() { return "A graph"; }
                    public String version() { return "1.0"; }
                    public ModelConfiguration build(Params p, BuildContext c) { return ModelConfiguration.of(graph(c)); }
                }
                public static class Either implements Architecture {
                    public String id() { return "acme-either"; }
                    public String label() { return "A stack, or a graph with residuals"; }
                    public String version() { return "1.0"; }
                    public ParamSchema params() {
                        return ParamSchema.of(ParamSpec.ofBoolean("residual", false, "skip connections (a graph)"));
                    }
                    public ModelConfiguration build(Params p, BuildContext c) {
                        return p.getBoolean("residual") ? ModelConfiguration.of(graph(c)) : ModelConfiguration.of(stack(c));
                    }
                }
                public static class Picky implements Architecture {
                    public String id() { return "acme-picky"; }
                    public String label() { return "Builds for even widths only"; }
                    public String version() { return "1.0"; }
                    public ParamSchema params() {
                        return ParamSchema.of(ParamSpec.ofInt("width", 8, 1, 64, "hidden units"));
                    }
                    public ModelConfiguration build(Params p, BuildContext c) {
                        if (p.getInt("width") % 2 != 0) {
                            throw new IllegalArgumentException("width must be even");
                        }
                        return ModelConfiguration.of(stack(c));
                    }
                }
                public static class Nothing implements Architecture {
                    public String id() { return "acme-nothing"; }
                    public String label() { return "Builds nothing"; }
                    public String version() { return "1.0"; }
                    public ModelConfiguration build(Params p, BuildContext c) { return null; }
                }
            }
            """;

    static PluginRegistry plugins;

    @BeforeAll
    static void load(@TempDir Path dir) {
        PluginJarBuilder.create("acme-nets")
                .descriptor("acme-nets", "1.0", "[1,2)")
                .source("com.acme.nets.Nets", ARCHITECTURES)
                .source("com.acme.nets.Images", IMAGES)
                .service(Dataset.class, "com.acme.nets.Images")
                .service(
                        Architecture.class,
                        "com.acme.nets.Nets$Graph",
                        "com.acme.nets.Nets$Either",
                        "com.acme.nets.Nets$Picky",
                        "com.acme.nets.Nets$Nothing")
                .build(dir);
        plugins = new PluginLoader(Duration.ofSeconds(30))
                .load(new URLClassLoader(new URL[0], RunServiceBuildTest.class.getClassLoader()), dir);
        assertThat(plugins.extension(Architecture.class, "acme-picky")).isPresent();
    }

    private final RunService service = new RunService(
            () -> plugins,
            null,
            id -> Optional.of("team"),
            () -> {},
            id -> {},
            Duration.ofSeconds(30),
            null,
            new RunLimits(Long.MAX_VALUE, 1000));

    private static RunRequest request(String architecture, Map<String, Object> params) {
        return new RunRequest(1L, architecture, params, 1, null, null, null, List.of(), List.of(), null, null, null);
    }

    /** The fields a refused request names, and why. */
    private List<FieldError> refusal(String architecture, Map<String, Object> params) {
        InvalidInputException e = catchThrowableOfType(
                () -> service.validate(Caller.system(), request(architecture, params)), InvalidInputException.class);
        assertThat(e).as("refusal of %s %s", architecture, params).isNotNull();
        return e.errors();
    }

    @Test
    void a_graph_architecture_is_refused_naming_the_architecture() {
        assertThat(refusal("acme-graph", null)).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("architecture");
            assertThat(f.message()).contains("acme-graph", "graph", "ComputationGraphConfiguration", "layer stacks");
        });
    }

    @Test
    void a_graph_only_some_values_build_is_refused_naming_those_values() {
        assertThat(refusal("acme-either", Map.of("residual", true)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.field()).isEqualTo("params.residual");
                    assertThat(f.message()).contains("graph", "with these values", "layer stacks");
                });
        assertThat(service.validate(Caller.system(), request("acme-either", Map.of("residual", false)))
                        .params())
                .containsEntry("residual", false);
    }

    @Test
    void values_the_architecture_cannot_build_are_refused_naming_them_with_its_reason() {
        // IllegalArgumentException: the values do not fit (Architecture.build), so the values set are named
        assertThat(refusal("acme-picky", Map.of("width", 7))).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("params.width");
            assertThat(f.message()).isEqualTo("width must be even");
        });
        assertThat(service.validate(Caller.system(), request("acme-picky", Map.of("width", 6)))
                        .params())
                .containsEntry("width", 6);
    }

    @Test
    void an_architecture_that_builds_nothing_is_refused() {
        assertThat(refusal("acme-nothing", null)).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("params");
            assertThat(f.message()).contains("acme-nothing", "no network");
        });
    }

    @Test
    void other_errors_are_reported_before_anything_is_built() {
        assertThatThrownBy(() -> service.validate(
                        Caller.system(),
                        new RunRequest(
                                1L, "acme-graph", null, 0, null, null, null, List.of(), List.of(), null, null, null)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("epochs"));
    }
}
