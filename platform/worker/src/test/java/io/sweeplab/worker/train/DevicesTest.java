package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void nd4jCudaKernelsRunOnTheArchitecturesTheyCarryAndLaterMinorsOfTheSameMajor() {
        assertThat(Devices.unsupported("NVIDIA A100", 8, 0)).isEmpty();
        assertThat(Devices.unsupported("NVIDIA A10", 8, 6)).isEmpty();
        assertThat(Devices.unsupported("NVIDIA L4", 8, 9)).isEmpty(); // sm_86 code runs on Ada
        assertThat(Devices.unsupported("Tesla V100", 7, 0)).isEmpty();
        assertThat(Devices.unsupported("Tesla T4", 7, 5)).isEmpty();
    }

    @Test
    void hopperAndNewerAreRefusedWithTheReasonAndTheWayOut() {
        assertThat(Devices.unsupported("NVIDIA H200", 9, 0))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("NVIDIA H200", "9.0", "sm_90", "sm_86", "no PTX", "CPU backend"));
        assertThat(Devices.unsupported("NVIDIA B200", 10, 0)).isPresent();
        assertThat(Devices.unsupported("Tesla K40", 3, 5)).isPresent(); // sm_37 code does not run on 3.5
    }

    @Test
    void theCpuBackendNeedsNoGpuCheck() {
        Devices.requireSupportedGpu(); // the tests run on nd4j-native: nothing to refuse
    }
}
