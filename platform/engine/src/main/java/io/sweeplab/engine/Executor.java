package io.sweeplab.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a network's layers over a batch on a fixed set of threads: each thread takes a contiguous slice of the
 * batch and runs it layer after layer, forward then backward, with its own activations, scratch and gradient
 * buffer; the calling thread is one of them. Layers that need the whole batch meet through a {@link Sync}.
 */
final class Executor implements AutoCloseable {

    private final List<FastLayer> layers;
    private final int inH;
    private final int inW;
    private final int inC;
    private final int classes;
    private final int threads;
    private final ExecutorService pool;
    private final Workspace[] workspaces;
    private final int capacity;
    private final Sync sync;
    /** Images a thread runs forward and backward at a time: a few, so they stay in its cache, or its whole slice. */
    private final int chunk;

    /**
     * @param maxBatch the largest training batch
     * @param paramCount length of the gradient buffers
     */
    Executor(List<FastLayer> layers, int inH, int inW, int inC, int paramCount, int threads, int maxBatch) {
        this.layers = layers;
        this.inH = inH;
        this.inW = inW;
        this.inC = inC;
        this.classes = layers.get(layers.size() - 1).outSize;
        this.threads = Math.max(1, threads);
        this.capacity = Math.max(PREDICT_CHUNK, (maxBatch + this.threads - 1) / this.threads);
        this.sync = new Sync(this.threads);
        this.pool = this.threads == 1
                ? null
                : Executors.newFixedThreadPool(this.threads - 1, r -> {
                    Thread t = new Thread(r, "sweeplab-fastnet");
                    t.setDaemon(true);
                    return t;
                });
        this.workspaces = new Workspace[this.threads];
        for (int t = 0; t < this.threads; t++) {
            workspaces[t] = new Workspace(capacity, paramCount);
        }
        boolean wholeSlice = false;
        for (FastLayer l : layers) {
            l.prepare(this.threads);
            wholeSlice |= l instanceof BatchNormLayer;
        }
        this.chunk = wholeSlice ? capacity : Math.min(capacity, TRAIN_CHUNK);
    }

    /**
     * Images per forward-and-backward run of a thread, unless a layer needs its whole slice at once (batch
     * normalisation): small enough that the activations and im2col columns of the lab CNN stay in a core's cache.
     */
    static final int TRAIN_CHUNK = 4;

    /**
     * Images per chunk when predicting (each thread takes chunks until none are left): few, so that a chunk's
     * activations and im2col columns stay in the core's cache (the lab CNN evaluates 30% faster with 8 than 64).
     */
    static final int PREDICT_CHUNK = 8;

    int threads() {
        return threads;
    }

    /** One thread's gradient buffer. */
    float[] gradient(int thread) {
        return workspaces[thread].grad;
    }

    /**
     * Forward and backward over the batch; each thread's gradient (of the batch-mean loss) is left in its buffer.
     *
     * @return the summed cross-entropy and the number of correct predictions
     */
    double[] train(float[] x, int[] labels, int n, float[] params, long step, long seed) {
        if (n > capacity * threads) {
            throw new IllegalArgumentException("batch of " + n + " exceeds " + capacity * threads);
        }
        int per = (n + threads - 1) / threads;
        double[][] results = new double[threads][];
        sync.reset();
        run(t -> {
            int lo = Math.min(n, t * per);
            int hi = Math.min(n, lo + per);
            Workspace ws = workspaces[t];
            Arrays.fill(ws.grad, 0f);
            double[] r = new double[2];
            for (int c0 = lo; c0 < hi || c0 == lo; c0 += chunk) { // an empty slice still meets the others in Sync
                Pass pass = new Pass(true, t, c0, n, step, seed, sync);
                double[] part = ws.trainSlice(pass, params, x, labels, c0, Math.min(hi, c0 + chunk));
                r[0] += part[0];
                r[1] += part[1];
                if (hi == lo) {
                    break;
                }
            }
            results[t] = r;
        });
        double loss = 0;
        double correct = 0;
        for (double[] r : results) {
            loss += r[0];
            correct += r[1];
        }
        return new double[] {loss, correct};
    }

    /** Class probabilities for {@code n} images, row after row, in inference mode. */
    float[] predict(float[] x, int n, float[] params) {
        float[] probs = new float[n * classes];
        AtomicInteger next = new AtomicInteger();
        run(t -> {
            Workspace ws = workspaces[t];
            Pass pass = new Pass(false, t, 0, n, 0, 0, sync);
            for (int lo = next.getAndAdd(PREDICT_CHUNK); lo < n; lo = next.getAndAdd(PREDICT_CHUNK)) {
                int hi = Math.min(n, lo + PREDICT_CHUNK);
                float[] z = ws.forward(pass, params, x, lo, hi);
                for (int i = 0; i < hi - lo; i++) {
                    softmax(z, i * classes, probs, (lo + i) * classes);
                }
            }
        });
        return probs;
    }

