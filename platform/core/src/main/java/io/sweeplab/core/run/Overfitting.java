package io.sweeplab.core.run;

import java.util.List;
import java.util.OptionalInt;

/**
 * Reading a run's curves the way the lab asks: where does validation stop improving while training still does, and
 * how far apart are they at the end.
 *
 * @param onset the epoch after which validation accuracy never improved again while training accuracy did (the
 *     best validation epoch), empty when there is no such epoch
 * @param bestValEpoch the epoch of the best validation accuracy
 * @param bestValAccuracy that accuracy
 * @param finalGap training minus validation accuracy at the last epoch
 * @param bestMinusLast the best validation accuracy minus the last one: what training on after the best epoch cost
 */
public record Overfitting(
        OptionalInt onset, int bestValEpoch, double bestValAccuracy, double finalGap, double bestMinusLast) {

    /** @param epochs one metric per finished epoch, in order; empty gives no onset and zeros */
    public static Overfitting of(List<EpochMetric> epochs) {
        if (epochs.isEmpty()) {
            return new Overfitting(OptionalInt.empty(), 0, 0, 0, 0);
        }
        EpochMetric best = epochs.get(0);
        for (EpochMetric m : epochs) {
            if (m.valAccuracy() > best.valAccuracy()) {
                best = m;
            }
        }
        EpochMetric last = epochs.get(epochs.size() - 1);
        boolean trainStillImproves = last.epoch() > best.epoch() && last.trainAccuracy() > best.trainAccuracy();
        return new Overfitting(
                trainStillImproves ? OptionalInt.of(best.epoch()) : OptionalInt.empty(),
                best.epoch(),
                best.valAccuracy(),
                last.trainAccuracy() - last.valAccuracy(),
                best.valAccuracy() - last.valAccuracy());
    }
}
