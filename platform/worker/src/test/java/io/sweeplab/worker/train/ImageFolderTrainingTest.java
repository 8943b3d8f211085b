package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.DataSpec;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.testkit.ImageFolders;
import io.sweeplab.worker.data.DatasetCache;
import io.sweeplab.worker.data.LoadedDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's CNN on an {@code image-folder} dataset written at test time (a few hundred PNGs in class folders): the
 * network takes the dataset's shape and classes, and the visualizers its class names.
 */
class ImageFolderTrainingTest {

    static final List<String> CLASSES = List.of("stripe-top", "stripe-middle", "stripe-bottom");

    static PluginRegistry plugins;

    @TempDir
    static Path images;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void setUp() throws Exception {
        plugins = new PluginLoader(Duration.ofSeconds(10)).load(ImageFolderTrainingTest.class.getClassLoader(), null);
        ImageFolders.trainTest(images.resolve("grey"), CLASSES, 100, 30, 28, false);
        ImageFolders.trainTest(images.resolve("rgb"), CLASSES, 60, 20, 20, true);
    }

    static ExtensionUse dataset(Map<String, Object> params) {
        return new ExtensionUse(
                "image-folder",
                plugins.extension(Dataset.class, "image-folder")
                        .orElseThrow()
                        .params()
                        .validate(params)
                        .params()
                        .asMap());
    }

    static RunSpec spec(ExtensionUse dataset, List<String> visualizers) {
        return new RunSpec(
                1,
                "cnn",
                plugins.extension(Architecture.class, "cnn")
                        .orElseThrow()
                        .params()
                        .validate(Map.of())
                        .params()
                        .asMap(),
                1,
                16,
                0.002,
                42,
                List.of(),
                visualizers.stream()
                        .map(id -> new ExtensionUse(
                                id,
                                plugins.extension(Visualizer.class, id)
                                        .orElseThrow()
                                        .params()
                                        .validate(Map.of())
                                        .params()
                                        .asMap()))
                        .toList(),
                DataSpec.FULL,
                false,
                dataset);
    }

    TrainingOutcome train(RunSpec spec, TrainerTest.Recorder r) throws Exception {
        LoadedDataset data = new DatasetCache(
                        plugins, checkpoints.resolve("datasets"), Map.of("roots", images.toString()))
                .get(spec.dataset());
        return new Trainer(() -> plugins, Duration.ofSeconds(10), "auto", 2)
                .train(1, spec, data, checkpoints, Optional.empty(), r);
    }

    @Test
    void the_cnn_learns_a_generated_image_folder_and_the_confusion_matrix_names_its_classes() throws Exception {
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        TrainingOutcome out = train(
                spec(
                        dataset(Map.of("directory", images.resolve("grey").toString())),
                        List.of("confusion-matrix", "activations")),
                r);

        assertThat(out.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.device).contains("fast"); // one channel: the fast engine applies
        assertThat(r.summary.layers().get(r.summary.layers().size() - 1).outputShape())
                .containsExactly(3);
        assertThat(out.testAccuracy()).isGreaterThan(0.9);
        assertThat(r.dataset.id()).isEqualTo("image-folder");
        assertThat(List.of(r.dataset.train(), r.dataset.test(), r.dataset.classes()))
                .containsExactly(300, 90, 3);
        assertThat(r.dataset.sha256()).matches("[0-9a-f]{64}");

        Artifact.Tensors confusion = (Artifact.Tensors) r.artifacts.get(0);
        List<String> sorted = List.of("stripe-bottom", "stripe-middle", "stripe-top");
        assertThat(confusion.tensors().get(0).shape()).containsExactly(3, 3);
        assertThat(confusion.tensors().get(0).axes())
                .extracting(Tensor.Axis::labels)
                .containsExactly(sorted, sorted);
        float total = 0;
        for (float v : confusion.tensors().get(0).data()) {
            total += v;
        }
        assertThat(total).isEqualTo(90);
    }

    @Test
    void rgb_images_train_on_the_fast_engine() throws Exception {
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        TrainingOutcome out = train(
                spec(
                        dataset(Map.of("directory", images.resolve("rgb").toString(), "size", 20, "channels", "3")),
                        List.of("misclassified", "confusion-matrix")),
                r);

        assertThat(out.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.device).matches(".*fast \\(simd-\\d+bit\\) engine");
        assertThat(r.summary.totalParams()).isPositive();
        assertThat(List.of(r.dataset.height(), r.dataset.width(), r.dataset.channels()))
                .containsExactly(20, 20, 3);
        Tensor wrong = ((Artifact.Tensors) r.artifacts.get(0)).tensors().get(0);
        assertThat(wrong.axes()).extracting(Tensor.Axis::name).containsExactly("image", "channel", "y", "x");
        assertThat(wrong.shape()[1]).isEqualTo(3);
        assertThat(((Artifact.Tensors) r.artifacts.get(1))
                        .tensors()
                        .get(0)
                        .axes()
                        .get(0)
                        .labels())
                .containsExactly("stripe-bottom", "stripe-middle", "stripe-top");
    }
}
