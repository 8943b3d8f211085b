package io.sweeplab.core.launch;

import io.sweeplab.plugin.api.WorkerRequest.Kind;
import java.util.List;
import java.util.Set;

/** The launches the platform made, and their worker tokens (stored as hashes only). */
public interface LaunchStore {

    /** A new launch, {@link LaunchState#SUBMITTING}, with the hash of its token; its token works from now on. */
    Launch create(String launcher, Kind kind, Long team, byte[] tokenHash);

    /**
     * The engine took it.
     *
     * @return false when the launch is no longer being submitted (ended meanwhile)
     */
    boolean submitted(long id, String externalId, String workerName);

    /** The engine's latest word on a launch not ended. */
    void status(long id, LaunchState state, String detail);

    /**
     * The launch ended: its token is revoked in the same statement, and the leases its worker held expire at once
     * (the reaper hands those jobs on as for any dead worker).
     *
     * @param byPlatform the platform ended it (a cancel of its own, a launch left mid-submission), not the engine
     * @return whether it was not ended before
     */
    boolean end(long id, String detail, boolean byPlatform);

    /** A launcher's latest ended launches, newest first: when each ended and whether a worker registered with it. */
    List<Ended> lastEnded(String launcher, int limit);

    /** An ended launch: whether its worker ever registered, and whether the platform ended it. */
    record Ended(long id, java.time.Instant endedAt, boolean registered, boolean byPlatform) {}

    /** One launch, ended or not. */
    java.util.Optional<Launch> launch(long id);

    /** Launches not ended, oldest first. */
    List<Launch> active();

    /** The latest launches, newest first. */
    List<Launch> recent(int limit);

    /**
     * What waits and who is busy, for one round.
     *
     * @param team the team whose queued jobs count, or null for every team's
     * @param except teams whose jobs do not count (with {@code team} null: those with launchers of their own)
     */
    Demand demand(Long team, java.util.Set<Long> except);

    /**
     * @param queuedCpu jobs queued that any worker may take (of the team, when the launcher has one)
     * @param queuedGpu queued jobs that need a GPU
     * @param busy the launches whose worker holds at least one job
     */
    record Demand(int queuedCpu, int queuedGpu, Set<Long> busy) {
        public int queued(Kind kind) {
            return kind == Kind.GPU ? queuedGpu : queuedCpu;
        }
    }
}
