package io.sweeplab.engine;

import java.util.Arrays;
import java.util.List;

/**
 * A fully connected layer with optional bias and an activation: {@code out[n][u] = in[n][d] * w[d][u] + b}, one GEMM
 * over the slice; a transposed copy {@code wt[u][d]} serves the input gradient. The output layer is one of these
 * with the identity (the engine applies softmax and cross-entropy).
 */
final class DenseFastLayer extends FastLayer {

    final boolean hasBias;
    final Act act;
    private final float[] wt;

    DenseFastLayer(int in, int out, boolean hasBias, Act act) {
        super(in, out);
        this.hasBias = hasBias;
        this.act = act;
        this.wt = new float[out * in];
    }

    @Override
    List<Block> blocks() {
        int wn = inSize * outSize;
        return hasBias ? List.of(new Block("W", 0, wn), new Block("b", wn, outSize)) : List.of(new Block("W", 0, wn));
    }

    @Override
    void paramsChanged(float[] params) {
        for (int d = 0; d < inSize; d++) {
            int src = offset + d * outSize;
            for (int u = 0; u < outSize; u++) {
                wt[u * inSize + d] = params[src + u];
            }
        }
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] scratch, int n) {
        fillRows(out, n, hasBias ? params : null, offset + inSize * outSize, outSize);
        Gemm.INSTANCE.gemm(n, outSize, inSize, in, 0, inSize, 1, params, offset, outSize, out, 0, outSize);
        act.apply(out, 0, n * outSize);
    }

    @Override
    void backward(
            Pass pass,
            float[] params,
            float[] in,
            float[] out,
            float[] dOut,
            float[] dIn,
            float[] scratch,
            int n,
            float[] grad) {
        act.backward(out, 0, dOut, 0, n * outSize);
        if (hasBias) {
            sumRows(dOut, n, outSize, grad, offset + inSize * outSize);
        }
        // dW[d][u] += in[n][d]^T * dOut[n][u]
        Gemm.INSTANCE.gemm(inSize, outSize, n, in, 0, 1, inSize, dOut, 0, outSize, grad, offset, outSize);
        if (dIn != null) {
            Arrays.fill(dIn, 0, n * inSize, 0f);
            Gemm.INSTANCE.gemm(n, inSize, outSize, dOut, 0, outSize, 1, wt, 0, inSize, dIn, 0, inSize);
        }
    }
}
