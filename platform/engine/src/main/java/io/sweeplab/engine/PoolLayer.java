package io.sweeplab.engine;

import java.util.Arrays;

/**
 * Max or average pooling with any window, stride and padding, channels-last. Max pooling ignores padded cells;
 * average pooling divides by the window's cells inside the input, or by the whole window when DL4J's
 * {@code avgPoolIncludePadInDivisor} is on.
 */
final class PoolLayer extends FastLayer {

    final ConvLayer.Geometry g;
    final int c;
    final boolean max;
    final boolean padInDivisor;

    private final int effH;
    private final int effW;
    /** Where each cell of a window lies from its first, in the input. */
    private final int[] cells;

    PoolLayer(ConvLayer.Geometry g, int c, boolean max, boolean padInDivisor) {
        super(g.inH() * g.inW() * c, g.outH() * g.outW() * c);
        this.effH = g.kh() + (g.kh() - 1) * (g.dh() - 1);
        this.effW = g.kw() + (g.kw() - 1) * (g.dw() - 1);
        this.cells = new int[g.kh() * g.kw()];
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                cells[ky * g.kw() + kx] = (ky * g.dh() * g.inW() + kx * g.dw()) * c;
            }
        }
        this.g = g;
        this.c = c;
        this.max = max;
        this.padInDivisor = padInDivisor;
    }

    /** The previous layer's ReLU mask is applied here (its output is this layer's input): see ConvLayer. */
    boolean masksPreviousRelu;

    @Override
    int scratchSize() {
        return max ? outSize : 0; // the input index of each maximum, as a float
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] scratch, int n) {
        for (int i = 0; i < n; i++) {
            if (max) {
                maxImage(in, i * inSize, out, i * outSize, scratch, i * outSize);
            } else {
                avgImage(in, i * inSize, out, i * outSize);
            }
        }
    }

    private void maxImage(float[] in, int inOff, float[] out, int outOff, float[] arg, int argOff) {
        // the windows inside the input, a row at a time through the SIMD kernel; those at the padding below
        int oxLo = Math.min(g.outW(), (g.padLeft() + g.sw() - 1) / g.sw());
        int oxHi = Math.min(g.outW(), Math.max(oxLo, Math.floorDiv(g.inW() - effW + g.padLeft(), g.sw()) + 1));
        for (int oy = 0; oy < g.outH(); oy++) {
            int iy0 = oy * g.sh() - g.padTop();
            boolean rowInside = iy0 >= 0 && iy0 + effH <= g.inH();
            if (rowInside && oxHi > oxLo) {
                Gemm.INSTANCE.maxPoolRow(
                        in,
                        inOff,
                        inOff + (iy0 * g.inW() + oxLo * g.sw() - g.padLeft()) * c,
                        g.sw() * c,
                        oxHi - oxLo,
                        cells,
                        out,
                        arg,
                        outOff + (oy * g.outW() + oxLo) * c,
                        c,
                        masksPreviousRelu);
            }
            for (int ox = 0; ox < g.outW(); ox++) {
                if (rowInside && ox >= oxLo && ox < oxHi) {
                    continue;
                }
                int o = outOff + (oy * g.outW() + ox) * c;
                int a = argOff + (oy * g.outW() + ox) * c;
                boolean first = true;
                for (int ky = 0; ky < g.kh(); ky++) {
                    int iy = oy * g.sh() + ky * g.dh() - g.padTop();
                    if (iy < 0 || iy >= g.inH()) {
                        continue;
                    }
                    for (int kx = 0; kx < g.kw(); kx++) {
                        int ix = ox * g.sw() + kx * g.dw() - g.padLeft();
                        if (ix < 0 || ix >= g.inW()) {
                            continue;
                        }
                        int at = (iy * g.inW() + ix) * c;
                        if (first) {
                            System.arraycopy(in, inOff + at, out, o, c);
                            for (int ch = 0; ch < c; ch++) {
                                arg[a + ch] = at + ch;
                            }
                            first = false;
                            continue;
                        }
                        for (int ch = 0; ch < c; ch++) {
                            float v = in[inOff + at + ch];
                            float m = out[o + ch];
                            // the first maximum wins, as in DL4J; written without a branch
                            boolean up = v > m;
                            out[o + ch] = up ? v : m;
                            arg[a + ch] = up ? at + ch : arg[a + ch];
                        }
                    }
                }
                if (first) { // a window entirely in the padding
                    Arrays.fill(out, o, o + c, 0f);
                    Arrays.fill(arg, a, a + c, -1f);
                }
                if (masksPreviousRelu) {
                    for (int ch = 0; ch < c; ch++) {
                        arg[a + ch] = out[o + ch] > 0f ? arg[a + ch] : -1f;
                    }
                }
            }
        }
    }

    private int cells(int oy, int ox) {
        if (padInDivisor) {
            return g.kh() * g.kw();
        }
        int count = 0;
        for (int ky = 0; ky < g.kh(); ky++) {
            int iy = oy * g.sh() + ky * g.dh() - g.padTop();
            for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx * g.dw() - g.padLeft();
                if (iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW()) {
                    count++;
                }
            }
        }
        return Math.max(1, count);
    }

    private void avgImage(float[] in, int inOff, float[] out, int outOff) {
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int o = outOff + (oy * g.outW() + ox) * c;
                Arrays.fill(out, o, o + c, 0f);
                for (int ky = 0; ky < g.kh(); ky++) {
                    int iy = oy * g.sh() + ky * g.dh() - g.padTop();
                    if (iy < 0 || iy >= g.inH()) {
                        continue;
                    }
                    for (int kx = 0; kx < g.kw(); kx++) {
                        int ix = ox * g.sw() + kx * g.dw() - g.padLeft();
                        if (ix < 0 || ix >= g.inW()) {
                            continue;
                        }
                        int at = inOff + (iy * g.inW() + ix) * c;
                        for (int ch = 0; ch < c; ch++) {
                            out[o + ch] += in[at + ch];
                        }
                    }
                }
                float inv = 1f / cells(oy, ox);
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
        Arrays.fill(dIn, 0, n * inSize, 0f);
        for (int i = 0; i < n; i++) {
            int io = i * inSize;
            int oo = i * outSize;
            if (max) {
                for (int j = 0; j < outSize; j++) {
                    int at = (int) scratch[oo + j]; // -1: no gradient (padding, or a ReLU that was 0)
                    if (at >= 0) {
                        dIn[io + at] += dOut[oo + j];
                    }
                }
                continue;
            }
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    int o = oo + (oy * g.outW() + ox) * c;
                    float inv = 1f / cells(oy, ox);
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.sh() + ky * g.dh() - g.padTop();
                        if (iy < 0 || iy >= g.inH()) {
                            continue;
                        }
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int ix = ox * g.sw() + kx * g.dw() - g.padLeft();
                            if (ix < 0 || ix >= g.inW()) {
                                continue;
                            }
                            int at = io + (iy * g.inW() + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                dIn[at + ch] += dOut[o + ch] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
