package io.sweeplab.app.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The embedded worker's slots and threads come through the same check as the remote worker's flags. */
class InProcessWorkerThreadsTest {

    @Test
    void threads_that_oversubscribe_the_cores_stop_the_platform_naming_the_properties() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThatThrownBy(() -> new InProcessWorker(
                        null,
                        null,
                        null,
                        null,
                        1,
                        true,
                        Optional.empty(),
                        Optional.empty(),
                        8080,
                        Duration.ofSeconds(10),
                        "auto",
                        OptionalInt.of(cores + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "SWL-WORKER-003 sweeplab.worker.slots 1 x sweeplab.worker.threads " + (cores + 1));
    }
}