    /** Runs {@code task} for each thread index, the calling thread taking index 0. */
    void run(ThreadTask task) {
        if (pool == null) {
            task.run(0);
            return;
        }
        List<Future<?>> others = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            int ti = t;
            others.add(pool.submit(() -> {
                try {
                    task.run(ti);
                } catch (RuntimeException | Error e) {
                    sync.abort();
                    throw e;
                }
            }));
        }
        Throwable failure = null;
        try {
            task.run(0);
        } catch (RuntimeException | Error e) {
            sync.abort();
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) { // every thread leaves the pass before the next one may start
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    failure = first(failure, e.getCause());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("training step failed: " + failure, failure);
        }
    }

    /**
     * The failure to report: the one that is not merely a thread released from {@link Sync} by another's failure,
     * with the other attached.
     */
    private static Throwable first(Throwable seen, Throwable next) {
        if (seen == null) {
            return next;
        }
        boolean seenReleased = seen instanceof Sync.Released;
        Throwable cause = seenReleased && !(next instanceof Sync.Released) ? next : seen;
        cause.addSuppressed(cause == seen ? next : seen);
        return cause;
    }

    @FunctionalInterface
    interface ThreadTask {
        void run(int thread);
    }

    /** Softmax of the {@link #classes} logits at {@code z[off]} into {@code out[outOff]}. */
    private void softmax(float[] z, int off, float[] out, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, z[off + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            double e = Math.exp(z[off + c] - max);
            out[outOff + c] = (float) e;
            sum += e;
        }
        for (int c = 0; c < classes; c++) {
            out[outOff + c] = (float) (out[outOff + c] / sum);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** One thread's buffers: its input slice, activations and scratch per layer, gradient, backward temporaries. */
    private final class Workspace {
        final float[] input;
        final float[][] acts;
        final float[][] scratch;
        final float[] grad;
        final float[] dA;
        final float[] dB;
        final float[] probs;

        Workspace(int capacity, int paramCount) {
            int n = layers.size();
            acts = new float[n][];
            scratch = new float[n][];
            int maxSize = inH * inW * inC;
            for (int i = 0; i < n; i++) {
                acts[i] = new float[capacity * layers.get(i).outSize];
                scratch[i] = new float[capacity * layers.get(i).scratchSize()];
                maxSize = Math.max(maxSize, layers.get(i).outSize);
            }
            input = new float[capacity * inH * inW * inC];
            grad = new float[paramCount];
            dA = new float[capacity * maxSize];
            dB = new float[capacity * maxSize];
            probs = new float[classes];
        }

        /** Images [lo, hi) of {@code x} (DL4J's flat CHW) through the network; returns the last layer's output. */
        float[] forward(Pass pass, float[] params, float[] x, int lo, int hi) {
            int n = hi - lo;
            int size = inH * inW * inC;
            if (inC == 1) {
                System.arraycopy(x, lo * size, input, 0, n * size);
            } else {
                int hw = inH * inW;
                for (int i = 0; i < n; i++) {
                    int src = (lo + i) * size;
                    int dst = i * size;
                    for (int ch = 0; ch < inC; ch++) {
                        for (int q = 0; q < hw; q++) {
                            input[dst + q * inC + ch] = x[src + ch * hw + q];
                        }
                    }
                }
            }
            float[] in = input;
            for (int li = 0; li < layers.size(); li++) {
                layers.get(li).forward(pass, params, in, acts[li], scratch[li], n);
                in = acts[li];
            }
            return in;
        }

        /** Forward and backward of images [lo, hi), adding their gradient to {@link #grad}. */
        double[] trainSlice(Pass pass, float[] params, float[] x, int[] labels, int lo, int hi) {
            int n = hi - lo;
            float[] z = forward(pass, params, x, lo, hi);
            double loss = 0;
            int correct = 0;
            float inv = 1f / pass.batch();
            for (int i = 0; i < n; i++) {
                softmax(z, i * classes, probs, 0);
                int y = labels[lo + i];
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probs[c] > probs[best]) {
                        best = c;
                    }
                }
                if (best == y) {
                    correct++;
                }
                loss -= Math.log(Math.max(probs[y], 1e-10f));
                // d loss / d logits of softmax with cross-entropy, averaged over the batch
                for (int c = 0; c < classes; c++) {
                    dA[i * classes + c] = (probs[c] - (c == y ? 1f : 0f)) * inv;
                }
            }
            float[] d = dA;
            float[] dNext = dB;
            for (int li = layers.size() - 1; li >= 0; li--) {
                FastLayer l = layers.get(li);
                float[] in = li == 0 ? input : acts[li - 1];
                l.backward(pass, params, in, acts[li], d, li == 0 ? null : dNext, scratch[li], n, grad);
                float[] t = d;
                d = dNext;
                dNext = t;
            }
            return new double[] {loss, correct};
        }
    }
}
