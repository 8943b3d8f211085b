package io.sweeplab.engine;

import java.util.List;

/**
 * One layer of a {@link FastNet}. A thread hands it a slice of the batch: {@code n} images one after the other in
 * its buffers, each channels-last (HWC), so convolutions and dense layers are one matrix product over the slice.
 * Trainable parameters live in the engine's flat vector from {@link #offset}; the layer reads them there and keeps
 * only derived copies (transposes) of its own, refreshed by {@link #paramsChanged}.
 */
abstract class FastLayer {

    /** Floats per image of input and output. */
    final int inSize;

    final int outSize;

    /** Where this layer's parameters start in the engine's flat parameter (and gradient) vector. */
    int offset;

    /**
     * Set on a ReLU layer (or a layer ending in ReLU) followed by max pooling: the pooling applies the ReLU's mask in
     * its own backward step, so this layer skips its own pass.
     */
    boolean reluMaskedByNext;

    FastLayer(int inSize, int outSize) {
        this.inSize = inSize;
        this.outSize = outSize;
    }

    /** A named run of trainable parameters in this layer, DL4J's name for it ({@code W}, {@code b}, {@code gamma}). */
    record Block(String name, int start, int length) {}

    /** This layer's trainable parameters, in order, starting at 0 (relative to {@link #offset}). */
    List<Block> blocks() {
        return List.of();
    }

    final int paramCount() {
        int n = 0;
        for (Block b : blocks()) {
            n += b.length();
        }
        return n;
    }

    /** Floats of per-image scratch kept between forward and backward (im2col columns, argmax, masks). */
    int scratchSize() {
        return 0;
    }

    /** Called once with the number of threads that will run passes. */
    void prepare(int threads) {}

    /** Called after every parameter update (and after weights are read), to refresh derived copies. */
    void paramsChanged(float[] params) {}

    /** Called after every training step, once, on the calling thread (running statistics). */
    void afterStep() {}

    /**
     * @param in {@code n} images of {@link #inSize} floats
     * @param out where the {@code n} outputs of {@link #outSize} floats go
     * @param scratch {@code n * scratchSize()} floats this layer may keep for {@link #backward}
     */
    abstract void forward(Pass pass, float[] params, float[] in, float[] out, float[] scratch, int n);

    /**
     * @param dOut gradient of the loss w.r.t. this layer's output; may be overwritten
     * @param dIn where the gradient w.r.t. the input goes (overwritten), or null when not needed (first layer)
     * @param grad this thread's gradient accumulator, in the engine's flat parameter order
     */
    abstract void backward(
            Pass pass,
            float[] params,
            float[] in,
            float[] out,
            float[] dOut,
            float[] dIn,
            float[] scratch,
            int n,
            float[] grad);

    /** {@code rows} rows of {@code cols} floats of {@code m} summed into {@code acc[off + j]}. */
    static void sumRows(float[] m, int rows, int cols, float[] acc, int off) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                acc[off + j] += m[o + j];
            }
        }
    }

    /** Each of {@code rows} rows of {@code out} set to {@code bias} (or zeros when there is none). */
    static void fillRows(float[] out, int rows, float[] bias, int biasOff, int cols) {
        if (bias == null) {
            java.util.Arrays.fill(out, 0, rows * cols, 0f);
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias, biasOff, out, r * cols, cols);
        }
    }
}
