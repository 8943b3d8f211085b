package com.acme.sweeplab;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.DatasetContext;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.InputShape;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Generated greyscale images of stripes, the class being their direction (horizontal, vertical, diagonal,
 * anti-diagonal), with noise: a dataset that needs no files, so it shows the extension point alone. Everything it
 * declares (shape, sizes) it knows from its parameters, so the platform checks a launch against them.
 */
public final class Stripes implements Dataset {

    static final List<String> CLASSES = List.of("horizontal", "vertical", "diagonal", "anti-diagonal");

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofInt("size", 28, 8, 64, "Side of the square images, in pixels"),
            ParamSpec.ofInt("train", 2000, 4, 10_000, "Training images"),
            ParamSpec.ofInt("test", 400, 4, 10_000, "Test images"),
            ParamSpec.ofDouble("noise", 0.2, 0.0, 1.0, "Standard deviation of the pixel noise"),
            ParamSpec.ofInt("seed", 1, 0, Integer.MAX_VALUE, "Seed of the generator: the same seed, the same images"));

    @Override
    public String id() {
        return "acme-stripes";
    }

    @Override
    public String label() {
        return "Stripes (generated)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Noisy stripes in four directions, generated from a seed; no files needed.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public Optional<InputShape> inputShape(Params params) {
        int side = params.getInt("size");
        return Optional.of(new InputShape(side, side, 1));
    }

    @Override
    public OptionalInt trainSize(Params params) {
        return OptionalInt.of(params.getInt("train"));
    }

    @Override
    public OptionalInt testSize(Params params) {
        return OptionalInt.of(params.getInt("test"));
    }

    @Override
    public DatasetContent load(Params params, DatasetContext context) {
        int side = params.getInt("size");
        double noise = params.getDouble("noise");
        Random rnd = new Random(params.getInt("seed"));
        return new DatasetContent(
                CLASSES,
                images(params.getInt("train"), side, noise, rnd),
                images(params.getInt("test"), side, noise, rnd));
    }

    private static ImageSet images(int n, int side, double noise, Random rnd) {
        float[] pixels = new float[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES.size();
            labels[i] = c;
            int phase = rnd.nextInt(4);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int t = switch (c) {
                        case 0 -> y;
                        case 1 -> x;
                        case 2 -> x + y;
                        default -> x - y + side;
                    };
                    double v = ((t + phase) / 2) % 2 == 0 ? 0.9 : 0.1;
                    v += noise * rnd.nextGaussian();
                    pixels[(i * side + y) * side + x] = (float) Math.max(0, Math.min(1, v));
                }
            }
        }
        return new ImageSet(n, side, side, pixels, labels);
    }
}
