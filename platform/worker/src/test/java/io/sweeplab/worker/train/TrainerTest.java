package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.DataSpec;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.worker.data.LoadedDataset;
import io.sweeplab.worker.data.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real training of the lab's networks on small deterministic subsets of the real data, with the fast engine
 * ({@code auto}); {@link Dl4jEngineTrainerTest} runs the same tests on DL4J's own.
 */
class TrainerTest {

    static PluginRegistry plugins;
    static LoadedDataset data;
    Trainer trainer;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void setUp() {
        plugins = new PluginLoader(Duration.ofSeconds(10)).load(TrainerTest.class.getClassLoader(), null);
        data = TestData.loaded();
    }

    String engine() {
        return "auto";
    }

    @org.junit.jupiter.api.BeforeEach
    void trainer() {
        trainer = new Trainer(() -> plugins, Duration.ofSeconds(10), engine(), 2);
    }

    static class Recorder implements TrainingReporter {
        String device;
        ModelSummary summary;
        DatasetProvenance dataset;
        final List<EpochMetric> epochs = new ArrayList<>();
        final List<Integer> checkpointEpochs = new ArrayList<>();
        final List<Artifact> artifacts = new ArrayList<>();
        int cancelAfterPolls = Integer.MAX_VALUE;
        int polls;

        @Override
        public void started(String device, ModelSummary summary, DatasetProvenance dataset) {
            this.device = device;
            this.summary = summary;
            this.dataset = dataset;
        }

        @Override
        public void epoch(EpochMetric metric) {
            epochs.add(metric);
        }

        @Override
        public void checkpoint(int epoch, Path file) {
            checkpointEpochs.add(epoch);
            assertThat(file).exists();
        }

        @Override
        public void artifact(Artifact artifact) {
            artifacts.add(artifact);
        }

        @Override
        public boolean cancelRequested() {
            return ++polls > cancelAfterPolls;
        }
    }

    static RunSpec spec(
            String arch, Map<String, Object> params, int epochs, int train, int test, List<ExtensionUse> callbacks) {
        return spec(arch, params, epochs, train, test, callbacks, List.of("activations"));
    }

    /** The visualizers of this module's class path, in their registration order. */
    static final List<String> BUILT_IN_VISUALIZERS =
            List.of("activations", "confusion-matrix", "misclassified", "filters", "per-class-accuracy");

    static RunSpec spec(
            String arch,
            Map<String, Object> params,
            int epochs,
            int train,
            int test,
            List<ExtensionUse> callbacks,
            List<String> visualizers) {
        var archParams = plugins.extension(io.sweeplab.plugin.api.Architecture.class, arch)
                .orElseThrow()
                .params()
                .validate(params)
                .params()
                .asMap();
        List<ExtensionUse> visualizerUses = visualizers.stream()
                .map(id -> new ExtensionUse(
                        id,
                        plugins.extension(io.sweeplab.plugin.api.Visualizer.class, id)
                                .orElseThrow()
                                .params()
                                .validate(Map.of())
                                .params()
                                .asMap()))
                .toList();
        List<ExtensionUse> cbs = callbacks.stream()
                .map(c -> new ExtensionUse(
                        c.id(),
                        plugins.extension(io.sweeplab.plugin.api.Callback.class, c.id())
                                .orElseThrow()
                                .params()
                                .validate(c.params())
                                .params()
                                .asMap()))
                .toList();
        return new RunSpec(
                1,
                arch,
                archParams,
                epochs,
                32,
                0.001,
                42,
                cbs,
                visualizerUses,
                new DataSpec(train, test, "first", 0),
                false,
                null);
    }

