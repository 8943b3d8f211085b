package io.sweeplab.worker.loop;

import io.sweeplab.core.plugin.Guard;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.data.DatasetCache;
import io.sweeplab.worker.train.Resume;
import io.sweeplab.worker.train.Trainer;
import io.sweeplab.worker.train.TrainingOutcome;
import io.sweeplab.worker.train.TrainingReporter;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A worker: {@code slots} threads each claiming a job, training it and reporting through a {@link WorkerChannel},
 * and a heartbeat thread renewing the leases of the jobs held and learning of cancels. A job whose lease is lost
 * stops at its next iteration without writing anything more; a job interrupted by {@link #stop()} goes back to
 * the queue and resumes elsewhere from its last checkpoint.
 */
public final class WorkerLoop {

    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());

    private volatile WorkerInfo me;
    private final WorkerChannel channel;
    private final Supplier<Trainer> trainer;
    private final DatasetCache data;
    private final Path workDir;
    private volatile Duration heartbeatEvery;
    private volatile Duration lease;
    private final Duration idlePoll;
    private final JobPreparer preparer;
    private final Duration giveBackPause;
    private final Object wake = new Object();
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    /** When the last job this worker held ended (or it started): {@link System#nanoTime()}. */
    private volatile long idleSince = System.nanoTime();

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private final Object heldChanged = new Object();
    private volatile java.util.concurrent.CompletableFuture<List<Long>> cancelPoll;

    /** A job this worker trains now, and what the heartbeats learned of it. */
    private static final class Held {
        final JobRef ref;
        volatile boolean cancel;
        volatile boolean lost;

        Held(JobRef ref) {
            this.ref = ref;
        }
    }

    /**
     * @param me the worker as it announces itself; the platform may give it another id when it registers
     * @param trainer created on first use (it loads the ND4J native libraries)
     * @param idlePoll how long an idle slot waits before asking again (it is woken earlier by {@link #wake()})
     */
    public WorkerLoop(
            WorkerInfo me,
            WorkerChannel channel,
            Supplier<Trainer> trainer,
            DatasetCache data,
            Path workDir,
            Duration idlePoll) {
        this(me, channel, trainer, data, workDir, idlePoll, JobPreparer.NONE, Duration.ZERO);
    }

    /**
     * @param preparer called with each claimed job before it trains
     * @param giveBackPause how long a slot claims nothing after giving a job back, so other workers get it
     */
    public WorkerLoop(
            WorkerInfo me,
            WorkerChannel channel,
            Supplier<Trainer> trainer,
            DatasetCache data,
            Path workDir,
            Duration idlePoll,
            JobPreparer preparer,
            Duration giveBackPause) {
        this.preparer = preparer;
        this.giveBackPause = giveBackPause;
        this.me = me;
        this.channel = channel;
        this.trainer = trainer;
        this.data = data;
        this.workDir = workDir;
        this.idlePoll = idlePoll;
    }

    /** The worker as registered (its id is known once {@link #start()} registered it). */
    public WorkerInfo info() {
        return me;
    }

    /** Registers with the platform and starts the slots and heartbeats. */
    public void start() {
        me = channel.register(me);
        lease = channel.lease(); // learned at registration
        // at most 2 s apart: heartbeats are how a remote worker learns of a cancel
        heartbeatEvery =
                lease.dividedBy(3).compareTo(Duration.ofSeconds(2)) < 0 ? lease.dividedBy(3) : Duration.ofSeconds(2);
        for (int i = 0; i < me.slots(); i++) {
            Thread t = new Thread(this::slot, "sweeplab-worker-slot-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread hb = new Thread(this::heartbeats, "sweeplab-worker-heartbeat");
        hb.setDaemon(true);
        threads.add(hb);
        hb.start();
        if (channel.pushesCancels()) {
            Thread watcher = new Thread(this::watchCancels, "sweeplab-worker-cancels");
            watcher.setDaemon(true);
            watcher.start(); // not joined on stop: it may be waiting in a long-poll
        }
        LOG.log(
                Level.INFO,
                "SWL-WORKER-000 worker {0} ({1}) with {2} slot(s) on {3}",
                me.id(),
                me.kind(),
                me.slots(),
                me.device());
    }

    /** Stops claiming; running jobs stop at their next iteration and go back to the queue. */
    public void stop() {
        stopping = true;
        wake();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Stops a job this worker holds at its next iteration, without waiting for a heartbeat. */
    public void cancel(long run) {
        Held h = held.get(run);
        if (h != null) {
            h.cancel = true;
        }
    }

    private void slot() {
        while (!stopping) {
            Optional<Assignment> job = Optional.empty();
            try {
                job = channel.claim(); // a paused worker is given nothing
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "SWL-WORKER-010 cannot claim a job: {0}", e.toString());
            }
            if (job.isEmpty()) {
                synchronized (wake) {
                    try {
                        wake.wait(idlePoll.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            if (!run(job.get())) {
                synchronized (wake) {
                    try {
                        wake.wait(Math.max(1, giveBackPause.toMillis()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private void heartbeats() {
        long lastOk = System.nanoTime();
        while (!stopping || !held.isEmpty()) {
            try {
                Thread.sleep(heartbeatEvery.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            List<JobRef> refs = held.values().stream().map(h -> h.ref).toList();
            try {
                Map<Long, JobQueue.JobStatus> status = channel.heartbeat(refs);
                lastOk = System.nanoTime();
                for (Map.Entry<Long, JobQueue.JobStatus> e : status.entrySet()) {
                    Held h = held.get(e.getKey());
                    if (h != null) {
                        h.lost |= !e.getValue().leased();
                        h.cancel |= e.getValue().cancelRequested();
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "SWL-WORKER-011 heartbeat failed: {0}", e.toString());
                if (System.nanoTime() - lastOk > lease.toNanos()) {
                    // the platform has given our leases away by now; stop writing for those jobs
                    held.values().forEach(h -> h.lost = true);
                }
            }
        }
    }

    /**
     * Keeps one long-poll open for the runs held, so a cancel reaches the job at its next iteration instead of
     * its next heartbeat; a job that starts re-issues the poll with the new set of runs.
     */
    private void watchCancels() {
        while (!stopping) {
            List<Long> runs = List.copyOf(held.keySet());
            if (runs.isEmpty()) {
                synchronized (heldChanged) {
                    try {
                        heldChanged.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            java.util.concurrent.CompletableFuture<List<Long>> poll = channel.awaitCancels(runs);
            cancelPoll = poll;
            try {
                for (long run : poll.get()) {
                    cancel(run);
                }
            } catch (java.util.concurrent.CancellationException e) {
                // the set of runs changed: ask again
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.log(Level.DEBUG, "cancel poll failed: {0}", e.getCause().toString());
                sleepQuietly(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heldChanged() {
        java.util.concurrent.CompletableFuture<List<Long>> poll = cancelPoll;
        if (poll != null) {
            poll.cancel(true);
        }
        synchronized (heldChanged) {
            heldChanged.notifyAll();
        }
    }

    /** @return false when the job was given back because this worker cannot run it */
    private boolean run(Assignment a) {
        JobRef ref = a.job();
        Held h = new Held(ref);
        held.put(ref.run(), h);
        heldChanged();
        LOG.log(
                Level.INFO,
                "SWL-WORKER-020 run {0} attempt {1} claimed ({2})",
                ref.run(),
                ref.attempt(),
                a.spec().architecture());
        try {
            try {
                preparer.prepare(a);
            } catch (PluginUnavailableException e) {
                LOG.log(
                        Level.WARNING,
                        "SWL-WORKER-025 run {0}: {1}; handed back to the queue for another worker",
                        ref.run(),
                        e.getMessage());
                try {
                    channel.giveBack(ref);
                } catch (RuntimeException f) { // its lease expires and the queue takes it back
                    LOG.log(Level.WARNING, "SWL-WORKER-026 cannot hand run {0} back: {1}", ref.run(), f.toString());
                }
                return false;
            }
            Optional<Resume> resume = Optional.empty();
            if (a.resumeEpoch() > 0) {
                Path file = channel.resumeCheckpoint(a, workDir);
                resume = Optional.of(new Resume(file, a.resumeEpoch(), a.done()));
                LOG.log(Level.INFO, "SWL-WORKER-021 run {0} resumes after epoch {1}", ref.run(), a.resumeEpoch());
            }
            TrainingOutcome out = trainer.get()
                    .train(
                            ref.run(),
                            a.spec(),
                            data.get(a.spec().dataset()),
                            channel.checkpointDir(ref.run(), workDir),
                            resume,
                            new Reporter(h));
            if (h.lost) {
                LOG.log(Level.WARNING, "SWL-WORKER-024 run {0}: lease lost; another worker continues it", ref.run());
            } else if (out.status() == RunStatus.CANCELLED && !h.cancel) {
                channel.release(ref); // interrupted by stop(): resume elsewhere from the last checkpoint
                LOG.log(Level.INFO, "SWL-WORKER-022 run {0} handed back to the queue", ref.run());
            } else {
                channel.finish(
                        ref,
                        new RunStore.Outcome(
                                out.status(),
                                out.stopReason(),
                                out.stoppedBy(),
                                out.stoppedEpoch(),
                                null,
                                out.testLoss(),
                                out.testAccuracy()),
                        out.weightsEpoch());
                LOG.log(
                        Level.INFO,
                        "SWL-WORKER-023 run {0} {1}, test accuracy {2}",
                        ref.run(),
                        out.status().jsonName(),
                        out.testAccuracy());
            }
        } catch (LeaseLostException e) {
            LOG.log(Level.WARNING, "SWL-WORKER-024 run {0}: lease lost; another worker continues it", ref.run());
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "SWL-WORKER-030 run " + ref.run() + " failed", e);
            try {
                if (!h.lost) {
                    channel.finish(ref, RunStore.Outcome.failed(Guard.describe(e)), 0);
                }
            } catch (RuntimeException f) {
                LOG.log(
                        Level.WARNING,
                        "SWL-WORKER-031 cannot record the failure of run {0}: {1}",
                        ref.run(),
                        f.toString());
            }
        } finally {
            idleSince = System.nanoTime();
            held.remove(ref.run());
        }
        return true;
    }

    /** How long this worker has held no job: zero while it holds one. */
    public Duration idle() {
        long since = idleSince;
        return held.isEmpty() ? Duration.ofNanos(Math.max(0, System.nanoTime() - since)) : Duration.ZERO;
    }

    /** Forwards what the trainer reports; a lost lease or a cancel stops the trainer at its next iteration. */
    private final class Reporter implements TrainingReporter {
        private final Held h;

        Reporter(Held h) {
            this.h = h;
        }

        @Override
        public void started(String device, ModelSummary summary, DatasetProvenance dataset) {
            guarded(() -> channel.started(h.ref, device, summary, dataset));
        }

        @Override
        public void epoch(EpochMetric metric) {
            guarded(() -> channel.epoch(h.ref, metric));
        }

        @Override
        public void checkpoint(int epoch, Path file) {
            guarded(() -> {
                try {
                    channel.checkpoint(h.ref, epoch, file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        @Override
        public void artifact(Artifact artifact) {
            guarded(() -> channel.artifact(h.ref, artifact));
        }

        @Override
        public boolean cancelRequested() {
            return h.cancel || h.lost || stopping;
        }

        private void guarded(Runnable call) {
            if (h.lost) {
                throw new LeaseLostException(h.ref);
            }
            try {
                call.run();
            } catch (LeaseLostException e) {
                h.lost = true;
                throw e;
            }
        }
    }
}
