package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.DataSpec;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import io.sweeplab.worker.data.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin author's CNN with a layer the fast engine does not run ({@code LocalResponseNormalization}), trained on
 * a small subset of the real data: it trains on DL4J, and both the run's device and the worker log say why.
 */
class UnsupportedLayerTrainingTest {

    /** The lab's first convolution and pooling with a local response normalisation between them. */
    static final String LRN_NET = """
            package com.acme.lrn;
            import io.sweeplab.plugin.api.*;
            import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
            import org.deeplearning4j.nn.conf.inputs.InputType;
            import org.deeplearning4j.nn.conf.layers.*;
            import org.nd4j.linalg.activations.Activation;
            import org.nd4j.linalg.learning.config.Adam;
            import org.nd4j.linalg.lossfunctions.LossFunctions;
            public class LrnNet implements Architecture {
                public String id() { return "acme-lrn"; }
                public String label() { return "Acme CNN with LRN"; }
                public String version() { return "1.0"; }
                public ModelConfiguration build(Params p, BuildContext c) {
                    return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                            .seed(c.seed())
                            .updater(new Adam(c.learningRate()))
                            .list()
                            .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                            .layer(new LocalResponseNormalization.Builder().build())
                            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                                    .kernelSize(2, 2).stride(2, 2).build())
                            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                    .nOut(c.numClasses()).activation(Activation.SOFTMAX).build())
                            .setInputType(InputType.convolutionalFlat(c.height(), c.width(), c.channels()))
                            .build());
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void a_cnn_with_a_layer_the_fast_engine_lacks_trains_on_dl4j_and_the_run_and_the_log_say_why() throws Exception {
        PluginJarBuilder.create("acme-lrn")
                .descriptor("acme-lrn", "1.0", "[1,2)")
                .source("com.acme.lrn.LrnNet", LRN_NET)
                .service(Architecture.class, "com.acme.lrn.LrnNet")
                .build(dir.resolve("plugins"));
        PluginRegistry plugins =
                new PluginLoader(Duration.ofSeconds(10)).load(getClass().getClassLoader(), dir.resolve("plugins"));
        Trainer trainer = new Trainer(() -> plugins, Duration.ofSeconds(10), "auto", 2);
        RunSpec spec = new RunSpec(
                1,
                "acme-lrn",
                Map.of(),
                1,
                32,
                0.001,
                42,
                List.of(),
                List.of(),
                new DataSpec(500, 100, "first", 0),
                false,
                null);

        List<String> log = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                log.add(record.getLevel() + " " + new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jul = Logger.getLogger(Trainer.class.getName());
        jul.addHandler(capture);
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        TrainingOutcome out;
        try {
            out = trainer.train(1234, spec, TestData.loaded(), dir.resolve("checkpoints"), Optional.empty(), r);
        } finally {
            jul.removeHandler(capture);
        }

        assertThat(out.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(out.testAccuracy()).isGreaterThan(0.3);
        assertThat(r.device)
                .startsWith("cpu: ")
                .contains(", dl4j engine (passed over: fast: ")
                .contains("LocalResponseNormalization");
        assertThat(log)
                .filteredOn(line -> line.contains("SWL-WORKER-027"))
                .containsExactly("INFO SWL-WORKER-027 run 1234 trains on " + r.device);
    }
}
