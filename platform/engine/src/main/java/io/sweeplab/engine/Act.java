package io.sweeplab.engine;

/**
 * An element-wise activation as DL4J defines it, applied in place to a layer's output, and its derivative computed
 * from that output (so no pre-activation needs keeping): relu, leaky relu, elu, tanh, sigmoid, identity.
 */
record Act(Kind kind, float alpha) {

    enum Kind {
        IDENTITY,
        RELU,
        LEAKY_RELU,
        ELU,
        TANH,
        SIGMOID
    }

    static final Act IDENTITY = new Act(Kind.IDENTITY, 0f);
    static final Act RELU = new Act(Kind.RELU, 0f);

    boolean identity() {
        return kind == Kind.IDENTITY;
    }

    /** {@code y[from, to) = f(y)}. */
    void apply(float[] y, int from, int to) {
        switch (kind) {
            case IDENTITY -> {}
            case RELU -> Gemm.INSTANCE.relu(y, from, to);
            case LEAKY_RELU -> {
                for (int i = from; i < to; i++) {
                    if (y[i] < 0f) {
                        y[i] *= alpha;
                    }
                }
            }
            case ELU -> {
                for (int i = from; i < to; i++) {
                    if (y[i] < 0f) {
                        y[i] = (float) (alpha * Math.expm1(y[i]));
                    }
                }
            }
            case TANH -> {
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.tanh(y[i]);
                }
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) {
                    y[i] = (float) (1.0 / (1.0 + Math.exp(-y[i])));
                }
            }
        }
    }

    /** {@code dy[i] *= f'(x)} where {@code y = f(x)} is the stored output, for i in [from, to). */
    void backward(float[] y, int yOff, float[] dy, int dyOff, int len) {
        switch (kind) {
            case IDENTITY -> {}
            case RELU -> Gemm.INSTANCE.reluMask(y, yOff, dy, dyOff, len);
            case LEAKY_RELU -> {
                for (int i = 0; i < len; i++) {
                    if (y[yOff + i] < 0f) {
                        dy[dyOff + i] *= alpha;
                    }
                }
            }
            case ELU -> {
                for (int i = 0; i < len; i++) {
                    float v = y[yOff + i];
                    if (v < 0f) {
                        dy[dyOff + i] *= v + alpha;
                    }
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    float v = y[yOff + i];
                    dy[dyOff + i] *= 1f - v * v;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    float v = y[yOff + i];
                    dy[dyOff + i] *= v * (1f - v);
                }
            }
        }
    }
}
