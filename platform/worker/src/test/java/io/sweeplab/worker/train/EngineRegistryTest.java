package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugins.architectures.CnnArchitecture;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place that picks the engine, from the backend (a parameter: no CUDA here) and the configuration. */
class EngineRegistryTest {

    static final InputType INPUT = InputType.convolutionalFlat(28, 28, 1);
    static final MultiLayerConfiguration CNN = CheckpointArchiveTest.conf(new CnnArchitecture(), Map.of());
    /** Stride 2 convolutions: not a layer stack of the fast engine. */
    /** The lab CNN with a layer the fast engine does not have. */
    static final MultiLayerConfiguration UNSUPPORTED = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
            .updater(new org.nd4j.linalg.learning.config.Adam(1e-3))
            .list()
            .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3)
                    .nOut(8)
                    .build())
            .layer(new org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.Builder().build())
            .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                    .nOut(10)
                    .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                    .build())
            .setInputType(INPUT)
            .build();

    @TempDir
    Path dir;

    static EngineRegistry.Choice choose(Backend backend, String preference, MultiLayerConfiguration conf) {
        return new EngineRegistry(backend, preference, 2).choose(conf, INPUT, null);
    }

    @Test
    void on_the_cpu_the_lab_networks_run_on_the_fast_engine() {
        EngineRegistry.Choice c = choose(Backend.CPU, "auto", CNN);
        assertThat(c.engine().id()).isEqualTo("fast");
        assertThat(c.passedOver()).isEmpty();
        assertThat(c.description()).matches("fast \\(.+\\) engine");
    }

    @Test
    void on_cuda_dl4j_trains_on_the_gpu_and_the_run_says_why_not_the_fast_engine() {
        EngineRegistry.Choice c = choose(Backend.CUDA, "auto", CNN);
        assertThat(c.engine().id()).isEqualTo("dl4j");
        assertThat(c.passedOver())
                .singleElement()
                .asString()
                .startsWith("fast: it is CPU code")
                .contains("cuda");
        assertThat(c.description())
                .isEqualTo("dl4j engine (passed over: " + c.passedOver().get(0) + ")");
    }

    @Test
    void a_network_the_fast_engine_does_not_run_goes_to_dl4j_with_the_reason() {
        EngineRegistry.Choice c = choose(Backend.CPU, "auto", UNSUPPORTED);
        assertThat(c.engine().id()).isEqualTo("dl4j");
        assertThat(c.passedOver())
                .singleElement()
                .asString()
                .startsWith("fast: layer 1 (LocalResponseNormalization): not a layer the fast engine has");
    }

    @Test
    void configuration_decides_otherwise() {
        assertThat(choose(Backend.CPU, "dl4j", CNN).engine().id()).isEqualTo("dl4j");
        assertThat(choose(Backend.CPU, "dl4j", CNN).description()).isEqualTo("dl4j engine");
        assertThat(choose(Backend.CUDA, "dl4j", CNN).engine().id()).isEqualTo("dl4j");
        assertThat(choose(Backend.CUDA, "fast", CNN).engine().id()).isEqualTo("fast");
        assertThat(choose(Backend.CUDA, "fast", UNSUPPORTED).engine().id()).isEqualTo("dl4j");
        assertThatThrownBy(() -> new EngineRegistry(Backend.CPU, "gpu", 1))
                .hasMessage("engine must be one of [auto, fast, dl4j], not gpu");
    }

    @Test
    void a_checkpoint_of_dl4j_resumes_on_dl4j_and_one_of_the_fast_engine_on_it() throws Exception {
        Path dl4j = dir.resolve("dl4j.zip");
        Path fast = dir.resolve("fast.zip");
        try (Engine e = new EngineRegistry(Backend.CPU, "dl4j", 1).create(CNN.clone(), INPUT, 32)) {
            e.save(dl4j);
        }
        try (Engine e = new EngineRegistry(Backend.CPU, "auto", 1).create(CNN.clone(), INPUT, 32)) {
            e.save(fast);
        }
        EngineRegistry cpu = new EngineRegistry(Backend.CPU, "auto", 1);
        try (Engine e = cpu.resume(dl4j, INPUT, 32)) {
            assertThat(e.description())
                    .isEqualTo("dl4j engine (passed over: fast: the checkpoint holds DL4J's optimiser state,"
                            + " which it does not read)");
        }
        try (Engine e = cpu.resume(fast, INPUT, 32)) {
            assertThat(e.description()).startsWith("fast (").doesNotContain("passed over");
        }
        // a run started on a CPU worker and resumed on a CUDA one
        EngineRegistry.Choice onCuda =
                new EngineRegistry(Backend.CUDA, "auto", 1).choose(CNN, INPUT, CheckpointArchive.read(fast));
        assertThat(onCuda.engine().id()).isEqualTo("dl4j");
    }

    @Test
    void a_batch_normalised_run_resumes_on_the_fast_engine_with_its_running_statistics_and_optimiser_state()
            throws Exception {
        MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(3)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-2))
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .hasBias(false)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(org.nd4j.linalg.activations.Activation.RELU)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder()
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                        .nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                        .build())
                .setInputType(INPUT)
                .build();
        java.util.Random rnd = new java.util.Random(4);
        float[] x = new float[16 * 784];
        int[] y = new int[16];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(10);
        }
        EngineRegistry cpu = new EngineRegistry(Backend.CPU, "auto", 2);
        Path checkpoint = dir.resolve("bn.zip");
        try (Engine e = cpu.create(conf, INPUT, 16)) {
            assertThat(e.description()).startsWith("fast (").doesNotContain("passed over");
            for (int step = 0; step < 5; step++) {
                e.fit(x, y, 16);
            }
            e.save(checkpoint);
            float[] before = e.predict(x, 16);
            try (Engine resumed = cpu.resume(checkpoint, INPUT, 16)) {
                assertThat(resumed.description()).startsWith("fast (");
                // inference uses the running mean and variance: the same only if the checkpoint kept them
                float[] after = resumed.predict(x, 16);
                for (int i = 0; i < before.length; i++) {
                    assertThat(after[i]).isCloseTo(before[i], org.assertj.core.api.Assertions.within(1e-5f));
                }
                // one more step on both: the same only if Adam's moments and step came back too
                e.fit(x, y, 16);
                resumed.fit(x, y, 16);
                float[] a = e.predict(x, 16);
                float[] b = resumed.predict(x, 16);
                for (int i = 0; i < a.length; i++) {
                    assertThat(b[i]).isCloseTo(a[i], org.assertj.core.api.Assertions.within(1e-4f));
                }
            }
        }
    }
}
