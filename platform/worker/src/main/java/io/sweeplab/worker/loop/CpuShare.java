package io.sweeplab.worker.loop;

import java.util.OptionalInt;

/**
 * How a worker shares the machine's cores among the runs it trains at once: {@code slots} runs of
 * {@code threadsPerRun} CPU threads each, never more threads in all than cores (on an oversubscribed core every run
 * is slower than it would be alone, and an engine's threads wait for each other at each layer). The remote worker's
 * flags and the embedded worker's properties both come through here.
 *
 * @param slots runs trained at once
 * @param threadsPerRun CPU threads one run may use
 */
public record CpuShare(int slots, int threadsPerRun) {

    /** How a worker's configuration spells the two settings, for the messages that refuse them. */
    public record Names(String slots, String threads) {}

    /** The remote worker's command line. */
    public static final Names FLAGS = new Names("--slots", "--threads");

    /** The platform's configuration of its embedded worker. */
    public static final Names PROPERTIES = new Names("sweeplab.worker.slots", "sweeplab.worker.threads");

    /**
     * @param cores the cores of this machine (or of this container)
     * @param threads the threads per run configured; by default the cores divided among the slots
     * @throws IllegalArgumentException naming the setting, when one is below 1 or slots x threads exceeds the cores
     */
    public static CpuShare of(int cores, int slots, OptionalInt threads, Names names) {
        if (slots < 1) {
            throw new IllegalArgumentException(names.slots() + " must be at least 1, not " + slots);
        }
        if (threads.isPresent() && threads.getAsInt() < 1) {
            throw new IllegalArgumentException(names.threads() + " must be at least 1, not " + threads.getAsInt());
        }
        if (slots > cores) {
            throw new IllegalArgumentException("SWL-WORKER-003 " + names.slots() + " " + slots
                    + " runs at once need at least one core each; this machine has " + cores + ": give "
                    + names.slots() + " " + cores + " or fewer");
        }
        int perRun = threads.orElse(cores / slots);
        if ((long) slots * perRun > cores) {
            throw new IllegalArgumentException("SWL-WORKER-003 " + names.slots() + " " + slots + " x " + names.threads()
                    + " " + perRun + " = " + slots * perRun + " threads would oversubscribe the " + cores
                    + " cores of this machine: with " + names.slots() + " " + slots + " give " + names.threads()
                    + " " + cores / slots + " or fewer");
        }
        return new CpuShare(slots, perRun);
    }

    /** The threads of all runs together: at most the cores. */
    public int threads() {
        return slots * threadsPerRun;
    }
}