    @Test
    void dense_learns_and_reports_every_epoch() throws Exception {
        Recorder r = new Recorder();
        TrainingOutcome out = trainer.train(
                1, spec("dense", Map.of(), 2, 3000, 1000, List.of()), data, checkpoints, Optional.empty(), r);

        assertThat(out.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.device)
                .matches(engine().equals("auto") ? "cpu: .*, fast \\(simd-\\d+bit\\) engine" : "cpu: .*, dl4j engine");
        assertThat(r.summary.totalParams()).isEqualTo(101_770);
        // a spec naming no dataset trains on Fashion-MNIST, and the run records what was loaded
        assertThat(r.dataset.id()).isEqualTo("fashion-mnist");
        assertThat(r.dataset.version()).isEqualTo("1.0.0");
        assertThat(r.dataset.sha256()).matches("[0-9a-f]{64}");
        assertThat(List.of(r.dataset.height(), r.dataset.width(), r.dataset.channels(), r.dataset.classes()))
                .containsExactly(28, 28, 1, 10);
        assertThat(List.of(r.dataset.train(), r.dataset.test())).containsExactly(60_000, 10_000);
        assertThat(r.summary.layers())
                .extracting(ModelSummary.Layer::type)
                .containsExactly("Flatten", "Dense", "Dense");
        assertThat(r.summary.layers())
                .extracting(ModelSummary.Layer::outputShape)
                .containsExactly(List.of(784), List.of(128), List.of(10));
        assertThat(r.epochs).extracting(EpochMetric::epoch).containsExactly(1, 2);
        assertThat(r.checkpointEpochs).containsExactly(1, 2);
        EpochMetric e1 = r.epochs.get(0);
        EpochMetric e2 = r.epochs.get(1);
        assertThat(e2.trainLoss()).isLessThan(e1.trainLoss());
        assertThat(e2.trainAccuracy()).isGreaterThan(0.7);
        assertThat(e2.valAccuracy()).isGreaterThan(0.7);
        assertThat(e2.imagesPerSecond()).isPositive();
        assertThat(out.testAccuracy()).isEqualTo(e2.valAccuracy());
        // The dense net has no spatial layer, so its activation artifact holds no maps.
        assertThat(((Artifact.Tensors) r.artifacts.get(0)).tensors()).isEmpty();
    }

