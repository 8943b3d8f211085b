package io.sweeplab.core.queue;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The workers as users see them, and their pausing by administrators; the REST API and the dashboard share it. */
public final class WorkerService {

    private final WorkerRegistry registry;
    private final BiFunction<Caller, List<Long>, List<Long>> visibleRuns;
    private final AuditLog audit;
    private final Runnable wakeWorkers;

    /**
     * @param visibleRuns those of a worker's runs that a caller may see (the runs of their teams)
     * @param wakeWorkers called after a worker is resumed, so that it claims at once
     */
    public WorkerService(
            WorkerRegistry registry,
            BiFunction<Caller, List<Long>, List<Long>> visibleRuns,
            AuditLog audit,
            Runnable wakeWorkers) {
        this.registry = registry;
        this.visibleRuns = visibleRuns;
        this.audit = audit;
        this.wakeWorkers = wakeWorkers;
    }

    /**
     * A worker as one user sees it.
     *
     * @param worker the worker, listing only the jobs of the user's teams
     * @param otherJobs how many jobs of other teams it holds besides
     */
    public record Seen(WorkerInfo worker, int otherJobs) {}

    /** Every worker, as the caller sees it. */
    public List<Seen> list(Caller caller) {
        return registry.workers().stream().map(w -> seen(caller, w)).toList();
    }

    private Seen seen(Caller caller, WorkerInfo w) {
        List<Long> mine = visibleRuns.apply(caller, w.jobs());
        return new Seen(w.withJobs(mine), w.jobs().size() - mine.size());
    }

    /**
     * Pauses or resumes a worker, embedded or remote (see {@link WorkerRegistry#setPaused}).
     *
     * @throws io.sweeplab.core.error.ForbiddenException unless the caller is an administrator with a write credential
     * @throws NotFoundException when there is no such worker
     */
    public WorkerInfo pause(Caller caller, String id, boolean paused) {
        caller.requireAdmin();
        WorkerInfo w =
                registry.setPaused(id, paused).orElseThrow(() -> new NotFoundException("no worker '" + id + "'"));
        audit.record(caller.name(), paused ? "worker-pause" : "worker-resume", null, "worker " + id, Map.of());
        if (!paused) {
            wakeWorkers.run();
        }
        return seen(caller, w).worker();
    }
}
