package io.sweeplab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD {@link Gemm}: tiles of 4 rows by 2 vectors of C (16 or 8 floats each, by the CPU's widest vectors) are
 * accumulated in registers over the whole inner dimension with fused multiply-adds, each B load feeding 4 of them,
 * then added to C once. Loaded only when the JVM has the incubator module.
 */
final class VectorGemm extends Gemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public String name() {
        return "simd-" + (L * 32) + "bit";
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
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4x2(t, a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            }
            for (; i < m; i++) {
                tile1x2(t, a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
        for (; j + L <= n; j += L) {
            for (int i = 0; i < m; i++) {
                tile1x1(t, a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
        if (j < n) {
            SCALAR.gemm(m, n - j, t, a, aOff, aRs, aCs, b, bOff + j, ldb, c, cOff + j, ldc);
        }
    }

    private static void tile4x2(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        add(c, c0, c00, c01);
        add(c, c0 + ldc, c10, c11);
        add(c, c0 + 2 * ldc, c20, c21);
        add(c, c0 + 3 * ldc, c30, c31);
    }

    private static void tile1x2(int t, float[] a, int a0, int aCs, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            float s = a[ai];
            if (s != 0f) {
                FloatVector av = FloatVector.broadcast(S, s);
                c00 = av.fma(FloatVector.fromArray(S, b, bi), c00);
                c01 = av.fma(FloatVector.fromArray(S, b, bi + L), c01);
            }
        }
        add(c, c0, c00, c01);
    }

    private static void tile1x1(int t, float[] a, int a0, int aCs, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector acc = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            float s = a[ai];
            if (s != 0f) {
                acc = FloatVector.broadcast(S, s).fma(FloatVector.fromArray(S, b, bi), acc);
            }
        }
        FloatVector.fromArray(S, c, c0).add(acc).intoArray(c, c0);
    }

    private static void add(float[] c, int off, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, c, off).add(v0).intoArray(c, off);
        FloatVector.fromArray(S, c, off + L).add(v1).intoArray(c, off + L);
    }
}
