package io.sweeplab.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sums of per-thread partial results over all threads of a pass, in thread order (so the result does not depend on
 * which thread arrives first). Used by the layers that need the whole batch (batch normalisation). The threads
 * meet at a spinning barrier: they run on their own cores for the whole pass, and a parked thread takes tens of
 * microseconds to wake, several times per batch.
 */
final class Sync {

    /** What a thread waiting here throws when another thread of the pass failed. */
    static final class Released extends IllegalStateException {
        Released() {
            super("another thread of the pass failed");
        }
    }

    private final int parties;
    private final double[][] parts;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile boolean broken;

    Sync(int parties) {
        this.parties = parties;
        this.parts = new double[parties][];
    }

    /** Every thread's {@code partial} summed element-wise; each thread calls it with the same length. */
    double[] allReduce(int thread, double[] partial) {
        if (parties == 1) {
            return partial;
        }
        parts[thread] = partial;
        await();
        double[] sum = new double[partial.length];
        for (double[] p : parts) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += p[i];
            }
        }
        await(); // nobody publishes the next partial before everyone has read this one
        return sum;
    }

    /** Releases the threads waiting in {@link #allReduce} when one of them failed; the next pass starts afresh. */
    void abort() {
        broken = true;
    }

    /** Called before each pass. */
    void reset() {
        broken = false;
        arrived.set(0);
    }

    private void await() {
        int gen = generation;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            generation = gen + 1; // releases the others (a volatile write after the parts were written)
            return;
        }
        long spins = 0;
        while (generation == gen) {
            if (broken) {
                throw new Released();
            }
            if (++spins < 100_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted");
                }
            }
        }
    }
}
