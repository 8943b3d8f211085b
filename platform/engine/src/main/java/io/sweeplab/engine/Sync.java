package io.sweeplab.engine;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Sums of per-thread partial results over all threads of a pass, in thread order (so the result does not depend on
 * which thread arrives first). Used by the layers that need the whole batch (batch normalisation).
 */
final class Sync {

    private final int parties;
    private final CyclicBarrier barrier;
    private final double[][] parts;

    Sync(int parties) {
        this.parties = parties;
        this.barrier = parties == 1 ? null : new CyclicBarrier(parties);
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

    /** Releases the threads waiting in {@link #allReduce} when one of them failed. */
    void abort() {
        if (barrier != null) {
            barrier.reset();
        }
    }

    private void await() {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("another thread of the pass failed", e);
        }
    }
}
