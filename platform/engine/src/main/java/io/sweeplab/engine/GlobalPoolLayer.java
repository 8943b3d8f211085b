package io.sweeplab.engine;

import java.util.Arrays;

/** Global average or max pooling over all positions of each channel: {@code h x w x c} to {@code c}. */
final class GlobalPoolLayer extends FastLayer {

    final int positions;
    final int c;
    final boolean max;

    GlobalPoolLayer(int positions, int c, boolean max) {
        super(positions * c, c);
        this.positions = positions;
        this.c = c;
        this.max = max;
    }

    @Override
    int scratchSize() {
        return max ? c : 0;
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] scratch, int n) {
        for (int i = 0; i < n; i++) {
            int io = i * inSize;
            int o = i * c;
            System.arraycopy(in, io, out, o, c);
            if (max) {
                for (int ch = 0; ch < c; ch++) {
                    scratch[o + ch] = ch;
                }
            }
            for (int q = 1; q < positions; q++) {
                int at = io + q * c;
                for (int ch = 0; ch < c; ch++) {
                    float v = in[at + ch];
                    if (!max) {
                        out[o + ch] += v;
                    } else if (v > out[o + ch]) {
                        out[o + ch] = v;
                        scratch[o + ch] = q * c + ch;
                    }
                }
            }
            if (!max) {
                float inv = 1f / positions;
                for (int ch = 0; ch < c; ch++) {
                    out[o + ch] *= inv;
                }
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
            float[] scratch,
            int n,
            float[] grad) {
        if (dIn == null) {
            return;
        }
        if (max) {
            Arrays.fill(dIn, 0, n * inSize, 0f);
        }
        float inv = 1f / positions;
        for (int i = 0; i < n; i++) {
            int io = i * inSize;
            int o = i * c;
            if (max) {
                for (int ch = 0; ch < c; ch++) {
                    dIn[io + (int) scratch[o + ch]] = dOut[o + ch];
                }
                continue;
            }
            for (int q = 0; q < positions; q++) {
                for (int ch = 0; ch < c; ch++) {
                    dIn[io + q * c + ch] = dOut[o + ch] * inv;
                }
            }
        }
    }
}
