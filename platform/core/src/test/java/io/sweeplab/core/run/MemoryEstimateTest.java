package io.sweeplab.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The memory estimate's arithmetic. Its reading of real networks (the lab's, with the parameter counts Keras prints)
 * is tested where an ND4J backend is at hand: {@code MemoryEstimateOfLabNetworksTest} in the worker.
 */
class MemoryEstimateTest {

    @Test
    void four_floats_per_parameter_and_the_batch_times_the_floats_of_one_example() {
        MemoryEstimate e = new MemoryEstimate(113_386, 105_416, 32);
        assertThat(e.parameterBytes()).isEqualTo(113_386L * 4 * 4);
        assertThat(e.batchBytes()).isEqualTo(105_416L * 32 * 4);
        assertThat(e.bytes()).isEqualTo(15_307_424L);
        assertThat(e.describe()).isEqualTo("15 MiB (parameters and optimiser state 2 MiB, a batch of 32: 13 MiB)");
    }

    @Test
    void mebibytes_round_up() {
        assertThat(MemoryEstimate.mib(1)).isEqualTo(1);
        assertThat(MemoryEstimate.mib(1L << 20)).isEqualTo(1);
        assertThat(MemoryEstimate.mib((1L << 20) + 1)).isEqualTo(2);
    }

    @Test
    void sizes_beyond_a_long_saturate_instead_of_wrapping() {
        MemoryEstimate e = new MemoryEstimate(Long.MAX_VALUE / 2, Long.MAX_VALUE / 3, 4096);
        assertThat(e.bytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(e.parameterBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(new MemoryEstimate(1, Long.MAX_VALUE / 4, 4096).bytes()).isEqualTo(Long.MAX_VALUE);
    }
}
