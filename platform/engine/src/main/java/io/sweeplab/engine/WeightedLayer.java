package io.sweeplab.engine;

/** A layer with a weight array and a bias, stored in the engine's flat parameter vector in that order. */
abstract class WeightedLayer extends FastLayer {

    final float[] weights;
    final float[] bias;

    WeightedLayer(int inSize, int outSize, int weightCount, int biasCount) {
        super(inSize, outSize);
        this.weights = new float[weightCount];
        this.bias = new float[biasCount];
    }

    @Override
    final int paramCount() {
        return weights.length + bias.length;
    }

    @Override
    final void getParams(float[] dst, int off) {
        System.arraycopy(weights, 0, dst, off, weights.length);
        System.arraycopy(bias, 0, dst, off + weights.length, bias.length);
    }

    @Override
    final void setParams(float[] src, int off) {
        System.arraycopy(src, off, weights, 0, weights.length);
        System.arraycopy(src, off + weights.length, bias, 0, bias.length);
        paramsChanged();
    }
}
