package io.sweeplab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD {@link Gemm}: tiles of R rows by 2 vectors of C (R = 8 with 512-bit vectors, whose 32 registers hold
 * 16 accumulators, 4 with narrower ones) are accumulated in registers over the whole inner dimension with fused
 * multiply-adds, each B load feeding R of them, then written to C once (added, stored, or stored through ReLU).
 * Loaded only when the JVM has the incubator module.
 */
final class VectorGemm extends Gemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final boolean WIDE = L >= 16;

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
            int ldc,
            Mode mode) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            if (WIDE) {
                for (; i + 8 <= m; i += 8) {
                    int a0 = aOff + i * aRs;
                    int c0 = cOff + i * ldc + j;
                    switch (mode) {
                        case ACCUMULATE -> tile8x2Add(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                        case STORE -> tile8x2Store(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                        case STORE_RELU -> tile8x2Relu(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    }
                }
            }
            for (; i + 4 <= m; i += 4) {
                int a0 = aOff + i * aRs;
                int c0 = cOff + i * ldc + j;
                switch (mode) {
                    case ACCUMULATE -> tile4x2Add(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE -> tile4x2Store(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE_RELU -> tile4x2Relu(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                }
            }
            for (; i + 2 <= m; i += 2) {
                int a0 = aOff + i * aRs;
                int c0 = cOff + i * ldc + j;
                switch (mode) {
                    case ACCUMULATE -> tile2x2Add(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE -> tile2x2Store(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE_RELU -> tile2x2Relu(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                }
            }
            for (; i < m; i++) {
                int a0 = aOff + i * aRs;
                int c0 = cOff + i * ldc + j;
                switch (mode) {
                    case ACCUMULATE -> tile1x2Add(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE -> tile1x2Store(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE_RELU -> tile1x2Relu(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                }
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = aOff + i * aRs;
                int c0 = cOff + i * ldc + j;
                switch (mode) {
                    case ACCUMULATE -> tile4x1Add(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE -> tile4x1Store(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE_RELU -> tile4x1Relu(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                }
            }
            for (; i < m; i++) {
                int a0 = aOff + i * aRs;
                int c0 = cOff + i * ldc + j;
                switch (mode) {
                    case ACCUMULATE -> tile1x1Add(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE -> tile1x1Store(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                    case STORE_RELU -> tile1x1Relu(t, a, a0, aRs, aCs, b, bOff + j, ldb, c, c0, ldc);
                }
            }
        }
        if (j < n) {
            SCALAR.gemm(m, n - j, t, a, aOff, aRs, aCs, b, bOff + j, ldb, c, cOff + j, ldc, mode);
        }
    }

    // The tiles, one per row count and mode, generated alike. None holds a branch on a vector value: in JDK 17, C2
    // keeps a vector that two paths merge in a heap object, and runs the Vector API's plain-Java fallback, ten
    // times slower (which is also why each mode has its own tiles instead of a flag).

    private static void tile8x2Add(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
        FloatVector c01 = FloatVector.fromArray(S, c, c0 + 0 * ldc + L);
        FloatVector c10 = FloatVector.fromArray(S, c, c0 + 1 * ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, c0 + 1 * ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, c0 + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(S, c, c0 + 4 * ldc + L);
        FloatVector c50 = FloatVector.fromArray(S, c, c0 + 5 * ldc);
        FloatVector c51 = FloatVector.fromArray(S, c, c0 + 5 * ldc + L);
        FloatVector c60 = FloatVector.fromArray(S, c, c0 + 6 * ldc);
        FloatVector c61 = FloatVector.fromArray(S, c, c0 + 6 * ldc + L);
        FloatVector c70 = FloatVector.fromArray(S, c, c0 + 7 * ldc);
        FloatVector c71 = FloatVector.fromArray(S, c, c0 + 7 * ldc + L);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, a[ai + 4 * aRs]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[ai + 5 * aRs]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[ai + 6 * aRs]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[ai + 7 * aRs]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
        c60.intoArray(c, c0 + 6 * ldc);
        c61.intoArray(c, c0 + 6 * ldc + L);
        c70.intoArray(c, c0 + 7 * ldc);
        c71.intoArray(c, c0 + 7 * ldc + L);
    }

    private static void tile8x2Store(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, a[ai + 4 * aRs]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[ai + 5 * aRs]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[ai + 6 * aRs]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[ai + 7 * aRs]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
        c60.intoArray(c, c0 + 6 * ldc);
        c61.intoArray(c, c0 + 6 * ldc + L);
        c70.intoArray(c, c0 + 7 * ldc);
        c71.intoArray(c, c0 + 7 * ldc + L);
    }

    private static void tile8x2Relu(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, a[ai + 4 * aRs]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[ai + 5 * aRs]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[ai + 6 * aRs]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[ai + 7 * aRs]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        c00.max(0f).intoArray(c, c0 + 0 * ldc);
        c01.max(0f).intoArray(c, c0 + 0 * ldc + L);
        c10.max(0f).intoArray(c, c0 + 1 * ldc);
        c11.max(0f).intoArray(c, c0 + 1 * ldc + L);
        c20.max(0f).intoArray(c, c0 + 2 * ldc);
        c21.max(0f).intoArray(c, c0 + 2 * ldc + L);
        c30.max(0f).intoArray(c, c0 + 3 * ldc);
        c31.max(0f).intoArray(c, c0 + 3 * ldc + L);
        c40.max(0f).intoArray(c, c0 + 4 * ldc);
        c41.max(0f).intoArray(c, c0 + 4 * ldc + L);
        c50.max(0f).intoArray(c, c0 + 5 * ldc);
        c51.max(0f).intoArray(c, c0 + 5 * ldc + L);
        c60.max(0f).intoArray(c, c0 + 6 * ldc);
        c61.max(0f).intoArray(c, c0 + 6 * ldc + L);
        c70.max(0f).intoArray(c, c0 + 7 * ldc);
        c71.max(0f).intoArray(c, c0 + 7 * ldc + L);
    }

    private static void tile4x2Add(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
        FloatVector c01 = FloatVector.fromArray(S, c, c0 + 0 * ldc + L);
        FloatVector c10 = FloatVector.fromArray(S, c, c0 + 1 * ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, c0 + 1 * ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
    }

    private static void tile4x2Store(
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
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
    }

    private static void tile4x2Relu(
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
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2 * aRs]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3 * aRs]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        c00.max(0f).intoArray(c, c0 + 0 * ldc);
        c01.max(0f).intoArray(c, c0 + 0 * ldc + L);
        c10.max(0f).intoArray(c, c0 + 1 * ldc);
        c11.max(0f).intoArray(c, c0 + 1 * ldc + L);
        c20.max(0f).intoArray(c, c0 + 2 * ldc);
        c21.max(0f).intoArray(c, c0 + 2 * ldc + L);
        c30.max(0f).intoArray(c, c0 + 3 * ldc);
        c31.max(0f).intoArray(c, c0 + 3 * ldc + L);
    }

    private static void tile2x2Add(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
        FloatVector c01 = FloatVector.fromArray(S, c, c0 + 0 * ldc + L);
        FloatVector c10 = FloatVector.fromArray(S, c, c0 + 1 * ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, c0 + 1 * ldc + L);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
    }

    private static void tile2x2Store(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
    }

    private static void tile2x2Relu(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1 * aRs]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
        }
        c00.max(0f).intoArray(c, c0 + 0 * ldc);
        c01.max(0f).intoArray(c, c0 + 0 * ldc + L);
        c10.max(0f).intoArray(c, c0 + 1 * ldc);
        c11.max(0f).intoArray(c, c0 + 1 * ldc + L);
    }

    private static void tile1x2Add(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
        FloatVector c01 = FloatVector.fromArray(S, c, c0 + 0 * ldc + L);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
    }

    private static void tile1x2Store(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
    }

    private static void tile1x2Relu(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bi);
            FloatVector b1v = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ai + 0 * aRs]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
        }
        c00.max(0f).intoArray(c, c0 + 0 * ldc);
        c01.max(0f).intoArray(c, c0 + 0 * ldc + L);
    }

    private static void tile4x1Add(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector v0 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
        FloatVector v1 = FloatVector.fromArray(S, c, c0 + 1 * ldc);
        FloatVector v2 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector v3 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi);
            v0 = FloatVector.broadcast(S, a[ai + 0 * aRs]).fma(bv, v0);
            v1 = FloatVector.broadcast(S, a[ai + 1 * aRs]).fma(bv, v1);
            v2 = FloatVector.broadcast(S, a[ai + 2 * aRs]).fma(bv, v2);
            v3 = FloatVector.broadcast(S, a[ai + 3 * aRs]).fma(bv, v3);
        }
        v0.intoArray(c, c0 + 0 * ldc);
        v1.intoArray(c, c0 + 1 * ldc);
        v2.intoArray(c, c0 + 2 * ldc);
        v3.intoArray(c, c0 + 3 * ldc);
    }

    private static void tile4x1Store(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector v0 = FloatVector.zero(S);
        FloatVector v1 = FloatVector.zero(S);
        FloatVector v2 = FloatVector.zero(S);
        FloatVector v3 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi);
            v0 = FloatVector.broadcast(S, a[ai + 0 * aRs]).fma(bv, v0);
            v1 = FloatVector.broadcast(S, a[ai + 1 * aRs]).fma(bv, v1);
            v2 = FloatVector.broadcast(S, a[ai + 2 * aRs]).fma(bv, v2);
            v3 = FloatVector.broadcast(S, a[ai + 3 * aRs]).fma(bv, v3);
        }
        v0.intoArray(c, c0 + 0 * ldc);
        v1.intoArray(c, c0 + 1 * ldc);
        v2.intoArray(c, c0 + 2 * ldc);
        v3.intoArray(c, c0 + 3 * ldc);
    }

    private static void tile4x1Relu(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector v0 = FloatVector.zero(S);
        FloatVector v1 = FloatVector.zero(S);
        FloatVector v2 = FloatVector.zero(S);
        FloatVector v3 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi);
            v0 = FloatVector.broadcast(S, a[ai + 0 * aRs]).fma(bv, v0);
            v1 = FloatVector.broadcast(S, a[ai + 1 * aRs]).fma(bv, v1);
            v2 = FloatVector.broadcast(S, a[ai + 2 * aRs]).fma(bv, v2);
            v3 = FloatVector.broadcast(S, a[ai + 3 * aRs]).fma(bv, v3);
        }
        v0.max(0f).intoArray(c, c0 + 0 * ldc);
        v1.max(0f).intoArray(c, c0 + 1 * ldc);
        v2.max(0f).intoArray(c, c0 + 2 * ldc);
        v3.max(0f).intoArray(c, c0 + 3 * ldc);
    }

    private static void tile1x1Add(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector v0 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi);
            v0 = FloatVector.broadcast(S, a[ai + 0 * aRs]).fma(bv, v0);
        }
        v0.intoArray(c, c0 + 0 * ldc);
    }

    private static void tile1x1Store(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector v0 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi);
            v0 = FloatVector.broadcast(S, a[ai + 0 * aRs]).fma(bv, v0);
        }
        v0.intoArray(c, c0 + 0 * ldc);
    }

    private static void tile1x1Relu(
            int t, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb, float[] c, int c0, int ldc) {
        FloatVector v0 = FloatVector.zero(S);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < t; k++, ai += aCs, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi);
            v0 = FloatVector.broadcast(S, a[ai + 0 * aRs]).fma(bv, v0);
        }
        v0.max(0f).intoArray(c, c0 + 0 * ldc);
    }

    private static final FloatVector IOTA;

    static {
        float[] iota = new float[L];
        for (int i = 0; i < L; i++) {
            iota[i] = i;
        }
        IOTA = FloatVector.fromArray(S, iota, 0);
    }

    @Override
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
        if (c % L != 0) {
            super.maxPoolRow(in, base, at0, step, count, cells, out, arg, o0, c, positiveOnly);
            return;
        }
        float floor = positiveOnly ? 0f : Float.NaN; // a NaN floor masks nothing (no vector branches: see the tiles)
        for (int j = 0; j < count; j++) {
            int at = at0 + j * step;
            int o = o0 + j * c;
            for (int ch = 0; ch < c; ch += L) {
                FloatVector m = FloatVector.fromArray(S, in, at + ch);
                FloatVector am = IOTA.add((float) (at + ch - base));
                // one flat loop over the cells: vectors carried through nested loops are not kept in registers
                for (int q = 1; q < cells.length; q++) {
                    int i = at + cells[q] + ch;
                    FloatVector v = FloatVector.fromArray(S, in, i);
                    VectorMask<Float> up = v.compare(VectorOperators.GT, m);
                    m = m.blend(v, up);
                    am = am.blend(IOTA.add((float) (i - base)), up);
                }
                m.intoArray(out, o + ch);
                am.blend(-1f, m.compare(VectorOperators.LE, floor)).intoArray(arg, o + ch);
            }
        }
    }

    @Override
    public void adam(float[] g, float[] m, float[] v, int from, int to, float b1, float b2, float alpha, float eps) {
        int i = from;
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        for (; i + L <= to; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi =
                    FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(gi).mul(c2));
            mi = mi.blend(0f, mi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)); // see Gemm.flush
            vi = vi.blend(0f, vi.compare(VectorOperators.LT, Float.MIN_NORMAL));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            mi.mul(alpha).div(vi.sqrt().add(eps)).intoArray(g, i);
        }
        super.adam(g, m, v, i, to, b1, b2, alpha, eps);
    }

    @Override
    public void relu(float[] y, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(S, y, i).max(0f).intoArray(y, i);
        }
        super.relu(y, i, to);
    }

    @Override
    public void relu(float[] in, float[] out, int len) {
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector.fromArray(S, in, i).max(0f).intoArray(out, i);
        }
        for (; i < len; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    @Override
    public void reluMask(float[] y, int yOff, float[] dy, int dyOff, int len) {
        int i = 0;
        for (; i + L <= len; i += L) {
            VectorMask<Float> off = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.LE, 0f);
            FloatVector.fromArray(S, dy, dyOff + i).blend(0f, off).intoArray(dy, dyOff + i);
        }
        super.reluMask(y, yOff + i, dy, dyOff + i, len - i);
    }
}
