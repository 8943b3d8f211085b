package io.sweeplab.core.sweep;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.RunSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Persistence of sweeps: a sweep and all its runs are stored in one transaction. */
public interface SweepStore {

    /** A run of a sweep: its validated spec and the grid values of its cell. */
    record PlannedRun(RunSpec spec, Map<String, Object> cell) {}

    /**
     * A trial of a search to store: its configuration, and the spec of the run that trains it or why the platform
     * refused it.
     */
    record NewTrial(Map<String, Object> params, RunSpec spec, String error) {}

    /** A search sweep as its driver sees it with the sweep's row locked: the sweep with its runs and their metrics. */
    record Locked(Sweep sweep, Map<Long, List<EpochMetric>> metrics) {}

    /**
     * What the driver decides: the trials to add (numbered after the last), and why the search ends, or null.
     */
    record Plan(List<NewTrial> trials, String ended) {
        public static final Plan NOTHING = new Plan(List.of(), null);
    }

    long create(
            long experiment,
            String name,
            Map<String, Object> base,
            Map<String, List<Object>> grid,
            String template,
            List<PlannedRun> runs);

    /** Stores a search sweep (its trials, runs and the search's end are ignored) and its first trials. */
    long createSearch(
            long experiment,
            String name,
            Map<String, Object> base,
            Search search,
            String template,
            List<NewTrial> first);

    /**
     * In one transaction: locks the search sweep's row, skipping a sweep someone else holds; hands the planner the
     * sweep with its runs and metrics; stores the trials it plans, with their runs and jobs queued; records why the
     * search ended.
     *
     * @return the trials added; none when the sweep is locked elsewhere, gone, not a search, or the plan adds none
     */
    List<NewTrial> advance(long id, Function<Locked, Plan> planner);

    /** The search sweeps that may still propose trials: not cancelled, their search not ended. */
    List<Long> searching();

    /** The sweep a run belongs to, if any. */
    Optional<Long> sweepOfRun(long run);

    /**
     * Asks a running run to stop for a scheduler: its worker stops it as it stops a cancelled one, and the run ends
     * as stopped by {@code by} for {@code reason}.
     *
     * @return whether the run was running and not already asked to stop or cancel
     */
    boolean requestStop(long run, String by, String reason);

    /**
     * Queues every failed or cancelled run of the sweep again from scratch (metrics, checkpoints and artifacts
     * dropped), and lifts the sweep's cancel.
     *
     * @return the runs queued again
     */
    List<Long> rerun(long id);

    /**
     * Gives a search room for more trials, restarts its time budget, and lets it propose again, unless its budget
     * would pass {@code maxRuns} (checked in the same statement, so two extensions at once cannot pass it).
     *
     * @return whether it was extended
     */
    boolean extend(long id, int trials, int maxRuns);

    Optional<Sweep> find(long id);

    /** Sweeps (without their runs) of one experiment, or all when null, in the given teams (all when null). */
    List<Sweep> list(Long experiment, java.util.Set<String> teams);

    /** Deletes a sweep and its runs; @return whether it existed */
    boolean delete(long id);

    /** Cancels the queued runs, asks the running ones to stop; returns the ids of those running. */
    List<Long> cancel(long id);
}
