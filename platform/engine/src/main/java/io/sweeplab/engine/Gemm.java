package io.sweeplab.engine;

import java.lang.System.Logger.Level;

/**
 * The kernels every layer of the fast engine reduces to: {@code C[m x n] (+)= A[m x t] * B[t x n]}, and the
 * element-wise ReLU and its mask. B and C are row-major with leading dimensions {@code ldb} and {@code ldc}; A is
 * addressed through a row and a column stride, so that a transposed A costs nothing. Two implementations: explicit
 * SIMD with fused multiply-adds through the JDK's Vector API, register-blocked so the inner loop touches no memory
 * but A and B, when the JVM runs with {@code --add-modules jdk.incubator.vector}; plain loops otherwise.
 */
public abstract class Gemm {

    private static final System.Logger LOG = System.getLogger(Gemm.class.getName());

    /** What a product does with C: adds to it, overwrites it, or overwrites it with the product's ReLU. */
    public enum Mode {
        ACCUMULATE,
        STORE,
        STORE_RELU
    }

    /** The implementation in use. */
    public static final Gemm INSTANCE = choose();

    /** The plain-Java implementation, always available. */
    public static final Gemm SCALAR = new Scalar();

    public abstract String name();

    /** {@code C += A * B}. */
    public final void gemm(
            int m,
            int n,
            int t,
            float[] a,
            int aOff,
            int aRs,
            int aCs,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        gemm(m, n, t, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, Mode.ACCUMULATE);
    }

    /**
     * @param aRs distance in {@code a} between consecutive rows of A
     * @param aCs distance in {@code a} between consecutive columns of A
     */
    public abstract void gemm(
            int m,
            int n,
            int t,
            float[] a,
            int aOff,
            int aRs,
            int aCs,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            Mode mode);

    /** {@code y = max(y, 0)} over [from, to). */
    public void relu(float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(y[i], 0f);
        }
    }

    /** {@code out = max(in, 0)} over the first {@code len} values. */
    public void relu(float[] in, float[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    /** {@code dy[i] = 0} where {@code y[i] <= 0}: ReLU's backward step, from its output. */
    public void reluMask(float[] y, int yOff, float[] dy, int dyOff, int len) {
        for (int i = 0; i < len; i++) {
            dy[dyOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    /**
     * Max pooling of {@code count} windows of one output row that lie inside the input, window {@code j} starting at
     * {@code at0 + j * step}, its cells at the offsets {@code cells} from there, and written at {@code o0 + j * c};
     * {@code arg} gets the input index (relative to {@code base}) of each first maximum, or -1 with {@code
     * positiveOnly} where the maximum is not positive (no gradient: the ReLU before it was 0 there).
     */
    public void maxPoolRow(
            float[] in,
            int base,
            int at0,
            int step,
            int count,
            int[] cells,
            float[] out,
            float[] arg,
            int o0,
            int c,
            boolean positiveOnly) {
        for (int j = 0; j < count; j++) {
            int at = at0 + j * step;
            int o = o0 + j * c;
            for (int ch = 0; ch < c; ch++) {
                float m = in[at + ch];
                int am = at + ch;
                for (int q = 1; q < cells.length; q++) {
                    int i = at + cells[q] + ch;
                    if (in[i] > m) {
                        m = in[i];
                        am = i;
                    }
                }
                out[o + ch] = m;
                arg[o + ch] = positiveOnly && !(m > 0f) ? -1f : am - base;
            }
        }
    }

    /**
     * One Adam step over [from, to): the moments {@code m}, {@code v} move towards the gradient {@code g}, which
     * becomes the update {@code alpha * m / (sqrt(v) + eps)}. Moments that decay below the smallest normal float
     * become 0 (see {@link #flush}).
     */
    public void adam(float[] g, float[] m, float[] v, int from, int to, float b1, float b2, float alpha, float eps) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = flush(b1 * m[i] + (1 - b1) * gi);
            float vi = flush(b2 * v[i] + (1 - b2) * gi * gi);
            m[i] = mi;
            v[i] = vi;
            g[i] = alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    /**
     * 0 for a subnormal float, else the value. An optimiser's state decays geometrically where gradients are 0
     * (dead ReLU units: Adam's first moment is subnormal for a fifth of the lab CNN's weights after one epoch), and
     * arithmetic on subnormals is a hundred times slower; their effect on an update is below 1e-30.
     */
    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    private static Gemm choose() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Gemm) Class.forName(Gemm.class.getPackageName() + ".VectorGemm")
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.log(
                        Level.WARNING,
                        "SWL-ENGINE-002 SIMD kernels unavailable ({0}); using plain loops",
                        e.toString());
            }
        } else {
            LOG.log(
                    Level.INFO,
                    "SWL-ENGINE-001 the fast engine uses plain loops; start java with"
                            + " --add-modules jdk.incubator.vector for its SIMD kernels (several times faster)");
        }
        return new Scalar();
    }

    /** Row-wise axpys, skipping zeros of A (frequent after ReLU). */
    static final class Scalar extends Gemm {
        @Override
        public String name() {
            return "scalar";
        }

        @Override
        public void gemm(
                int m,
                int n,
                int t,
                float[] a,
                int aOff,
                int aRs,
                int aCs,
                float[] b,
                int bOff,
                int ldb,
                float[] c,
                int cOff,
                int ldc,
                Mode mode) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (mode != Mode.ACCUMULATE) {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
                int ai = aOff + i * aRs;
                for (int k = 0; k < t; k++) {
                    float av = a[ai + k * aCs];
                    if (av != 0f) {
                        int bk = bOff + k * ldb;
                        for (int j = 0; j < n; j++) {
                            c[ci + j] += av * b[bk + j];
                        }
                    }
                }
                if (mode == Mode.STORE_RELU) {
                    relu(c, ci, ci + n);
                }
            }
        }
    }
}
