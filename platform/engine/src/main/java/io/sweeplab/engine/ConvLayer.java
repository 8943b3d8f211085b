package io.sweeplab.engine;

import java.util.Arrays;

/**
 * 2D convolution, stride 1, with bias and optional ReLU, input and output channels-last. The kernel is kept as
 * {@code wt[k][oc]} with {@code k = (ky * kw + kx) * inC + c}, so that the forward product and the weight
 * gradient are row-wise axpys over the output channels, and as {@code w[oc][k]} for the input gradient.
 */
final class ConvLayer extends WeightedLayer {

    final int inH;
    final int inW;
    final int inC;
    final int outH;
    final int outW;
    final int outC;
    final int kh;
    final int kw;
    final int padTop;
    final int padLeft;
    final boolean relu;
    final int k;
    final int p;
    final float[] wt;
    final float[] w;
    final float[] b;

    ConvLayer(int inH, int inW, int inC, int outC, int kh, int kw, boolean same, boolean relu) {
        super(inH * inW * inC, outSizeOf(inH, inW, outC, kh, kw, same), kh * kw * inC * outC, outC);
        this.inH = inH;
        this.inW = inW;
        this.inC = inC;
        this.outC = outC;
        this.kh = kh;
        this.kw = kw;
        this.outH = same ? inH : inH - kh + 1;
        this.outW = same ? inW : inW - kw + 1;
        this.padTop = same ? (kh - 1) / 2 : 0;
        this.padLeft = same ? (kw - 1) / 2 : 0;
        this.relu = relu;
        this.k = kh * kw * inC;
        this.p = outH * outW;
        this.wt = weights;
        this.w = new float[outC * k];
        this.b = bias;
    }

    private static int outSizeOf(int inH, int inW, int outC, int kh, int kw, boolean same) {
        return (same ? inH : inH - kh + 1) * (same ? inW : inW - kw + 1) * outC;
    }

    @Override
    int scratchSize() {
        return p * k; // the im2col columns, kept for the weight gradient
    }

    @Override
    void paramsChanged() {
        for (int kk = 0; kk < k; kk++) {
            for (int oc = 0; oc < outC; oc++) {
                w[oc * k + kk] = wt[kk * outC + oc];
            }
        }
    }

    @Override
    void forward(float[] in, int inOff, float[] out, int outOff, float[] scratch, int scrOff) {
        im2col(in, inOff, scratch, scrOff);
        for (int pp = 0; pp < p; pp++) {
            System.arraycopy(b, 0, out, outOff + pp * outC, outC);
        }
        // out[p][oc] += cols[p][k] * wt[k][oc]
        Gemm.INSTANCE.gemm(p, outC, k, scratch, scrOff, k, 1, wt, 0, outC, out, outOff, outC);
        if (relu) {
            for (int j = outOff; j < outOff + outSize; j++) {
                if (out[j] < 0f) {
                    out[j] = 0f;
                }
            }
        }
    }

    private void im2col(float[] in, int inOff, float[] cols, int colOff) {
        int c = colOff;
        int rowLen = kw * inC;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy + ky - padTop;
                    int ix0 = ox - padLeft;
                    if (iy < 0 || iy >= inH) {
                        Arrays.fill(cols, c, c + rowLen, 0f);
                    } else if (ix0 >= 0 && ix0 + kw <= inW) {
                        System.arraycopy(in, inOff + (iy * inW + ix0) * inC, cols, c, rowLen);
                    } else {
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ix0 + kx;
                            int dst = c + kx * inC;
                            if (ix < 0 || ix >= inW) {
                                Arrays.fill(cols, dst, dst + inC, 0f);
                            } else {
                                System.arraycopy(in, inOff + (iy * inW + ix) * inC, cols, dst, inC);
                            }
                        }
                    }
                    c += rowLen;
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
        int gb = gradOff + wt.length;
        for (int pp = 0; pp < p; pp++) {
            int o = dOutOff + pp * outC;
            for (int j = 0; j < outC; j++) {
                grad[gb + j] += dOut[o + j];
            }
        }
        // dWt[k][oc] += cols[p][k] * dOut[p][oc], A = cols transposed
        Gemm.INSTANCE.gemm(k, outC, p, scratch, scrOff, 1, k, dOut, dOutOff, outC, grad, gradOff, outC);
        if (dIn != null) {
            // dCols[p][k] = dOut[p][oc] * w[oc][k], then scattered back onto the input
            float[] dcols = DCOLS.get();
            if (dcols.length < p * k) {
                dcols = new float[p * k];
                DCOLS.set(dcols);
            }
            Arrays.fill(dcols, 0, p * k, 0f);
            Gemm.INSTANCE.gemm(p, k, outC, dOut, dOutOff, outC, 1, w, 0, k, dcols, 0, k);
            Arrays.fill(dIn, dInOff, dInOff + inSize, 0f);
            for (int pp = 0; pp < p; pp++) {
                col2imAdd(dcols, pp * k, pp, dIn, dInOff);
            }
        }
    }

    private static final ThreadLocal<float[]> DCOLS = ThreadLocal.withInitial(() -> new float[0]);

    /** Adds one output position's column gradient back onto the input positions it was read from. */
    private void col2imAdd(float[] dcol, int dcolOff, int pp, float[] dIn, int dInOff) {
        int oy = pp / outW;
        int ox = pp % outW;
        int c = 0;
        for (int ky = 0; ky < kh; ky++) {
            int iy = oy + ky - padTop;
            for (int kx = 0; kx < kw; kx++, c += inC) {
                int ix = ox + kx - padLeft;
                if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                    continue;
                }
                int dst = dInOff + (iy * inW + ix) * inC;
                for (int ch = 0; ch < inC; ch++) {
                    dIn[dst + ch] += dcol[dcolOff + c + ch];
                }
            }
        }
    }
}
