package io.sweeplab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GemmTest {

    @org.junit.jupiter.api.Test
    void the_simd_kernels_are_in_use_when_the_module_is_enabled() {
        // surefire starts the test JVM with --add-modules jdk.incubator.vector, as the README's run command does
        assertThat(Gemm.INSTANCE.name()).startsWith("simd-");
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transposedA={3}")
    @CsvSource({
        "121, 32, 288, false", "676, 32, 9, false", "288, 32, 121, true", "9, 32, 676, true", "121, 288, 32, false",
        "1, 128, 800, false", "800, 128, 1, true", "1, 800, 128, false", "5, 7, 3, false", "7, 50, 13, true",
        "3, 16, 1, false", "0, 32, 5, false"
    })
    void simd_equals_plain_loops(int m, int n, int t, boolean transposedA) {
        Random rnd = new Random(m * 31L + n * 7L + t);
        float[] a = new float[m * t + 3];
        float[] b = new float[t * n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() < 0.3 ? 0f : (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        float[] c1 = new float[m * n + 4];
        for (int i = 0; i < c1.length; i++) {
            c1[i] = (float) rnd.nextGaussian();
        }
        float[] c2 = c1.clone();
        int aRs = transposedA ? 1 : t;
        int aCs = transposedA ? m : 1;
        for (Gemm.Mode mode : Gemm.Mode.values()) {
            float[] v1 = c1.clone();
            float[] v2 = c1.clone();
            Gemm.INSTANCE.gemm(m, n, t, a, 3, aRs, aCs, b, 5, n, v1, 4, n, mode);
            Gemm.SCALAR.gemm(m, n, t, a, 3, aRs, aCs, b, 5, n, v2, 4, n, mode);
            for (int i = 0; i < v1.length; i++) {
                assertThat(v1[i])
                        .as(mode + " at " + i)
                        .isCloseTo(v2[i], org.assertj.core.api.Assertions.within(1e-3f * (1 + Math.abs(v2[i]))));
            }
        }
        // the reference itself is right
        float[] c3 = new float[m * n];
        Gemm.SCALAR.gemm(m, n, t, a, 3, aRs, aCs, b, 5, n, c3, 0, n);
        for (int i = 0; i < Math.min(m, 3); i++) {
            for (int j = 0; j < Math.min(n, 3); j++) {
                double s = 0;
                for (int k = 0; k < t; k++) {
                    s += a[3 + i * aRs + k * aCs] * b[5 + k * n + j];
                }
                assertThat((double) c3[i * n + j])
                        .isCloseTo(s, org.assertj.core.api.Assertions.within(1e-3 * (1 + Math.abs(s))));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void store_modes_overwrite_and_apply_relu() {
        float[] a = {1, -2};
        float[] b = new float[2 * 32];
        java.util.Arrays.fill(b, 1f);
        float[] c = new float[32];
        java.util.Arrays.fill(c, 5f);
        Gemm.INSTANCE.gemm(1, 32, 2, a, 0, 2, 1, b, 0, 32, c, 0, 32, Gemm.Mode.STORE);
        assertThat(c).containsOnly(-1f);
        Gemm.INSTANCE.gemm(1, 32, 2, a, 0, 2, 1, b, 0, 32, c, 0, 32, Gemm.Mode.STORE_RELU);
        assertThat(c).containsOnly(0f);
    }

    @org.junit.jupiter.api.Test
    void element_wise_kernels_equal_plain_loops() {
        Random rnd = new Random(5);
        int n = 1000;
        float[] y = new float[n + 7];
        float[] dy = new float[n + 7];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextGaussian();
            dy[i] = (float) rnd.nextGaussian();
        }
        float[] d1 = dy.clone();
        float[] d2 = dy.clone();
        Gemm.INSTANCE.reluMask(y, 3, d1, 7 - 4, n);
        Gemm.SCALAR.reluMask(y, 3, d2, 7 - 4, n);
        assertThat(d1).containsExactly(d2);
        float[] r1 = y.clone();
        float[] r2 = y.clone();
        Gemm.INSTANCE.relu(r1, 2, n + 5);
        Gemm.SCALAR.relu(r2, 2, n + 5);
        assertThat(r1).containsExactly(r2);

        // a 3x2 window over 40 channels (2 full vectors and a tail at 512 bits), ties resolved to the first cell
        int c = 40;
        float[] in = new float[6 * 5 * c];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextInt(4);
        }
        float[] o1 = new float[c];
        float[] a1 = new float[c];
        float[] o2 = new float[c];
        float[] a2 = new float[c];
        int[] cells = new int[6];
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 2; kx++) {
                cells[ky * 2 + kx] = (ky * 5 + kx) * c;
            }
        }
        Gemm.INSTANCE.maxPoolRow(in, 0, (5 + 1) * c, 0, 1, cells, o1, a1, 0, c, false);
        Gemm.SCALAR.maxPoolRow(in, 0, (5 + 1) * c, 0, 1, cells, o2, a2, 0, c, false);
        assertThat(o1).containsExactly(o2);
        assertThat(a1).containsExactly(a2);

        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = i % 3 == 0 ? 0f : (float) rnd.nextGaussian();
            m[i] = i % 3 == 0 ? 1.2e-38f : 0.1f; // decays to 1.08e-38 < Float.MIN_NORMAL
            v[i] = 0.01f;
        }
        float[][] s1 = {g.clone(), m.clone(), v.clone()};
        float[][] s2 = {g.clone(), m.clone(), v.clone()};
        Gemm.INSTANCE.adam(s1[0], s1[1], s1[2], 1, n, 0.9f, 0.999f, 1e-3f, 1e-7f);
        Gemm.SCALAR.adam(s2[0], s2[1], s2[2], 1, n, 0.9f, 0.999f, 1e-3f, 1e-7f);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) {
                assertThat(s1[k][i]).isCloseTo(s2[k][i], org.assertj.core.api.Assertions.within(1e-6f));
            }
        }
        // a first moment decayed below the smallest normal float is 0, not a subnormal
        assertThat(s1[1][3]).isZero();
        assertThat(s2[1][3]).isZero();
    }
}
