package io.sweeplab.plugin.api;

/**
 * Stops trials of a search sweep early when they look worse than the others, as ASHA or the median stopping rule
 * do.
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}): it must keep no state
 * between calls. The platform asks {@link #decide} on the platform after each epoch a trial records, except its
 * last, with the sweep's trials as the database holds them. A stop reaches the trial's worker at its next
 * iteration; the run ends as {@code stopped}, with {@code stoppedBy} the scheduler's id and the decision's reason,
 * keeping the weights of its last whole epoch (the one judged, or the next when that one ended first); a stopped
 * run is not visualized. A call that throws or hangs is logged and counts as
 * {@link Decision#proceed()}. Register implementations in
 * {@code META-INF/services/io.sweeplab.plugin.api.TrialScheduler}.
 *
 * @since 1.3
 */
public interface TrialScheduler extends Extension {

    /**
     * Whether the trial should go on after the epoch it just recorded.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     * @return {@link Decision#proceed()} or {@link Decision#stop(String)} with a reason naming the rule and the
     *     numbers, for example {@code valAccuracy 0.61 at epoch 2 is below the top 1/3 (0.70) of 6 trials};
     *     {@link Decision#restoreEpoch()} is ignored
     */
    Decision decide(Params params, SchedulerContext context);
}
