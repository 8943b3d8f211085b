package io.sweeplab.plugin.api;

/** The per-run state of a {@link Callback}; every method is called from the run's training thread. */
public interface CallbackSession {

    /**
     * Called after each iteration (mini-batch); keep it cheap. Stopping here ends the run without finishing the
     * epoch.
     *
     * @param epoch the 1-based epoch in progress
     * @param iteration the 0-based iteration within the epoch
     * @param loss the mini-batch's training loss
     */
    default Decision onIteration(int epoch, int iteration, double loss) {
        return Decision.proceed();
    }

    /** Called after each epoch, once its training and validation metrics are known. */
    default Decision onEpochEnd(EpochMetrics metrics) {
        return Decision.proceed();
    }
}
