package io.sweeplab.plugin.api;

/**
 * Watches a run's metrics and may stop it, for example when the training loss falls below a threshold.
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}). For each run that lists
 * the callback, the worker calls {@link #start} once and then feeds the returned session from the training thread
 * only; sessions hold the per-run state and need not be thread-safe. A run resumed from a checkpoint gets a fresh
 * session replayed with the metrics of the epochs already done.
 */
public interface Callback extends Extension {

    /**
     * Begins watching one run.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     */
    CallbackSession start(Params params);
}
