package io.sweeplab.app.queue;

/**
 * Fired by the job queue when a run recorded an epoch or ended; observers that act on it (a search's scheduler and
 * strategy) observe it after the transaction commits.
 *
 * @param epoch the epoch recorded, or 0 when the run ended
 */
public record RunProgress(long run, int epoch, boolean finished) {}
