package io.sweeplab.engine;

import java.util.Arrays;
import java.util.List;

/**
 * 2D convolution with any stride, dilation and padding, optional bias and an activation, input and output
 * channels-last. The kernel is kept as {@code wt[k][oc]} with {@code k = (ky * kw + kx) * inC + c}, followed by the
 * bias as one more row; the im2col columns end with a 1 when there is a bias. So the forward product over the slice
 * is one GEMM {@code out[n*p][oc] = cols[n*p][k+1] * wt[k+1][oc]} with the bias and the ReLU in its epilogue, and
 * the weight and bias gradient are one more; {@code w[oc][k]} (a transposed copy) serves the input gradient.
 */
final class ConvLayer extends FastLayer {

    final int inH;
    final int inW;
    final int inC;
    final int outH;
    final int outW;
    final int outC;
    final int kh;
    final int kw;
    final int sh;
    final int sw;
    final int dh;
    final int dw;
    final int padTop;
    final int padLeft;
    final boolean hasBias;
    final Act act;
    final int k;
    /** Columns per output position: the kernel's {@link #k}, and a 1 for the bias. */
    final int kc;

    final int p;
    private final float[] w;

    ConvLayer(Geometry g, int inC, int outC, boolean hasBias, Act act) {
        super(g.inH() * g.inW() * inC, g.outH() * g.outW() * outC);
        this.inH = g.inH();
        this.inW = g.inW();
        this.inC = inC;
        this.outC = outC;
        this.kh = g.kh();
        this.kw = g.kw();
        this.sh = g.sh();
        this.sw = g.sw();
        this.dh = g.dh();
        this.dw = g.dw();
        this.outH = g.outH();
        this.outW = g.outW();
        this.padTop = g.padTop();
        this.padLeft = g.padLeft();
        this.hasBias = hasBias;
        this.act = act;
        this.k = kh * kw * inC;
        this.kc = k + (hasBias ? 1 : 0);
        this.p = outH * outW;
        this.w = new float[outC * k];
    }

    /** The spatial arithmetic of a convolution or pooling window, shared by both. */
    record Geometry(
            int inH,
            int inW,
            int kh,
            int kw,
            int sh,
            int sw,
            int dh,
            int dw,
            int padTop,
            int padLeft,
            int outH,
            int outW) {

        /** DL4J's {@code Same} mode: output {@code ceil(in / stride)}, the padding split with the extra at the end. */
        static Geometry same(int inH, int inW, int kh, int kw, int sh, int sw, int dh, int dw) {
            int outH = (inH + sh - 1) / sh;
            int outW = (inW + sw - 1) / sw;
            int effH = kh + (kh - 1) * (dh - 1);
            int effW = kw + (kw - 1) * (dw - 1);
            int padH = Math.max(0, (outH - 1) * sh + effH - inH);
            int padW = Math.max(0, (outW - 1) * sw + effW - inW);
            return new Geometry(inH, inW, kh, kw, sh, sw, dh, dw, padH / 2, padW / 2, outH, outW);
        }

        /** DL4J's {@code Truncate} mode with explicit padding: {@code (in + 2 pad - effective kernel) / stride + 1}. */
        static Geometry truncate(int inH, int inW, int kh, int kw, int sh, int sw, int dh, int dw, int ph, int pw) {
            int effH = kh + (kh - 1) * (dh - 1);
            int effW = kw + (kw - 1) * (dw - 1);
            int outH = (inH + 2 * ph - effH) / sh + 1;
            int outW = (inW + 2 * pw - effW) / sw + 1;
            return new Geometry(inH, inW, kh, kw, sh, sw, dh, dw, ph, pw, outH, outW);
        }
    }

    @Override
    List<Block> blocks() {
        return hasBias
                ? List.of(new Block("W", 0, k * outC), new Block("b", k * outC, outC))
                : List.of(new Block("W", 0, k * outC));
    }

