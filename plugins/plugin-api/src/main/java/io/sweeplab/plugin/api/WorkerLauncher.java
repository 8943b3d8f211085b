package io.sweeplab.plugin.api;

import java.util.List;
import java.util.Map;

/**
 * Starts workers on a cluster engine (Slurm, Kubernetes, ...) when jobs wait, so nobody starts workers by hand.
 *
 * <p><b>What the platform does and what a launcher does.</b> The platform decides how many workers to run: it counts
 * the queued jobs of each kind (CPU, GPU) and the workers it launched that are not busy, and asks for the difference,
 * up to the configured most. For each worker it makes a <em>worker token of its own</em>, valid only for that launch
 * and revoked when the launch ends, and hands it to {@link #launch} in {@link WorkerRequest#environment()}. A
 * launcher only translates: submit one worker that runs {@link WorkerRequest#command()} with that environment and
 * those resources, report the state of the workers it submitted, cancel one. It must pass the environment to the
 * worker through the engine's environment or a secret, <em>never on a command line</em>, where other users of the
 * machine can read it. Workers exit by themselves after an idle time (the command carries {@code --idle-exit}), so
 * a launcher never has to scale down a running worker; the platform calls {@link #cancel} for workers still waiting in
 * the engine's queue once no job waits for them.
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}): it keeps no state between
 * calls; everything it needs to find its workers again, after a platform restart, is the id it returned from {@link
 * #launch}. Calls come from one platform thread at a time (on one platform instance at a time when several share a
 * database). A call that throws is logged and retried at the next round; it never stops the platform. Its
 * parameters come from the platform's configuration, {@code sweeplab.launchers.<id>.<param>} (a parameter {@code
 * gpuPartition} is the key {@code gpu-partition}), validated against {@link #params()} when the platform starts.
 * Register implementations in {@code META-INF/services/io.sweeplab.plugin.api.WorkerLauncher}.
 *
 * @since 1.4
 */
public interface WorkerLauncher extends Extension {

    /**
     * Submits one worker.
     *
     * @param params the launcher's configuration, validated against {@link #params()}
     * @return the engine's id for it (the Slurm job id, the Kubernetes object name) and the name the worker will
     *     register under, which the launcher also gives the worker as {@value WorkerRequest#NAME_ENV}
     * @throws Exception when the engine refuses or cannot be reached: the platform revokes the launch's token and
     *     tries again at a later round
     */
    Launched launch(Params params, WorkerRequest request) throws Exception;

    /**
     * The states of workers this launcher submitted.
     *
     * @param ids ids {@link #launch} returned
     * @return a state for each id it knows; an id missing from the answer is taken as ended (the engine forgot it)
     */
    Map<String, WorkerStatus> status(Params params, List<String> ids) throws Exception;

    /** Cancels a worker; nothing happens when it has ended already. */
    void cancel(Params params, String id) throws Exception;

    /** A worker just submitted: the engine's id for it and the name it registers under. */
    record Launched(String id, String workerName) {
        public Launched {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a launched worker needs the engine's id");
            }
            if (workerName == null || workerName.isBlank()) {
                throw new IllegalArgumentException("a launched worker needs a name");
            }
        }
    }

    /** Where a launched worker is: waiting for resources, running, or ended (any way: exited, cancelled, failed). */
    enum State {
        PENDING,
        RUNNING,
        ENDED
    }

    /**
     * @param detail the engine's own word for it, for operators ({@code PENDING (Resources)}, {@code PREEMPTED},
     *     {@code CrashLoopBackOff}); may be empty
     */
    record WorkerStatus(State state, String detail) {
        public WorkerStatus {
            if (state == null) {
                throw new IllegalArgumentException("a worker status needs a state");
            }
            detail = detail == null ? "" : detail;
        }
    }
}
