package io.sweeplab.engine;

import java.util.List;

/**
 * DL4J's {@code BatchNormalization} over the channels of a feature map (per channel, over the batch and all
 * positions) or over the features of a dense layer ({@code positions = 1}). In training it normalises with the
 * statistics of the whole batch (summed over the threads through {@link Sync}) and afterwards moves the running
 * mean and variance towards them by {@code 1 - decay}, as DL4J does; in inference it uses the running ones.
 */
final class BatchNormLayer extends FastLayer {

    final int positions;
    final int c;
    final double eps;
    final double decay;
    final boolean locked;
    final float fixedGamma;
    final float fixedBeta;
    /** The running statistics (DL4J's global mean and variance). */
    final float[] runningMean;

    final float[] runningVar;

    private double[][] std; // per thread, this pass's
    private double[] batchMean;
    private double[] batchVar;

    BatchNormLayer(int positions, int c, double eps, double decay, boolean locked, double gamma, double beta) {
        super(positions * c, positions * c);
        this.positions = positions;
        this.c = c;
        this.eps = eps;
        this.decay = decay;
        this.locked = locked;
        this.fixedGamma = (float) gamma;
        this.fixedBeta = (float) beta;
        this.runningMean = new float[c];
        this.runningVar = new float[c];
    }

    @Override
    List<Block> blocks() {
        return locked ? List.of() : List.of(new Block("gamma", 0, c), new Block("beta", c, c));
    }

    @Override
    int scratchSize() {
        return inSize; // the normalised input
    }

    @Override
    void prepare(int threads) {
        std = new double[threads][c];
    }

    /** Rows summed in floats before they are added to the doubles (bounds the rounding of long sums). */
    private static final int BLOCK = 64;

    /** Per channel, the sum over {@code rows} rows of {@code f(row value)}, in doubles, blocked in floats. */
    private void channelSums(float[] in, int rows, float[] shift, double[] acc, boolean squares) {
        float[] block = new float[c];
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            java.util.Arrays.fill(block, 0f);
            int r1 = Math.min(rows, r0 + BLOCK);
            for (int r = r0; r < r1; r++) {
                int o = r * c;
                if (squares) {
                    for (int ch = 0; ch < c; ch++) {
                        float d = in[o + ch] - shift[ch];
                        block[ch] += d * d;
                    }
                } else {
                    for (int ch = 0; ch < c; ch++) {
                        block[ch] += in[o + ch];
                    }
                }
            }
            for (int ch = 0; ch < c; ch++) {
                acc[ch] += block[ch];
            }
        }
    }

    private float[] gammas(float[] params) {
        float[] g = new float[c];
        for (int ch = 0; ch < c; ch++) {
            g[ch] = locked ? fixedGamma : params[offset + ch];
        }
        return g;
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] xhat, int n) {
        int rows = n * positions;
        double[] s = std[pass.thread()];
        float[] mean = new float[c];
        if (pass.training()) {
            double count = (double) pass.batch() * positions;
            double[] sum = new double[c];
            channelSums(in, rows, null, sum, false);
            sum = pass.sync().allReduce(pass.thread(), sum);
            double[] m = new double[c];
            for (int ch = 0; ch < c; ch++) {
                m[ch] = sum[ch] / count;
                mean[ch] = (float) m[ch];
            }
            double[] var = new double[c];
            channelSums(in, rows, mean, var, true);
            var = pass.sync().allReduce(pass.thread(), var);
            for (int ch = 0; ch < c; ch++) {
                var[ch] /= count;
                s[ch] = Math.sqrt(var[ch] + eps);
            }
            if (pass.thread() == 0) {
                batchMean = m;
                batchVar = var;
            }
        } else {
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = runningMean[ch];
                s[ch] = Math.sqrt(runningVar[ch] + eps);
            }
        }
        float[] inv = new float[c];
        float[] gamma = gammas(params);
        float[] beta = new float[c];
        for (int ch = 0; ch < c; ch++) {
            inv[ch] = (float) (1 / s[ch]);
            beta[ch] = locked ? fixedBeta : params[offset + c + ch];
        }
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            for (int ch = 0; ch < c; ch++) {
                float xh = (in[o + ch] - mean[ch]) * inv[ch];
                xhat[o + ch] = xh;
                out[o + ch] = gamma[ch] * xh + beta[ch];
            }
        }
    }

    @Override
    void backward(
            Pass pass,
            float[] params,
            float[] in,
            float[] out,
            float[] dOut,
            float[] dIn,
            float[] xhat,
            int n,
            float[] grad) {
        int rows = n * positions;
        double[] sums = new double[2 * c]; // sum of dOut, sum of dOut * xhat, over this slice
        float[] sd = new float[c];
        float[] sdx = new float[c];
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            java.util.Arrays.fill(sd, 0f);
            java.util.Arrays.fill(sdx, 0f);
            int r1 = Math.min(rows, r0 + BLOCK);
            for (int r = r0; r < r1; r++) {
                int o = r * c;
                for (int ch = 0; ch < c; ch++) {
                    float d = dOut[o + ch];
                    sd[ch] += d;
                    sdx[ch] += d * xhat[o + ch];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                sums[ch] += sd[ch];
                sums[c + ch] += sdx[ch];
            }
        }
        if (!locked) {
            for (int ch = 0; ch < c; ch++) {
                grad[offset + ch] += (float) sums[c + ch];
                grad[offset + c + ch] += (float) sums[ch];
            }
        }
        if (dIn == null) {
            return;
        }
        double[] all = pass.sync().allReduce(pass.thread(), sums);
        double count = (double) pass.batch() * positions;
        double[] s = std[pass.thread()];
        float[] gamma = gammas(params);
        float[] k = new float[c];
        float[] meanD = new float[c];
        float[] meanDx = new float[c];
        for (int ch = 0; ch < c; ch++) {
            k[ch] = (float) (gamma[ch] / s[ch]);
            meanD[ch] = (float) (all[ch] / count);
            meanDx[ch] = (float) (all[c + ch] / count);
        }
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            for (int ch = 0; ch < c; ch++) {
                dIn[o + ch] = k[ch] * (dOut[o + ch] - meanD[ch] - xhat[o + ch] * meanDx[ch]);
            }
        }
    }

    @Override
    void afterStep() {
        if (batchMean == null) {
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            runningMean[ch] = (float) (decay * runningMean[ch] + (1 - decay) * batchMean[ch]);
            runningVar[ch] = (float) (decay * runningVar[ch] + (1 - decay) * batchVar[ch]);
        }
        batchMean = null;
        batchVar = null;
    }
}