    @Override
    int scratchSize() {
        return p * kc; // the im2col columns, kept for the weight gradient, then reused for the column gradient
    }

    @Override
    void paramsChanged(float[] params) {
        for (int kk = 0; kk < k; kk++) {
            int src = offset + kk * outC;
            for (int oc = 0; oc < outC; oc++) {
                w[oc * k + kk] = params[src + oc];
            }
        }
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] cols, int n) {
        for (int i = 0; i < n; i++) {
            im2col(in, i * inSize, cols, i * p * kc);
        }
        boolean relu = act.kind() == Act.Kind.RELU;
        Gemm.INSTANCE.gemm(
                n * p,
                outC,
                kc,
                cols,
                0,
                kc,
                1,
                params,
                offset,
                outC,
                out,
                0,
                outC,
                relu ? Gemm.Mode.STORE_RELU : Gemm.Mode.STORE);
        if (!relu) {
            act.apply(out, 0, n * outSize);
        }
    }

    private void im2col(float[] in, int inOff, float[] cols, int colOff) {
        int c = colOff;
        int rowLen = kw * inC;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int ix0 = ox * sw - padLeft;
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh + ky * dh - padTop;
                    if (iy < 0 || iy >= inH) {
                        Arrays.fill(cols, c, c + rowLen, 0f);
                    } else if (dw == 1 && ix0 >= 0 && ix0 + kw <= inW) {
                        int src = inOff + (iy * inW + ix0) * inC;
                        if (rowLen < 16) { // a call per few floats costs more than copying them (the first layer's 3)
                            for (int q = 0; q < rowLen; q++) {
                                cols[c + q] = in[src + q];
                            }
                        } else {
                            System.arraycopy(in, src, cols, c, rowLen);
                        }
                    } else {
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ix0 + kx * dw;
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
                if (hasBias) {
                    cols[c++] = 1f;
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
            float[] cols,
            int n,
            float[] grad) {
        if (!reluMaskedByNext) {
            act.backward(out, 0, dOut, 0, n * outSize);
        }
        // dWt[k+1][oc] += cols[np][k+1]^T * dOut[np][oc]: the kernel's gradient and, in its last row, the bias's
        Gemm.INSTANCE.gemm(kc, outC, n * p, cols, 0, 1, kc, dOut, 0, outC, grad, offset, outC);
        if (dIn != null) {
            // dCols[np][k] = dOut[np][oc] * w[oc][k], into the columns (no longer needed), then back onto the input
            Gemm.INSTANCE.gemm(n * p, k, outC, dOut, 0, outC, 1, w, 0, k, cols, 0, k, Gemm.Mode.STORE);
            Arrays.fill(dIn, 0, n * inSize, 0f);
            for (int i = 0; i < n; i++) {
                col2imAdd(cols, i * p * k, dIn, i * inSize);
            }
        }
    }

    /** Adds each output position's column gradient back onto the input positions it was read from. */
    private void col2imAdd(float[] dcols, int dcolOff, float[] dIn, int dInOff) {
        int c = dcolOff;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int ix0 = ox * sw - padLeft;
                boolean rowsInside = dw == 1 && ix0 >= 0 && ix0 + kw <= inW;
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh + ky * dh - padTop;
                    if (rowsInside && iy >= 0 && iy < inH) { // the kernel's row lies inside: one contiguous run
                        int dst = dInOff + (iy * inW + ix0) * inC;
                        int len = kw * inC;
                        for (int q = 0; q < len; q++) {
                            dIn[dst + q] += dcols[c + q];
                        }
                        c += len;
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++, c += inC) {
                        int ix = ox * sw + kx * dw - padLeft;
                        if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                            continue;
                        }
                        int dst = dInOff + (iy * inW + ix) * inC;
                        for (int ch = 0; ch < inC; ch++) {
                            dIn[dst + ch] += dcols[c + ch];
                        }
                    }
                }
            }
        }
    }
}
