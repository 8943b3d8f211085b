package io.sweeplab.engine;

import java.lang.System.Logger.Level;

/**
 * {@code C[m x n] += A[m x t] * B[t x n]}, the product every layer of the fast engine reduces to. B and C are
 * row-major with leading dimensions {@code ldb} and {@code ldc}; A is addressed through a row and a column stride,
 * so that a transposed A costs nothing. Two implementations: explicit SIMD with fused multiply-adds through the
 * JDK's Vector API, register-blocked so the inner loop touches no memory but A and B, when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; plain loops the JIT vectorises otherwise.
 */
public abstract class Gemm {

    private static final System.Logger LOG = System.getLogger(Gemm.class.getName());

    /** The implementation in use. */
    public static final Gemm INSTANCE = choose();

    /** The plain-Java implementation, always available. */
    public static final Gemm SCALAR = new Scalar();

    public abstract String name();

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
            int ldc);

    private static Gemm choose() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Gemm) Class.forName("io.sweeplab.engine.VectorGemm")
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
                int ldc) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
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
            }
        }
    }
}
