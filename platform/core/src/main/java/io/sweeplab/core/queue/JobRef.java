package io.sweeplab.core.queue;

/**
 * A worker's hold on a run: the run and the attempt number of its lease, the fencing token of every write.
 */
public record JobRef(long run, int attempt) {}
