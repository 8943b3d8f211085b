package io.sweeplab.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.worker.JdbcWorkerRegistry;
import io.sweeplab.core.queue.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Operators' metrics at {@code /q/metrics} (Prometheus): the queue and the workers read from the database at scrape
 * time, one query for all of them, and counters and a timer the job queue feeds. Only aggregate numbers: no team, run
 * or worker names.
 */
@ApplicationScoped
@Startup // the gauges are there from the first scrape on
public class PlatformMetrics {

    /**
     * Queued CPU jobs (any worker may take them): the query a KEDA {@code postgresql} trigger runs to scale CPU workers.
     */
    public static final String QUEUE_DEPTH_CPU_SQL =
            "SELECT count(*) FROM jobs WHERE state = 'queued' AND NOT requires_gpu";

    /** Queued GPU jobs (only a CUDA worker takes them): the query a KEDA trigger runs to scale GPU workers. */
    public static final String QUEUE_DEPTH_GPU_SQL =
            "SELECT count(*) FROM jobs WHERE state = 'queued' AND requires_gpu";

    /**
     * CPU jobs a worker holds: what a KEDA {@code ScaledObject} adds to the queue depth so that it never scales below
     * the busy workers (docker/kubernetes/keda.yaml).
     */
    public static final String LEASED_CPU_SQL = "SELECT count(*) FROM jobs WHERE state = 'leased' AND NOT requires_gpu";

    /** GPU jobs a worker holds, for the GPU workers' {@code ScaledObject}. */
    public static final String LEASED_GPU_SQL = "SELECT count(*) FROM jobs WHERE state = 'leased' AND requires_gpu";

    /** Every gauge from one query, the queue depths being the very queries above. */
    private static final String GAUGES_SQL = "SELECT (" + QUEUE_DEPTH_CPU_SQL + "), (" + QUEUE_DEPTH_GPU_SQL + "),"
            + " (SELECT count(*) FROM jobs WHERE state = 'leased'),"
            + " (SELECT count(*) FROM workers WHERE " + JdbcWorkerRegistry.ONLINE + ")";

    /** How long one reading serves the gauges: one scrape reads them all within it. */
    private static final long FRESH_NANOS = Duration.ofSeconds(1).toNanos();

    record Reading(long cpu, long gpu, long leased, long workersOnline, long at) {}

    private final Jdbc jdbc;
    private final double leaseSeconds;
    private final MeterRegistry registry;
    private final Counter started;
    private final Timer epochs;
    private volatile Reading last;

    public PlatformMetrics(Jdbc jdbc, JobQueue queue, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.leaseSeconds = queue.lease().toMillis() / 1000.0;
        gauge("sweeplab.queue.depth", "jobs waiting for a worker", Reading::cpu, "kind", "cpu");
        gauge("sweeplab.queue.depth", "jobs waiting for a worker", Reading::gpu, "kind", "gpu");
        gauge("sweeplab.jobs.leased", "jobs a worker holds", Reading::leased);
        gauge("sweeplab.workers.online", "workers whose last heartbeat is within a lease", Reading::workersOnline);
        started = Counter.builder("sweeplab.runs.started")
                .description("runs a worker took for the first time")
                .register(registry);
        epochs = Timer.builder("sweeplab.epoch")
                .description("the training time of one epoch, as the worker measured it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<Reading> value, String... tags) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.reading()))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private Reading reading() {
        Reading r = last;
        long now = System.nanoTime();
        if (r == null || now - r.at() > FRESH_NANOS) {
            r = jdbc.one(
                            GAUGES_SQL,
                            rs -> new Reading(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), now),
                            leaseSeconds)
                    .orElseThrow();
            last = r;
        }
        return r;
    }

    /** A worker took a run for the first time. */
    public void runStarted() {
        started.increment();
    }

    /** A run ended with this status (its database spelling). */
    public void runFinished(String status) {
        Counter.builder("sweeplab.runs.finished")
                .description("runs that ended, by status")
                .tag("status", status)
                .register(registry)
                .increment();
    }

    /** A worker recorded an epoch that took this long. */
    public void epoch(double seconds) {
        epochs.record(Duration.ofNanos((long) (seconds * 1e9)));
    }
}
