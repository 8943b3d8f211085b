package io.sweeplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forest's permutation importance on synthetic objectives whose answer is known. */
class ParameterImportanceTest {

    @Test
    void a_parameter_the_objective_depends_on_dominates_an_irrelevant_one() {
        // y = sin(3 x1) + x1 + noise; x2 plays no part
        Random random = new Random(11);
        int n = 60;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            x[i] = new double[] {x1, x2};
            y[i] = Math.sin(3 * x1) + x1 + 0.05 * random.nextGaussian();
        }
        ParameterImportance.Result r = ParameterImportance.of(List.of("x1", "x2"), x, y, 5);

        assertThat(r.unavailable()).isNull();
        assertThat(r.method()).isEqualTo("random-forest permutation importance, 64 trees, out-of-bag");
        assertThat(r.importance()).containsOnlyKeys("x1", "x2");
        assertThat(r.importance().get("x1")).isGreaterThan(0.9);
        assertThat(r.importance().get("x1") + r.importance().get("x2"))
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.importance().values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        // the same seed, the same answer
        assertThat(ParameterImportance.of(List.of("x1", "x2"), x, y, 5)).isEqualTo(r);
    }

    @Test
    void a_categorical_parameter_enters_as_codes_and_is_found_when_it_matters() {
        // an optimiser (3 categories, coded 0..2) decides the objective, not in code order; a seed is noise
        Random random = new Random(3);
        double[] effect = {0.2, 0.9, 0.5};
        int n = 45;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int optimiser = i % 3;
            double seed = random.nextInt(1000);
            x[i] = new double[] {seed, optimiser};
            y[i] = effect[optimiser] + 0.02 * random.nextGaussian();
        }
        ParameterImportance.Result r = ParameterImportance.of(List.of("seed", "optimiser"), x, y, 1);
        assertThat(r.importance().get("optimiser")).isGreaterThan(0.9);
        assertThat(r.importance().get("seed")).isLessThan(0.1);
    }

    @Test
    void too_few_runs_or_no_parameter_say_why_there_is_no_importance() {
        double[][] x = {{1}, {2}, {3}};
        ParameterImportance.Result few = ParameterImportance.of(List.of("lr"), x, new double[] {1, 2, 3}, 1);
        assertThat(few.importance()).isEmpty();
        assertThat(few.unavailable()).isEqualTo("needs at least 8 runs with a value (3 so far)");
        assertThat(ParameterImportance.of(List.of(), new double[0][], new double[0], 1)
                        .unavailable())
                .isEqualTo("no swept parameter");
    }

    @Test
    void an_objective_no_parameter_moves_gives_every_parameter_zero() {
        double[][] x = new double[10][];
        double[] y = new double[10];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {i, i % 2};
            y[i] = 0.5;
        }
        assertThat(ParameterImportance.of(List.of("a", "b"), x, y, 1).importance())
                .containsEntry("a", 0.0)
                .containsEntry("b", 0.0);
    }
}
