package io.sweeplab.worker.train;

import io.sweeplab.core.run.RunStatus;

/**
 * How training ended (a failure is an exception instead).
 *
 * @param status succeeded, stopped or cancelled
 * @param stoppedBy the callback that stopped the run
 * @param stoppedEpoch the epoch after which it stopped (or was cancelled)
 * @param weightsEpoch the epoch whose checkpoint holds the weights the run ended with (0 if none)
 */
public record TrainingOutcome(
        RunStatus status,
        String stopReason,
        String stoppedBy,
        Integer stoppedEpoch,
        Double testLoss,
        Double testAccuracy,
        int weightsEpoch) {}
