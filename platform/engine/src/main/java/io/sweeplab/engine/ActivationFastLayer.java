package io.sweeplab.engine;

/** DL4J's {@code ActivationLayer}: an activation on its own. */
final class ActivationFastLayer extends FastLayer {

    final Act act;

    ActivationFastLayer(int size, Act act) {
        super(size, size);
        this.act = act;
    }

    @Override
    void forward(Pass pass, float[] params, float[] in, float[] out, float[] scratch, int n) {
        if (act.kind() == Act.Kind.RELU) {
            Gemm.INSTANCE.relu(in, out, n * inSize);
        } else {
            System.arraycopy(in, 0, out, 0, n * inSize);
            act.apply(out, 0, n * outSize);
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
        if (dIn != null) {
            System.arraycopy(dOut, 0, dIn, 0, n * inSize);
            if (!reluMaskedByNext) {
                act.backward(out, 0, dIn, 0, n * inSize);
            }
        }
    }
}
