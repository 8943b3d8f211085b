package io.sweeplab.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a client has logged and not yet sent: one bounded FIFO queue drained by one background thread, so that a
 * training thread that logs never waits for the network.
 *
 * <p>The thread sends the metrics, params and tags at the head of the queue in {@code runs/log-batch} calls within
 * MLflow's limits (1,000 entities, of which at most 100 params and 100 tags, per call), once 1,000 are waiting, the
 * oldest has waited {@code linger}, or someone flushes; artifact uploads and run updates are done in their turn,
 * after everything logged before them.
 *
 * <p>When the queue is full, the oldest metric point is dropped to make room (training curves lose their oldest
 * unsent points, never their latest), and counted; params, tags, uploads and status changes are never dropped for a
 * metric. A call the server refuses (4xx) is not retried; it is logged once and handed to the next {@link #flush}.
 */
final class LogQueue {

    private static final System.Logger LOG = System.getLogger(LogQueue.class.getName());

    /** MLflow's limits of one {@code runs/log-batch} call. */
    static final int MAX_ENTITIES = 1000;

    static final int MAX_PARAMS = 100;
    static final int MAX_TAGS = 100;

    /** One thing to send. */
    sealed interface Op permits Data, Task {}

    /** A metric point, param or tag of a run: sent in a log-batch call with its neighbours. */
    sealed interface Data extends Op permits Metric, Param, Tag {
        String runId();
    }

    record Metric(String runId, String key, double value, long timestamp, long step) implements Data {}

    record Param(String runId, String key, String value) implements Data {}

    record Tag(String runId, String key, String value) implements Data {}

    /** Anything else (an upload, a run update), done alone in its turn; what it says when it fails. */
    record Task(String what, Runnable action) implements Op {}

    private record WireMetric(String key, double value, long timestamp, long step) {}

    private record WireKeyValue(String key, String value) {}

    private record LogBatch(
            String runId, List<WireMetric> metrics, List<WireKeyValue> params, List<WireKeyValue> tags) {}

    private final MlflowHttp http;
    private final int capacity;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Op> ops = new ArrayDeque<>();
    private final List<SweeplabException> unreported = new ArrayList<>();
    private final Thread sender;
    /** Ops put in, and ops done with (sent, refused, given up on or dropped): a flush waits for the second. */
    private long submitted;

    private long settled;
    private long dropped;
    private int flushing;
    private boolean closing;

    LogQueue(MlflowHttp http, int capacity, Duration linger) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
        }
        this.http = http;
        this.capacity = capacity;
        this.lingerNanos = linger.toNanos();
        this.sender = new Thread(this::drain, "sweeplab-client-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues a metric point, param or tag; never blocks on the network. */
    void add(Data data) {
        lock.lock();
        try {
            checkOpen();
            if (ops.size() >= capacity && !dropOldestPoint()) {
                drop(); // no point to make room: only params and tags fill the queue, the newest is lost
                return;
            }
            put(data);
        } finally {
            lock.unlock();
        }
    }

    /** Queues an upload or run update behind what was logged before it; never dropped. */
    void add(Task task) {
        lock.lock();
        try {
            checkOpen();
            put(task);
        } finally {
            lock.unlock();
        }
    }

    /** Metric points (and params or tags) dropped because the queue was full, since this queue was made. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until everything queued before this call is sent (or refused), for at most {@code timeout}.
     *
     * @return whether it all went within the time
     * @throws SweeplabException the calls refused since the last flush, once
     */
    boolean flush(Duration timeout) {
        boolean done = awaitSettled(timeout);
        reportRefusals();
        return done;
    }

    /**
     * Sends what is queued for at most {@code timeout}, then stops the sending thread; what could not be sent in the
     * time is logged and lost.
     */
    void close(Duration timeout) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean done = awaitSettled(timeout);
        if (!done) {
            sender.interrupt();
        }
        try {
            sender.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (submitted > settled) {
                LOG.log(
                        Level.WARNING,
                        "SWL-CLIENT-004 closed with {0} logged items not sent after {1}",
                        submitted - settled,
                        timeout);
            }
            if (dropped > 0) {
                LOG.log(Level.WARNING, "SWL-CLIENT-002 {0} metric points were dropped in all (queue full)", dropped);
            }
        } finally {
            lock.unlock();
        }
        reportRefusals();
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException("the client is closed");
        }
    }

    private void put(Op op) {
        ops.addLast(op);
        submitted++;
        if (ops.size() == 1 || ops.size() >= MAX_ENTITIES || op instanceof Task) {
            changed.signalAll();
        }
    }

    /** Removes the oldest queued metric point, if any; whether one was. */
    private boolean dropOldestPoint() {
        for (Iterator<Op> it = ops.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Metric) {
                it.remove();
                settled++;
                drop();
                return true;
            }
        }
        return false;
    }

    private void drop() {
        if (dropped++ == 0) {
            LOG.log(
                    Level.WARNING,
                    "SWL-CLIENT-002 the log queue is full ({0} items, the server is slow or unreachable): dropping the"
                            + " oldest metric points from now on; flush() or close() reports how many",
                    capacity);
        }
    }

    private boolean awaitSettled(Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            long target = submitted;
            flushing++;
            changed.signalAll();
            try {
                while (settled < target && left > 0) {
                    left = changed.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                flushing--;
            }
            return settled >= target;
        } finally {
            lock.unlock();
        }
    }

    private void reportRefusals() {
        List<SweeplabException> errors;
        lock.lock();
        try {
            errors = List.copyOf(unreported);
            unreported.clear();
        } finally {
            lock.unlock();
        }
        if (errors.isEmpty()) {
            return;
        }
        SweeplabException first = errors.get(0);
        SweeplabException e = new SweeplabException(
                first.httpStatus(),
                first.errorCode().orElse(null),
                errors.size() == 1
                        ? first.getMessage()
                        : first.getMessage() + " (and " + (errors.size() - 1) + " more failed calls)",
                first);
        errors.stream().skip(1).forEach(e::addSuppressed);
        throw e;
    }

    private void drain() {
        long lingerFrom = -1;
        while (true) {
            List<Op> next;
            lock.lock();
            try {
                while (true) {
                    if (ops.isEmpty()) {
                        if (closing) {
                            return;
                        }
                        lingerFrom = -1;
                        changed.await();
                        continue;
                    }
                    long now = System.nanoTime();
                    if (lingerFrom < 0) {
                        lingerFrom = now;
                    }
                    long left = lingerNanos - (now - lingerFrom);
                    if (ops.peekFirst() instanceof Task
                            || flushing > 0
                            || closing
                            || ops.size() >= MAX_ENTITIES
                            || left <= 0) {
                        break;
                    }
                    changed.awaitNanos(left);
                }
                next = take();
                if (ops.isEmpty()) {
                    lingerFrom = -1;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            send(next);
            lock.lock();
            try {
                settled += next.size();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The head's task alone, or the longest run of one run's data at the head that fits one log-batch call. */
    private List<Op> take() {
        Op head = ops.pollFirst();
        List<Op> batch = new ArrayList<>();
        batch.add(head);
        if (head instanceof Data first) {
            int params = first instanceof Param ? 1 : 0;
            int tags = first instanceof Tag ? 1 : 0;
            while (batch.size() < MAX_ENTITIES
                    && ops.peekFirst() instanceof Data d
                    && d.runId().equals(first.runId())
                    && !(d instanceof Param && params == MAX_PARAMS)
                    && !(d instanceof Tag && tags == MAX_TAGS)) {
                params += d instanceof Param ? 1 : 0;
                tags += d instanceof Tag ? 1 : 0;
                batch.add(ops.pollFirst());
            }
        }
        return batch;
    }

    private void send(List<Op> batch) {
        String what = "";
        try {
            if (batch.get(0) instanceof Task task) {
                what = task.what();
                task.action().run();
            } else {
                what = "log-batch of " + batch.size();
                http.post("runs/log-batch", logBatch(batch));
            }
        } catch (RuntimeException e) {
            SweeplabException failure =
                    e instanceof SweeplabException s ? s : new SweeplabException(0, null, what + " failed: " + e, e);
            LOG.log(
                    Level.WARNING,
                    failure.refused()
                            ? "SWL-CLIENT-001 the server refused {0}, not retried: {1}"
                            : "SWL-CLIENT-003 {0} not sent: {1}",
                    what,
                    failure.getMessage());
            lock.lock();
            try {
                unreported.add(failure);
            } finally {
                lock.unlock();
            }
        }
    }

    private static LogBatch logBatch(List<Op> batch) {
        List<WireMetric> metrics = new ArrayList<>();
        List<WireKeyValue> params = new ArrayList<>();
        List<WireKeyValue> tags = new ArrayList<>();
        for (Op op : batch) {
            if (op instanceof Metric m) {
                metrics.add(new WireMetric(m.key(), m.value(), m.timestamp(), m.step()));
            } else if (op instanceof Param p) {
                params.add(new WireKeyValue(p.key(), p.value()));
            } else if (op instanceof Tag t) {
                tags.add(new WireKeyValue(t.key(), t.value()));
            }
        }
        return new LogBatch(((Data) batch.get(0)).runId(), metrics, params, tags);
    }
}
