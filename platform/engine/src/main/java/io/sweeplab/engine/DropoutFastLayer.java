package io.sweeplab.engine;

import java.util.SplittableRandom;

/**
 * DL4J's inverted dropout: in training each input is kept with probability {@code p} (DL4J's retain probability)
 * and scaled by {@code 1/p}; in inference it passes unchanged. It stands for a {@code DropoutLayer} and for a
 * layer's own {@code dropOut(p)}, which DL4J applies to that layer's input. The mask of an image is drawn from the
 * network's seed, the optimiser step, this layer and the image's place in the batch.
 */
final class DropoutFastLayer extends FastLayer {

    final double p;
    final int index;

    DropoutFastLayer(int size, double p, int index) {
        super(size, size);
        this.p = p;
        this.index = index;
    }

    @Override
    int scratchSize() {
        return inSize; // the mask, 0 or 1/p
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] mask, int n) {
        if (!pass.training()) {
            System.arraycopy(in, 0, out, 0, n * inSize);
            return;
        }
        for (int i = 0; i < n; i++) {
            int o = i * inSize;
            mask(pass.seed(), pass.step(), index, pass.first() + i, p, mask, o, inSize);
            for (int j = o; j < o + inSize; j++) {
                out[j] = in[j] * mask[j];
            }
        }
    }

    /** The mask of one image: each of {@code len} values 1/p with probability p, else 0. */
    static void mask(long seed, long step, int layer, int image, double p, float[] m, int off, int len) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, step, layer, image));
        float scale = (float) (1.0 / p);
        for (int j = off; j < off + len; j++) {
            m[j] = rnd.nextDouble() < p ? scale : 0f;
        }
    }

    static long mix(long seed, long step, int layer, int image) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = (h ^ step) * 0xBF58476D1CE4E5B9L;
        h = (h ^ layer) * 0x94D049BB133111EBL;
        h = (h ^ image) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }

    @Override
    void backward(
            Pass pass,
            float[] params,
            float[] in,
            float[] out,
            float[] dOut,
            float[] dIn,
            float[] mask,
            int n,
            float[] grad) {
        if (dIn != null) {
            for (int j = 0; j < n * inSize; j++) {
                dIn[j] = dOut[j] * mask[j];
            }
        }
    }
}
