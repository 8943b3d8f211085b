package io.sweeplab.engine;

import java.util.Arrays;

/**
 * A fully connected layer with bias and optional ReLU; {@code w[d][u]} for the forward product and the weight
 * gradient, its transpose {@code wt[u][d]} for the input gradient.
 */
final class DenseFastLayer extends WeightedLayer {

    final boolean relu;
    final float[] w;
    final float[] wt;
    final float[] b;

    DenseFastLayer(int in, int out, boolean relu) {
        super(in, out, in * out, out);
        this.relu = relu;
        this.w = weights;
        this.wt = new float[out * in];
        this.b = bias;
    }

    @Override
    void paramsChanged() {
        for (int d = 0; d < inSize; d++) {
            for (int u = 0; u < outSize; u++) {
                wt[u * inSize + d] = w[d * outSize + u];
            }
        }
    }

    @Override
    void forward(float[] in, int inOff, float[] out, int outOff, float[] scratch, int scrOff) {
        System.arraycopy(b, 0, out, outOff, outSize);
        Gemm.INSTANCE.gemm(1, outSize, inSize, in, inOff, inSize, 1, w, 0, outSize, out, outOff, outSize);
        if (relu) {
            for (int j = outOff; j < outOff + outSize; j++) {
                if (out[j] < 0f) {
                    out[j] = 0f;
                }
            }
        }
    }

    @Override
    void backward(
            float[] in,
            int inOff,
            float[] out,
            int outOff,
            float[] dOut,
            int dOutOff,
            float[] dIn,
            int dInOff,
            float[] scratch,
            int scrOff,
            float[] grad,
            int gradOff) {
        if (relu) {
            for (int j = 0; j < outSize; j++) {
                if (out[outOff + j] <= 0f) {
                    dOut[dOutOff + j] = 0f;
                }
            }
        }
        int gb = gradOff + w.length;
        for (int j = 0; j < outSize; j++) {
            grad[gb + j] += dOut[dOutOff + j];
        }
        // dW[d][u] += in[d] * dOut[u]: an outer product
        Gemm.INSTANCE.gemm(inSize, outSize, 1, in, inOff, 1, 1, dOut, dOutOff, outSize, grad, gradOff, outSize);
        if (dIn != null) {
            Arrays.fill(dIn, dInOff, dInOff + inSize, 0f);
            Gemm.INSTANCE.gemm(1, inSize, outSize, dOut, dOutOff, outSize, 1, wt, 0, inSize, dIn, dInOff, inSize);
        }
    }
}
