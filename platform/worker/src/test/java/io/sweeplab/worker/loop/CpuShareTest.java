package io.sweeplab.worker.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Slots and threads per run from the cores, and the combinations that would oversubscribe them refused by name. */
class CpuShareTest {

    static final OptionalInt DEFAULT = OptionalInt.empty();

    @Test
    void by_default_the_cores_are_divided_among_the_slots() {
        assertThat(CpuShare.of(2, 1, DEFAULT, CpuShare.FLAGS)).isEqualTo(new CpuShare(1, 2));
        assertThat(CpuShare.of(2, 2, DEFAULT, CpuShare.FLAGS)).isEqualTo(new CpuShare(2, 1));
        assertThat(CpuShare.of(16, 3, DEFAULT, CpuShare.FLAGS)).isEqualTo(new CpuShare(3, 5));
        assertThat(CpuShare.of(16, 3, DEFAULT, CpuShare.FLAGS).threads()).isEqualTo(15);
    }

    @Test
    void threads_given_are_taken_while_they_fit() {
        assertThat(CpuShare.of(2, 1, OptionalInt.of(1), CpuShare.FLAGS)).isEqualTo(new CpuShare(1, 1));
        assertThat(CpuShare.of(8, 2, OptionalInt.of(4), CpuShare.FLAGS).threads())
                .isEqualTo(8);
    }

    @Test
    void more_threads_than_cores_are_refused_naming_the_flags_and_what_would_fit() {
        assertThatThrownBy(() -> CpuShare.of(2, 2, OptionalInt.of(2), CpuShare.FLAGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SWL-WORKER-003 --slots 2 x --threads 2 = 4 threads would oversubscribe the 2 cores of"
                        + " this machine: with --slots 2 give --threads 1 or fewer");
        assertThatThrownBy(() -> CpuShare.of(2, 1, OptionalInt.of(3), CpuShare.FLAGS))
                .hasMessageContaining("--slots 1 x --threads 3 = 3 threads");
    }

    @Test
    void more_slots_than_cores_are_refused_even_at_one_thread_each() {
        assertThatThrownBy(() -> CpuShare.of(2, 3, DEFAULT, CpuShare.FLAGS))
                .hasMessage("SWL-WORKER-003 --slots 3 runs at once need at least one core each; this machine has 2:"
                        + " give --slots 2 or fewer");
    }

    @Test
    void the_platform_is_told_its_property_names() {
        assertThatThrownBy(() -> CpuShare.of(2, 2, OptionalInt.of(2), CpuShare.PROPERTIES))
                .hasMessageContaining("sweeplab.worker.slots 2 x sweeplab.worker.threads 2")
                .hasMessageContaining("give sweeplab.worker.threads 1 or fewer");
        assertThatThrownBy(() -> CpuShare.of(2, 0, DEFAULT, CpuShare.PROPERTIES))
                .hasMessage("sweeplab.worker.slots must be at least 1, not 0");
        assertThatThrownBy(() -> CpuShare.of(2, 1, OptionalInt.of(0), CpuShare.PROPERTIES))
                .hasMessage("sweeplab.worker.threads must be at least 1, not 0");
    }
}
