package io.sweeplab.app.run;

import io.sweeplab.core.run.Overfitting;

/**
 * What a run's epochs say about overfitting, as the API shows it; accuracies and gaps are fractions (0.01 is one
 * point).
 *
 * @param bestValEpoch the epoch of the best validation accuracy
 * @param bestValAccuracy that accuracy
 * @param onset the epoch after which validation never improved again while training did; null when the run does not
 *     overfit
 * @param finalGap training minus validation accuracy at the last epoch
 * @param bestMinusLast the best validation accuracy minus the last one
 */
public record OverfittingView(
        int bestValEpoch, double bestValAccuracy, Integer onset, double finalGap, double bestMinusLast) {

    /** @return null for null: a run without an epoch */
    public static OverfittingView of(Overfitting o) {
        return o == null
                ? null
                : new OverfittingView(
                        o.bestValEpoch(),
                        o.bestValAccuracy(),
                        o.onset().isPresent() ? o.onset().getAsInt() : null,
                        o.finalGap(),
                        o.bestMinusLast());
    }
}
