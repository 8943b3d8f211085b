package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.DatasetContext;
import io.sweeplab.plugin.api.InputShape;
import io.sweeplab.plugin.api.Params;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Fashion-MNIST, the lab's data and the default of every run: 60,000 training and 10,000 test images of 28 x 28
 * greyscale pixels in ten classes of clothing. Found as {@link FashionMnistLoader} says, with the worker's settings
 * {@code dir} (looked in first), {@code download} (default true) and {@code url}.
 */
public final class FashionMnistDataset implements Dataset {

    public static final String ID = "fashion-mnist";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Fashion-MNIST";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Zalando's 70,000 28x28 greyscale images of clothing in 10 classes (60,000 training, 10,000 test).";
    }

    @Override
    public Optional<InputShape> inputShape(Params params) {
        return Optional.of(new InputShape(28, 28, 1));
    }

    @Override
    public OptionalInt trainSize(Params params) {
        return OptionalInt.of(60_000);
    }

    @Override
    public OptionalInt testSize(Params params) {
        return OptionalInt.of(10_000);
    }

    @Override
    public DatasetContent load(Params params, DatasetContext context) {
        boolean download =
                !context.setting("download").map("false"::equalsIgnoreCase).orElse(false);
        return new FashionMnistLoader(
                        context.setting("dir").filter(d -> !d.isBlank()).map(Path::of),
                        Path.of(FashionMnistLoader.DEBIAN_DIR),
                        context.cacheDirectory(),
                        download
                                ? Optional.of(
                                        context.setting("url").map(URI::create).orElse(FashionMnistLoader.OFFICIAL))
                                : Optional.empty())
                .load();
    }
}
