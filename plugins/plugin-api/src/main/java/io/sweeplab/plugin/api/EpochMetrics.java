package io.sweeplab.plugin.api;

/**
 * The metrics of one finished epoch. Validation values are {@link Double#NaN} when the run has no validation set.
 *
 * @param epoch the 1-based epoch number
 * @param trainLoss the mean training loss over the epoch's mini-batches
 * @param trainAccuracy the training accuracy over the epoch, 0..1
 * @param valLoss the loss on the validation set after the epoch
 * @param valAccuracy the accuracy on the validation set after the epoch, 0..1
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy) {}
