package io.sweeplab.worker.smoke;

import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.DataSpec;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.security.SerialFilter;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.data.DatasetCache;
import io.sweeplab.worker.data.LoadedDataset;
import io.sweeplab.worker.train.Backend;
import io.sweeplab.worker.train.Trainer;
import io.sweeplab.worker.train.TrainingOutcome;
import io.sweeplab.worker.train.TrainingReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of the lab CNN on the full Fashion-MNIST on whatever backend the worker was built with, printing the
 * device and engine, images/s and accuracy: {@code bench/gpu-smoke.sh} runs it on a CUDA machine. It exits with
 * status 1 when a CUDA build did not train on the GPU with DL4J (what the run records says otherwise).
 */
public final class GpuSmoke {

    private GpuSmoke() {}

    public static void main(String[] args) throws Exception {
        SerialFilter.install(); // before anything could read a checkpoint
        System.out.println("backend: " + Nd4j.getBackend().getClass().getName());
        System.out.println("environment: " + Nd4j.getExecutioner().getEnvironmentInformation());
        PluginRegistry plugins = new PluginLoader(Duration.ofSeconds(10)).load(GpuSmoke.class.getClassLoader(), null);
        Trainer trainer = new Trainer(
                () -> plugins,
                Duration.ofSeconds(30),
                "auto",
                Runtime.getRuntime().availableProcessors());
        LoadedDataset data = new DatasetCache(
                        plugins,
                        Path.of("target", "datasets"),
                        Optional.ofNullable(System.getenv("SWEEPLAB_DATASET_DIR"))
                                .map(d -> Map.of("dir", d))
                                .orElse(Map.of()))
                .get(new ExtensionUse(RunSpec.DEFAULT_DATASET, Map.of()));
        Architecture cnn = plugins.extension(Architecture.class, "cnn").orElseThrow();
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        RunSpec spec = new RunSpec(
                0,
                "cnn",
                cnn.params().validate(Map.of()).params().asMap(),
                1,
                batch,
                1e-3,
                42,
                List.of(),
                List.of(),
                DataSpec.FULL,
                false,
                null);
        Path dir = Files.createTempDirectory("gpu-smoke");
        String[] recorded = new String[1];
        TrainingOutcome out = trainer.train(0, spec, data, dir, Optional.empty(), new TrainingReporter() {
            @Override
            public void started(String device, ModelSummary summary, DatasetProvenance dataset) {
                recorded[0] = device;
                System.out.println("device: " + device + "; parameters: " + summary.totalParams());
            }

            @Override
            public void epoch(EpochMetric m) {
                System.out.printf(
                        "epoch %d: %.0f images/s, %.1f s; train accuracy %.4f; test accuracy %.4f%n",
                        m.epoch(), m.imagesPerSecond(), m.seconds(), m.trainAccuracy(), m.valAccuracy());
            }

            @Override
            public void checkpoint(int epoch, Path file) {}

            @Override
            public void artifact(Artifact artifact) {}

            @Override
            public boolean cancelRequested() {
                return false;
            }
        });
        System.out.println("outcome: " + out.status().jsonName() + ", test accuracy " + out.testAccuracy());
        Optional<String> wrong = notOnTheGpu(Backend.detect(), recorded[0]);
        if (wrong.isPresent()) {
            System.out.println("FAILED: " + wrong.get());
            System.exit(1);
        }
    }

    /** Why a run with this recorded device did not train as a worker of this backend should, or empty. */
    static Optional<String> notOnTheGpu(Backend backend, String device) {
        if (backend == Backend.CUDA && !(device.startsWith("cuda: ") && device.contains(", dl4j engine"))) {
            return Optional.of("a CUDA build must train with DL4J on the GPU, but the run recorded: " + device);
        }
        return Optional.empty();
    }
}
