package io.sweeplab.plugin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The contracts catch what the platform would refuse or fail on, with messages that say what to fix. */
class ContractsTest {

    /** A small dense net; {@code outputs} lets a fixture get the output layer wrong. */
    static class Net implements Architecture {
        private final int outputs;
        private final String id;

        Net(String id, int outputs) {
            this.id = id;
            this.outputs = outputs;
        }

        public String id() {
            return id;
        }

        public String label() {
            return "Net";
        }

        public String version() {
            return "1.0.0";
        }

        public String description() {
            return "A small dense net.";
        }

        public ParamSchema params() {
            return ParamSchema.of(ParamSpec.ofInt("units", 16, 1, 64, "hidden units"));
        }

        public ModelConfiguration build(Params p, BuildContext ctx) {
            return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                    .seed(ctx.seed())
                    .updater(new Adam(ctx.learningRate()))
                    .list()
                    .layer(new DenseLayer.Builder()
                            .nOut(p.getInt("units"))
                            .activation(Activation.RELU)
                            .build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .nOut(outputs == 0 ? ctx.numClasses() : outputs)
                            .activation(Activation.SOFTMAX)
                            .build())
                    .setInputType(InputType.convolutionalFlat(ctx.height(), ctx.width(), ctx.channels()))
                    .build());
        }
    }

    static final class NetContract extends ArchitectureContract {
        final Architecture architecture;

        NetContract(Architecture architecture) {
            this.architecture = architecture;
        }

        @Override
        protected Architecture architecture() {
            return architecture;
        }
    }

    /** A callback that counts epochs in itself rather than in its sessions. */
    static final class Stateful implements Callback {
        private int seen;

        public String id() {
            return "stateful";
        }

        public String label() {
            return "Stateful";
        }

        public String version() {
            return "1.0.0";
        }

        public String description() {
            return "Stops after 15 epochs, counted across runs.";
        }

        public CallbackSession start(Params params) {
            return new CallbackSession() {
                @Override
                public Decision onEpochEnd(EpochMetrics m) {
                    return ++seen >= 15 ? Decision.stop("15 epochs seen") : Decision.proceed();
                }
            };
        }
    }

    static void runAll(Stream<DynamicTest> tests) throws Throwable {
        for (DynamicTest t : tests.toList()) {
            Executable e = t.getExecutable();
            e.execute();
        }
    }

    @Test
    void a_well_made_architecture_passes_builds_and_trains_with_finite_losses() throws Throwable {
        NetContract contract = new NetContract(new Net("net", 0));
        contract.idIsWellFormed();
        contract.labelVersionAndDescriptionAreGiven();
        contract.schemaIsConsistent();
        contract.defaultsValidate();
        runAll(contract.boundsValidateAgainstTheSchema());
        runAll(contract.buildsForTheDefaultsAndEveryBound());
        contract.trainsAFewIterationsOnGeneratedData();
    }

    @Test
    void the_trainer_reports_the_engine_and_why() {
        Net net = new Net("net", 0);
        InProcessTrainer.Report r = InProcessTrainer.train(
                net, net.params().validate(Map.of()).params(), new BuildContext(28, 28, 1, 10, 1e-3, 1), 2, 4);
        assertThat(r.engine()).isEqualTo("fast");
        assertThat(r.reason()).contains("fast engine, which runs every layer");
        assertThat(r.parameters()).isEqualTo(784 * 16 + 16 + 16 * 10 + 10);
        // RGB images run on the fast engine too
        InProcessTrainer.Report rgb = InProcessTrainer.train(
                net, net.params().validate(Map.of()).params(), new BuildContext(8, 8, 3, 10, 1e-3, 1), 1, 4);
        assertThat(rgb.engine()).isEqualTo("fast");
        // a layer it does not have: the fast engine passes it over, and says which
        Net lrn = new Net("lrn", 0) {
            @Override
            public ModelConfiguration build(Params p, BuildContext ctx) {
                return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                        .seed(ctx.seed())
                        .updater(new Adam(ctx.learningRate()))
                        .list()
                        .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build())
                        .layer(new org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.Builder().build())
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(ctx.numClasses())
                                .activation(Activation.SOFTMAX)
                                .build())
                        .setInputType(InputType.convolutionalFlat(ctx.height(), ctx.width(), ctx.channels()))
                        .build());
            }
        };
        InProcessTrainer.Report passed = InProcessTrainer.train(
                lrn, lrn.params().validate(Map.of()).params(), new BuildContext(8, 8, 1, 10, 1e-3, 1), 1, 4);
        assertThat(passed.engine()).isEqualTo("dl4j");
        assertThat(passed.reason()).contains("passes it over", "layer 1 (LocalResponseNormalization)");
        assertThat(r.losses()).hasSize(2);
        assertThat(r.finite()).isTrue();
    }

    @Test
    void an_output_layer_without_one_unit_per_class_fails_the_build_check() {
        NetContract contract = new NetContract(new Net("net", 5));
        assertThatThrownBy(() -> runAll(contract.buildsForTheDefaultsAndEveryBound()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("one unit per class");
    }

    @Test
    void an_id_the_platform_refuses_fails_the_metadata_check() {
        NetContract contract = new NetContract(new Net("Net_1", 0));
        assertThatThrownBy(contract::idIsWellFormed)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("id 'Net_1' must be lower-case letters");
    }

    @Test
    void a_callback_keeping_run_state_in_itself_fails_the_session_check() {
        CallbackContract contract = new CallbackContract() {
            final Stateful callback = new Stateful();

            @Override
            protected Callback callback() {
                return callback;
            }
        };
        assertThatThrownBy(() -> runAll(contract.answersSyntheticRunsForTheDefaultsAndEveryBound()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("two sessions of the run 'learning' answer differently");
    }

    @Test
    void bounds_on_a_string_parameter_fail_the_schema_check() {
        Net net = new Net("net", 0) {
            @Override
            public ParamSchema params() {
                return ParamSchema.of(new ParamSpec("name", ParamType.STRING, "x", 1.0, 2.0, List.of(), "a name"));
            }
        };
        assertThatThrownBy(new NetContract(net)::schemaIsConsistent)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("parameter 'name': bounds only apply to numbers");
    }

    @Test
    void a_visualizer_whose_artifact_exceeds_the_platforms_limit_fails() {
        VisualizerContract contract = new VisualizerContract() {
            @Override
            protected Visualizer visualizer() {
                return new Visualizer() {
                    public String id() {
                        return "huge";
                    }

                    public String label() {
                        return "Huge";
                    }

                    public String version() {
                        return "1.0.0";
                    }

                    public String description() {
                        return "Too much.";
                    }

                    public Artifact visualize(Params params, VisualizerContext context) {
                        int n = 3 << 20;
                        return new Artifact.Tensors(
                                "huge", "Huge", Map.of(), List.of(new Tensor("t", new int[] {n}, new float[n])));
                    }
                };
            }
        };
        assertThatThrownBy(() -> runAll(contract.visualizesForTheDefaultsAndEveryBound()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the platform accepts 8388608");
    }

    @Test
    void a_jar_without_a_descriptor_is_refused_by_the_platforms_host_with_its_reason() {
        // this test's classes have no META-INF/sweeplab-plugin.properties
        NetContract contract = new NetContract(new Net("net", 0));
        assertThatThrownBy(contract::loadsThroughThePlatformHost)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the platform refuses the plugin")
                .hasMessageContaining("no descriptor META-INF/sweeplab-plugin.properties");
    }
}
