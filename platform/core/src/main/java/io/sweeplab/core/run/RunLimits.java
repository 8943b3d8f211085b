package io.sweeplab.core.run;

/**
 * What one team may ask of the shared workers.
 *
 * @param maxMemoryBytes the most memory one run may need by its {@link MemoryEstimate}: what the largest worker can
 *     hold ({@code sweeplab.runs.max-memory})
 * @param maxQueuedPerTeam the most runs one team may have queued at once ({@code sweeplab.team.max-queued-runs})
 */
public record RunLimits(long maxMemoryBytes, int maxQueuedPerTeam) {

    public RunLimits {
        if (maxMemoryBytes < 1 || maxQueuedPerTeam < 1) {
            throw new IllegalArgumentException("run limits must be positive");
        }
    }
}
