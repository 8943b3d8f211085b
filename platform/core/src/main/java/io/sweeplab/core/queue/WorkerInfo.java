package io.sweeplab.core.queue;

import java.time.Instant;
import java.util.List;

/**
 * A worker as it registers and as {@code GET /api/workers} lists it.
 *
 * @param kind {@code embedded} (inside the platform) or {@code remote}
 * @param backend {@code cpu} or {@code cuda}
 * @param device what it computes on, in words
 * @param status {@code online} while its heartbeat is fresh, {@code offline} after
 * @param paused whether an administrator paused it: it claims no new jobs, the ones it holds go on. Never null (a
 *     {@code Boolean} only so that a worker's announcement may leave it out)
 * @param jobs the runs it holds now
 */
public record WorkerInfo(
        String id,
        String name,
        String kind,
        String backend,
        String device,
        Integer cpuThreads,
        String gpuName,
        Long gpuMemoryMb,
        int slots,
        String status,
        Boolean paused,
        Instant registeredAt,
        Instant lastHeartbeat,
        List<Long> jobs) {

    public WorkerInfo {
        paused = Boolean.TRUE.equals(paused);
    }

    /** The same worker with other jobs listed (those a caller may see). */
    public WorkerInfo withJobs(List<Long> shown) {
        return new WorkerInfo(
                id,
                name,
                kind,
                backend,
                device,
                cpuThreads,
                gpuName,
                gpuMemoryMb,
                slots,
                status,
                paused,
                registeredAt,
                lastHeartbeat,
                shown);
    }

    /** The same worker, paused or not. */
    public WorkerInfo withPaused(boolean now) {
        return new WorkerInfo(
                id,
                name,
                kind,
                backend,
                device,
                cpuThreads,
                gpuName,
                gpuMemoryMb,
                slots,
                status,
                now,
                registeredAt,
                lastHeartbeat,
                jobs);
    }

    /** What a worker says of itself when it registers. */
    public static WorkerInfo announce(
            String id,
            String name,
            String kind,
            String backend,
            String device,
            Integer cpuThreads,
            String gpuName,
            Long gpuMemoryMb,
            int slots) {
        return new WorkerInfo(
                id,
                name,
                kind,
                backend,
                device,
                cpuThreads,
                gpuName,
                gpuMemoryMb,
                slots,
                null,
                false,
                null,
                null,
                List.of());
    }
}
