package io.sweeplab.engine;

import java.util.Arrays;

/** Max pooling with a square window equal to its stride, no padding (Keras' MaxPooling2D), channels-last. */
final class PoolLayer extends FastLayer {

    final int inH;
    final int inW;
    final int c;
    final int size;
    final int outH;
    final int outW;

    PoolLayer(int inH, int inW, int c, int size) {
        super(inH * inW * c, (inH / size) * (inW / size) * c);
        this.inH = inH;
        this.inW = inW;
        this.c = c;
        this.size = size;
        this.outH = inH / size;
        this.outW = inW / size;
    }

    @Override
    int scratchSize() {
        return outSize; // the input index of each maximum, as a float
    }

    @Override
    void forward(float[] in, int inOff, float[] out, int outOff, float[] scratch, int scrOff) {
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = outOff + (oy * outW + ox) * c;
                int s = scrOff + (oy * outW + ox) * c;
                int first = ((oy * size) * inW + ox * size) * c;
                for (int ch = 0; ch < c; ch++) {
                    out[o + ch] = in[inOff + first + ch];
                    scratch[s + ch] = first + ch;
                }
                for (int dy = 0; dy < size; dy++) {
                    for (int dx = 0; dx < size; dx++) {
                        if (dy == 0 && dx == 0) {
                            continue;
                        }
                        int at = ((oy * size + dy) * inW + ox * size + dx) * c;
                        for (int ch = 0; ch < c; ch++) {
                            float v = in[inOff + at + ch];
                            if (v > out[o + ch]) {
                                out[o + ch] = v;
                                scratch[s + ch] = at + ch;
                            }
                        }
                    }
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
        if (dIn == null) {
            return;
        }
        Arrays.fill(dIn, dInOff, dInOff + inSize, 0f);
        for (int i = 0; i < outSize; i++) {
            dIn[dInOff + (int) scratch[scrOff + i]] += dOut[dOutOff + i];
        }
    }
}
