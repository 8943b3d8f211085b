package io.sweeplab.core.queue;

import java.util.List;
import java.util.Optional;

/**
 * The workers the platform knows. A remote worker registers with its credential and is given an id and a key of its
 * own; every later call about its jobs carries that key, so a lease is bound to the one worker that claimed it, never
 * to whatever id a request names.
 */
public interface WorkerRegistry {

    /** The header in which a remote worker sends its key on every call after registering. */
    String KEY_HEADER = "Sweeplab-Worker-Key";

    /** A remote worker's registration: the worker as registered (with its id) and its key, shown this once. */
    record Registration(WorkerInfo worker, String key) {}

    /** Registers the in-process worker under its own, stable id. */
    void registerEmbedded(WorkerInfo me);

    /** Registers a remote worker for this credential; the platform picks its id. */
    Registration registerRemote(WorkerInfo announced, WorkerCredential credential);

    /** The id of the worker this key belongs to, when the same credential registered it. */
    Optional<String> authenticate(WorkerCredential credential, String key);

    List<WorkerInfo> workers();

    /**
     * Pauses or resumes a worker. A paused worker claims no new jobs ({@link JobQueue#claim} finds none for it); the
     * jobs it holds go on. The pause lasts until it is resumed or the worker registers again (when it restarts).
     *
     * @return the worker as {@link #workers()} lists it now; empty when there is no such worker
     */
    Optional<WorkerInfo> setPaused(String id, boolean paused);
}
