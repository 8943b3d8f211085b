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
        Gemm.INSTANCE.gemm(m, n, t, a, 3, aRs, aCs, b, 5, n, c1, 4, n);
        Gemm.SCALAR.gemm(m, n, t, a, 3, aRs, aCs, b, 5, n, c2, 4, n);
        for (int i = 0; i < c1.length; i++) {
            assertThat(c1[i]).isCloseTo(c2[i], org.assertj.core.api.Assertions.within(1e-3f * (1 + Math.abs(c2[i]))));
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
}
