package io.sweeplab.engine;

/**
 * One layer of a {@link FastNet}, working on one image at a time in channels-last (HWC) layout. Parameters are
 * shared; everything per image lives in the caller's buffers, so threads can run disjoint images at once.
 */
abstract class FastLayer {

    /** Floats per image of input and output. */
    final int inSize;

    final int outSize;

    FastLayer(int inSize, int outSize) {
        this.inSize = inSize;
        this.outSize = outSize;
    }

    /** Number of trainable parameters (0 for pooling). */
    int paramCount() {
        return 0;
    }

    /** Floats of per-image scratch this layer keeps between forward and backward (im2col columns, argmax). */
    int scratchSize() {
        return 0;
    }

    /** Copies the parameters into {@code dst} at {@code off} (the engine's flat order); returns the count. */
    void getParams(float[] dst, int off) {}

    void setParams(float[] src, int off) {}

    /** Called after every parameter update, to refresh derived copies (transposes). */
    void paramsChanged() {}

    abstract void forward(float[] in, int inOff, float[] out, int outOff, float[] scratch, int scrOff);

    /**
     * @param dOut gradient of the loss w.r.t. this layer's output (post-activation); may be overwritten
     * @param dIn where to write the gradient w.r.t. the input, or null when not needed (first layer)
     * @param grad this thread's gradient accumulator, in the engine's flat parameter order
     * @param gradOff where this layer's parameters start in it
     */
    abstract void backward(
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
            int gradOff);
}
