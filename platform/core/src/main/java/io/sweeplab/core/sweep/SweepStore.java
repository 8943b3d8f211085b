package io.sweeplab.core.sweep;

import io.sweeplab.core.run.RunSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of sweeps: a sweep and all its runs are stored in one transaction. */
public interface SweepStore {

    /** A run of a sweep: its validated spec and the grid values of its cell. */
    record PlannedRun(RunSpec spec, Map<String, Object> cell) {}

    long create(
            long experiment,
            String name,
            Map<String, Object> base,
            Map<String, List<Object>> grid,
            String template,
            List<PlannedRun> runs);

    Optional<Sweep> find(long id);

    /** Sweeps (without their runs) of one experiment, or all when null, in the given teams (all when null). */
    List<Sweep> list(Long experiment, java.util.Set<String> teams);

    /** Deletes a sweep and its runs; @return whether it existed */
    boolean delete(long id);

    /** Cancels the queued runs, asks the running ones to stop; returns the ids of those running. */
    List<Long> cancel(long id);
}