    @Test
    void cnn_summary_and_activation_maps_of_the_lab_images() throws Exception {
        Recorder r = new Recorder();
        TrainingOutcome out = trainer.train(
                2, spec("cnn", Map.of(), 1, 1000, 300, List.of()), data, checkpoints, Optional.empty(), r);

        assertThat(out.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.summary.totalParams()).isEqualTo(113_386);
        assertThat(r.summary.layers())
                .extracting(ModelSummary.Layer::name)
                .containsExactly(
                        "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "flatten", "dense", "dense_out");
        assertThat(r.summary.layers())
                .extracting(ModelSummary.Layer::outputShape)
                .containsExactly(
                        List.of(26, 26, 32),
                        List.of(13, 13, 32),
                        List.of(11, 11, 32),
                        List.of(5, 5, 32),
                        List.of(800),
                        List.of(128),
                        List.of(10));
        assertThat(r.summary.layers())
                .extracting(ModelSummary.Layer::params)
                .containsExactly(320L, 0L, 9248L, 0L, 0L, 102_528L, 1290L);

        Artifact.Tensors maps = (Artifact.Tensors) r.artifacts.get(0);
        assertThat(maps.attributes()).containsEntry("images", "0,23,28");
        assertThat(maps.tensors())
                .extracting(Tensor::name)
                .containsExactly("conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2");
        assertThat(maps.tensors())
                .extracting(t -> List.of(t.shape()[0], t.shape()[1], t.shape()[2], t.shape()[3]))
                .containsExactly(
                        List.of(3, 32, 26, 26), List.of(3, 32, 13, 13), List.of(3, 32, 11, 11), List.of(3, 32, 5, 5));
        float max = 0;
        for (float v : maps.tensors().get(0).data()) {
            assertThat(v).isGreaterThanOrEqualTo(0f); // ReLU
            max = Math.max(max, v);
        }
        assertThat(max).isPositive();
    }

    @Test
    void the_built_in_visualizers_agree_with_the_runs_test_accuracy() throws Exception {
        Recorder r = new Recorder();
        TrainingOutcome out = trainer.train(
                9,
                spec("cnn", Map.of(), 1, 2000, 500, List.of(), BUILT_IN_VISUALIZERS),
                data,
                checkpoints,
                Optional.empty(),
                r);

        assertThat(out.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.artifacts).extracting(Artifact::name).containsExactlyElementsOf(BUILT_IN_VISUALIZERS);
        Map<String, Artifact> byName = new java.util.HashMap<>();
        r.artifacts.forEach(a -> byName.put(a.name(), a));

        Artifact.Tensors activations = (Artifact.Tensors) byName.get("activations");
        assertThat(activations.tensors().get(0).axes())
                .extracting(Tensor.Axis::name)
                .containsExactly("image", "channel", "y", "x");
        assertThat(activations.tensors().get(0).axes().get(0).labels()).containsExactly("0", "23", "28");

        Artifact.Tensors confusion = (Artifact.Tensors) byName.get("confusion-matrix");
        float[] counts = confusion.tensors().get(0).data();
        int diagonal = 0;
        int total = 0;
        for (int t = 0; t < 10; t++) {
            diagonal += (int) counts[t * 10 + t];
            for (int p = 0; p < 10; p++) {
                total += (int) counts[t * 10 + p];
            }
        }
        assertThat(diagonal).isEqualTo((int) Math.round(out.testAccuracy() * 500));
        assertThat(total).isEqualTo(500);
        assertThat(confusion.tensors().get(0).axes().get(0).labels())
                .containsExactly(
                        "T-shirt/top",
                        "Trouser",
                        "Pullover",
                        "Dress",
                        "Coat",
                        "Sandal",
                        "Shirt",
                        "Sneaker",
                        "Bag",
                        "Ankle boot");

        Artifact.Tensors wrong = (Artifact.Tensors) byName.get("misclassified");
        Tensor images = wrong.tensors().get(0);
        assertThat(images.shape()).containsExactly(Math.min(16, 500 - diagonal), 28, 28);
        assertThat(images.axes().get(0).labels())
                .allSatisfy(l -> assertThat(l).matches("#\\d+ true .+, predicted .+ \\(\\d+%\\)"));

        Artifact.Tensors filters = (Artifact.Tensors) byName.get("filters");
        assertThat(filters.tensors().get(0).shape()).containsExactly(32, 3, 3);

        Artifact.Table perClass = (Artifact.Table) byName.get("per-class-accuracy");
        assertThat(perClass.barColumn()).isEqualTo("accuracy");
        assertThat(perClass.rows().stream().mapToInt(row -> (int) row.get(1)).sum())
                .isEqualTo(500);
        assertThat(perClass.rows().stream().mapToInt(row -> (int) row.get(2)).sum())
                .isEqualTo(diagonal);
    }

    @Test
    void the_built_in_visualizers_run_on_a_dense_network() throws Exception {
        Recorder r = new Recorder();
        trainer.train(
                10,
                spec("dense", Map.of(), 1, 500, 37, List.of(), BUILT_IN_VISUALIZERS),
                data,
                checkpoints,
                Optional.empty(),
                r);

        assertThat(r.artifacts).extracting(Artifact::name).containsExactlyElementsOf(BUILT_IN_VISUALIZERS);
        Artifact.Tensors filters = (Artifact.Tensors) r.artifacts.get(3);
        assertThat(filters.tensors()).isEmpty();
        assertThat(filters.attributes()).containsEntry("note", "this network has no convolution layer");
        assertThat(r.artifacts.get(1).attributes()).containsEntry("testImages", "37");
    }

    @Test
    void loss_threshold_stops_the_run_with_its_reason() throws Exception {
        Recorder r = new Recorder();
        TrainingOutcome out = trainer.train(
                3,
                spec(
                        "dense",
                        Map.of(),
                        5,
                        2000,
                        500,
                        List.of(new ExtensionUse("loss-threshold", Map.of("threshold", 2.5)))),
                data,
                checkpoints,
                Optional.empty(),
                r);

        assertThat(out.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(out.stoppedBy()).isEqualTo("loss-threshold");
        assertThat(out.stoppedEpoch()).isEqualTo(1);
        assertThat(out.stopReason()).matches("training loss \\d\\.\\d{4} fell below 2\\.5000 at epoch 1");
        assertThat(r.epochs).hasSize(1);
    }

    @Test
    void early_stopping_restores_the_best_epoch() throws Exception {
        Recorder r = new Recorder();
        TrainingOutcome out = trainer.train(
                4,
                spec(
                        "dense",
                        Map.of(),
                        5,
                        2000,
                        500,
                        List.of(new ExtensionUse("early-stopping", Map.of("patience", 1, "minDelta", 10.0)))),
                data,
                checkpoints,
                Optional.empty(),
                r);

        assertThat(out.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(out.stoppedEpoch()).isEqualTo(2);
        assertThat(out.stopReason()).endsWith("restored epoch 1");
        assertThat(out.testAccuracy()).isCloseTo(r.epochs.get(0).valAccuracy(), within(1e-9));
        assertThat(out.testLoss()).isCloseTo(r.epochs.get(0).valLoss(), within(1e-4));
    }

    @Test
    void cancel_is_seen_within_an_iteration() throws Exception {
        Recorder r = new Recorder();
        r.cancelAfterPolls = 5;
        TrainingOutcome out = trainer.train(
                5, spec("dense", Map.of(), 3, 2000, 500, List.of()), data, checkpoints, Optional.empty(), r);
        assertThat(out.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(r.polls).isEqualTo(6);
        assertThat(r.epochs).isEmpty();
        assertThat(r.artifacts).isEmpty();
    }

    @Test
    void a_resumed_run_continues_from_its_checkpoint_like_an_uninterrupted_one() throws Exception {
        RunSpec two = spec("dense", Map.of(), 2, 2000, 500, List.of());
        Recorder straight = new Recorder();
        trainer.train(6, two, data, checkpoints.resolve("straight"), Optional.empty(), straight);

        Recorder first = new Recorder();
        trainer.train(
                7,
                spec("dense", Map.of(), 1, 2000, 500, List.of()),
                data,
                checkpoints.resolve("resumed"),
                Optional.empty(),
                first);
        Recorder rest = new Recorder();
        trainer.train(
                7,
                two,
                data,
                checkpoints.resolve("resumed"),
                Optional.of(new Resume(checkpoints.resolve("resumed").resolve("epoch-1.zip"), 1, first.epochs)),
                rest);

        assertThat(rest.epochs).extracting(EpochMetric::epoch).containsExactly(2);
        assertThat(first.epochs.get(0).trainLoss())
                .isCloseTo(straight.epochs.get(0).trainLoss(), within(1e-6));
        assertThat(rest.epochs.get(0).trainLoss())
                .isCloseTo(straight.epochs.get(1).trainLoss(), within(1e-4));
        assertThat(rest.epochs.get(0).valAccuracy())
                .isCloseTo(straight.epochs.get(1).valAccuracy(), within(0.003));
    }

    @Test
    void a_crafted_checkpoint_in_the_runs_folder_is_refused_with_the_reason_and_never_deserialized() throws Exception {
        Recorder first = new Recorder();
        Path dir = checkpoints.resolve("crafted");
        trainer.train(8, spec("dense", Map.of(), 1, 500, 100, List.of()), data, dir, Optional.empty(), first);
        Path file = dir.resolve("epoch-1.zip");
        java.util.Map<String, byte[]> entries = CheckpointArchiveTest.entries(file);
        entries.put("preprocessor.bin", Tripwire.serialized());
        try (java.util.zip.ZipOutputStream out =
                new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        Tripwire.tripped = false;
        Recorder rest = new Recorder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.train(
                        8,
                        spec("dense", Map.of(), 2, 500, 100, List.of()),
                        data,
                        dir,
                        Optional.of(new Resume(file, 1, first.epochs)),
                        rest))
                .isInstanceOf(CheckpointArchive.InvalidCheckpointException.class)
                .hasMessageContaining("preprocessor.bin");
        assertThat(Tripwire.tripped).isFalse();
        assertThat(rest.epochs).isEmpty();
    }
}
