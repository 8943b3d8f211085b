package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A worker bounds ND4J's own threads (DL4J's engine, the visualizers' forward passes) to one run's share of the
 * cores: ND4J's op loops and OpenBLAS take that many threads per call, and each run calls from its own thread, so
 * the runs of all slots together stay within slots x threads.
 */
class Nd4jThreadsTest {

    @Test
    void a_trainer_of_one_thread_per_run_gives_each_nd4j_call_one_thread() {
        int loops = Nd4j.getEnvironment().maxMasterThreads();
        int blas = Nd4j.factory().blas().getMaxThreads();
        try {
            new Trainer(() -> null, Duration.ofSeconds(1), "auto", 1);
            assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(1);
            assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(1);
        } finally { // the other tests of this JVM train with ND4J's defaults
            Nd4j.getEnvironment().setMaxMasterThreads(loops);
            Nd4j.factory().blas().setMaxThreads(blas);
        }
    }
}
