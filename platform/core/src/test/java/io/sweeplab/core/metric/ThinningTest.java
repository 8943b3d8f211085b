package io.sweeplab.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThinningTest {

    @Test
    void a_curve_no_longer_than_the_limit_is_kept_whole() {
        assertThat(Thinning.keep(new double[] {3, 1, 2}, 3)).containsExactly(0, 1, 2);
        assertThat(Thinning.keep(new double[0], 800)).isEmpty();
    }

    @Test
    void a_long_curve_keeps_at_most_the_limit_with_its_first_and_last_points_in_order() {
        double[] values = new double[100_000];
        Arrays.setAll(values, i -> Math.sin(i / 500.0));
        int[] kept = Thinning.keep(values, 800);
        assertThat(kept.length).isLessThanOrEqualTo(800).isGreaterThan(700);
        assertThat(kept[0]).isZero();
        assertThat(kept[kept.length - 1]).isEqualTo(99_999);
        for (int i = 1; i < kept.length; i++) {
            assertThat(kept[i]).isGreaterThan(kept[i - 1]);
        }
    }

    @Test
    void a_spike_of_one_point_survives_where_an_even_stride_would_drop_it() {
        double[] values = new double[10_000];
        Arrays.fill(values, 1.0);
        values[4_321] = 50.0; // a loss spike
        values[7_777] = -3.0; // and a dip
        int[] kept = Thinning.keep(values, 100);
        assertThat(kept).contains(4_321, 7_777);
        assertThat(Arrays.stream(kept).mapToDouble(i -> values[i]).max().orElseThrow())
                .isEqualTo(50.0);
    }

    @Test
    void values_that_are_not_numbers_are_no_bucket_extremes() {
        double[] values = new double[1_000];
        Arrays.fill(values, 2.0);
        values[500] = Double.NaN;
        values[501] = Double.POSITIVE_INFINITY;
        values[502] = 9.0;
        int[] kept = Thinning.keep(values, 20);
        assertThat(kept).contains(502).doesNotContain(500, 501);
    }

    @Test
    void the_limit_leaves_room_for_the_first_and_last_point() {
        assertThatThrownBy(() -> Thinning.keep(new double[10], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Thinning.keep(new double[] {1, 5, 2, 9, 3}, 2)).containsExactly(0, 4);
    }
}
