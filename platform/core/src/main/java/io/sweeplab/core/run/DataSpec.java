package io.sweeplab.core.run;

/**
 * Which part of its dataset ({@link RunSpec#dataset()}) a run trains and evaluates on.
 *
 * @param trainLimit number of training images; 0 for all (60,000 of Fashion-MNIST)
 * @param testLimit number of test images (also the validation set, as in the lab); 0 for all (10,000 of
 *     Fashion-MNIST)
 * @param sampling {@code first}: the first N images; {@code random}: N images drawn with {@code sampleSeed}
 * @param sampleSeed the seed of a random subset
 */
public record DataSpec(int trainLimit, int testLimit, String sampling, long sampleSeed) {
    public static final DataSpec FULL = new DataSpec(0, 0, "first", 0);
}
