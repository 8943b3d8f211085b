package io.sweeplab.core.run;

/**
 * The measurements of one finished epoch. Validation is on the test set, as in the lab.
 *
 * @param seconds wall time of the epoch's training (without validation)
 * @param imagesPerSecond training throughput of the epoch
 */
public record EpochMetric(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double valLoss,
        double valAccuracy,
        double seconds,
        double imagesPerSecond) {}
