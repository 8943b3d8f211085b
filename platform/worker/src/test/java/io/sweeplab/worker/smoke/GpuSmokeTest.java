package io.sweeplab.worker.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.worker.train.Backend;
import org.junit.jupiter.api.Test;

/** The GPU smoke program notices a CUDA build that trained on the CPU. */
class GpuSmokeTest {

    @Test
    void a_cuda_build_must_record_dl4j_on_the_gpu() {
        assertThat(GpuSmoke.notOnTheGpu(
                        Backend.CUDA,
                        "cuda: NVIDIA A100 (40960 MiB, sm_80), dl4j engine (passed over: fast: it is CPU code ...)"))
                .isEmpty();
        assertThat(GpuSmoke.notOnTheGpu(
                        Backend.CUDA, "cuda: NVIDIA A100 (40960 MiB, sm_80), fast (simd-256bit) engine"))
                .hasValueSatisfying(m -> assertThat(m).contains("fast (simd-256bit) engine"));
        assertThat(GpuSmoke.notOnTheGpu(Backend.CPU, "cpu: Xeon (2 of 2 threads), fast (simd-256bit) engine"))
                .isEmpty();
    }
}
