package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.DatasetContext;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.InputShape;
import io.sweeplab.plugin.api.Params;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a {@link Dataset}: extend it in your tests and return your dataset.
 *
 * <pre>{@code
 * class NoiseTest extends DatasetContract {
 *     protected Dataset dataset() {
 *         return new Noise();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it loads
 * the dataset for the defaults and every bound, as a worker would, and checks that there are at least two distinct,
 * non-blank class names, that both splits hold images with labels among the classes and pixels in [0, 1], that what
 * {@link Dataset#inputShape}, {@link Dataset#trainSize} and {@link Dataset#testSize} declare is what loads, and that
 * a load and a seeded subset are the same twice (runs must be reproducible). A dataset reading a directory given in
 * its parameters gets it through {@link DatasetContext#directory}; override {@link #requiredParams()} to point it at
 * data your test writes (for example with {@link ImageFolders}).
 */
public abstract class DatasetContract extends ExtensionContract<Dataset> {

    /** For subclasses. */
    protected DatasetContract() {}

    /** The dataset under test. */
    protected abstract Dataset dataset();

    @Override
    final Dataset extension() {
        return dataset();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return Dataset.class;
    }

    /**
     * The context the dataset loads with: a fresh cache directory, no settings, and any directory allowed (a worker
     * allows only its dataset roots). Override to give settings.
     */
    protected DatasetContext context() {
        Path cache;
        try {
            cache = Files.createTempDirectory("dataset-contract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DatasetContext() {
            @Override
            public Path cacheDirectory() {
                return cache;
            }

            @Override
            public Optional<String> setting(String name) {
                return Optional.empty();
            }

            @Override
            public Path directory(String path) {
                return Path.of(path).toAbsolutePath().normalize();
            }
        };
    }

    /** Loads for the defaults and every bound: sane classes, splits, pixels, declared shape and sizes, twice alike. */
    @TestFactory
    public Stream<DynamicTest> loadsWhatItDeclaresForTheDefaultsAndEveryBound() {
        return forEachCase("loads", (dataset, params) -> {
            DatasetContent first = load(dataset, params);
            List<String> classes = first.classNames();
            assertTrue(classes.size() >= 2, "a dataset has at least two classes, not " + classes);
            assertEquals(classes.size(), new HashSet<>(classes).size(), "class names repeat: " + classes);
            assertFalse(classes.stream().anyMatch(String::isBlank), "a class name is blank: " + classes);
            check(first.train(), classes.size(), "train");
            check(first.test(), classes.size(), "test");
            ImageSet t = first.train();
            dataset.inputShape(params)
                    .ifPresent(s -> assertEquals(
                            s,
                            new InputShape(t.height(), t.width(), t.channels()),
                            "inputShape() declares " + s + " but the images loaded are " + t.height() + "x" + t.width()
                                    + "x" + t.channels()));
            dataset.trainSize(params)
                    .ifPresent(n -> assertEquals(n, t.size(), "trainSize() declares " + n + " images"));
            dataset.testSize(params)
                    .ifPresent(n -> assertEquals(n, first.test().size(), "testSize() declares " + n + " images"));

            DatasetContent second = load(dataset, params);
            assertEquals(classes, second.classNames(), "a second load has other class names");
            same(first.train(), second.train(), "a second load's training images differ");
            same(first.test(), second.test(), "a second load's test images differ");
            int n = Math.max(1, t.size() / 2);
            same(t.sample(n, 7), t.sample(n, 7), "a seeded subset differs from itself");
        });
    }

    private DatasetContent load(Dataset dataset, Params params) throws Exception {
        DatasetContent content = dataset.load(params, context());
        assertNotNull(content, "load() returned null");
        return content;
    }

    private static void check(ImageSet set, int classes, String split) {
        assertTrue(set.size() > 0, "the " + split + " split is empty");
        assertEquals(set.size(), set.labels().length, "the " + split + " split has a label per image");
        for (int l : set.labels()) {
            assertTrue(
                    l >= 0 && l < classes, "a " + split + " label " + l + " is not among the " + classes + " classes");
        }
        for (float p : set.pixels()) {
            assertTrue(p >= 0 && p <= 1, "a " + split + " pixel is " + p + ", outside [0, 1]");
        }
    }

    private static void same(ImageSet a, ImageSet b, String message) {
        assertEquals(a.size(), b.size(), message);
        assertArrayEquals(a.labels(), b.labels(), message);
        assertArrayEquals(a.pixels(), b.pixels(), message);
    }
}
