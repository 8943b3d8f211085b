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

    private float gamma(float[] params, int ch) {
        return locked ? fixedGamma : params[offset + ch];
    }

    private float beta(float[] params, int ch) {
        return locked ? fixedBeta : params[offset + c + ch];
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] xhat, int n) {
        int rows = n * positions;
        double[] s = std[pass.thread()];
        double[] mean = new double[c];
        if (pass.training()) {
            for (int r = 0; r < rows; r++) {
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] += in[r * c + ch];
                }
            }
            double count = (double) pass.batch() * positions;
            mean = pass.sync().allReduce(pass.thread(), mean);
            for (int ch = 0; ch < c; ch++) {
                mean[ch] /= count;
            }
            double[] var = new double[c];
            for (int r = 0; r < rows; r++) {
                for (int ch = 0; ch < c; ch++) {
                    double d = in[r * c + ch] - mean[ch];
                    var[ch] += d * d;
                }
            }
            var = pass.sync().allReduce(pass.thread(), var);
            for (int ch = 0; ch < c; ch++) {
                var[ch] /= count;
                s[ch] = Math.sqrt(var[ch] + eps);
            }
            if (pass.thread() == 0) {
                batchMean = mean;
                batchVar = var;
            }
        } else {
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = runningMean[ch];
                s[ch] = Math.sqrt(runningVar[ch] + eps);
            }
        }
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            for (int ch = 0; ch < c; ch++) {
                float xh = (float) ((in[o + ch] - mean[ch]) / s[ch]);
                xhat[o + ch] = xh;
                out[o + ch] = gamma(params, ch) * xh + beta(params, ch);
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
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            for (int ch = 0; ch < c; ch++) {
                sums[ch] += dOut[o + ch];
                sums[c + ch] += dOut[o + ch] * xhat[o + ch];
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
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            for (int ch = 0; ch < c; ch++) {
                double meanD = all[ch] / count;
                double meanDx = all[c + ch] / count;
                dIn[o + ch] = (float) (gamma(params, ch) / s[ch] * (dOut[o + ch] - meanD - xhat[o + ch] * meanDx));
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
