package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.run.MemoryEstimate;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugins.architectures.CnnArchitecture;
import io.sweeplab.plugins.architectures.DenseArchitecture;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * The platform's memory estimate ({@code platform/core}, checked at launch) read from the lab's real networks: against
 * figures worked out by hand, the parameter counts Keras prints for the lab, and the networks DL4J builds.
 */
class MemoryEstimateOfLabNetworksTest {

    static MemoryEstimate estimate(Architecture arch, Map<String, Object> params, int batch) {
        ModelConfiguration.Sequential model = (ModelConfiguration.Sequential)
                arch.build(arch.params().validate(params).params(), new BuildContext(28, 28, 1, 10, 1e-3, 42));
        return MemoryEstimate.of(model.configuration(), InputType.convolutionalFlat(28, 28, 1), batch);
    }

    @Test
    void the_lab_cnn_has_its_113386_parameters_and_needs_about_15_mib_at_batch_32() {
        MemoryEstimate e = estimate(new CnnArchitecture(), Map.of(), 32);
        assertThat(e.params()).isEqualTo(113_386);
        // input 784; outputs and their gradients 2 x (26*26*32 + 13*13*32 + 11*11*32 + 5*5*32 + 128 + 10) = 63,700;
        // im2col of the two convolutions 26*26*9*1 + 11*11*9*32 = 40,932
        assertThat(e.floatsPerExample()).isEqualTo(784 + 63_700 + 40_932);
        assertThat(e.parameterBytes()).isEqualTo(113_386L * 4 * 4);
        assertThat(e.batchBytes()).isEqualTo(105_416L * 32 * 4);
        assertThat(e.bytes()).isEqualTo(15_307_424L);
        assertThat(MemoryEstimate.mib(e.bytes())).isEqualTo(15);
    }

    @Test
    void the_lab_dense_net_has_its_101770_parameters() {
        MemoryEstimate e = estimate(new DenseArchitecture(), Map.of(), 32);
        assertThat(e.params()).isEqualTo(101_770);
        assertThat(e.floatsPerExample()).isEqualTo(784 + 2 * (128 + 10));
    }

    @Test
    void the_largest_cnn_the_schema_allows_needs_far_more_than_any_worker_has() {
        MemoryEstimate e = estimate(
                new CnnArchitecture(), Map.of("filters", List.of(1024), "padding", "same", "units", 8192), 4096);
        // 3*3*1*1024+1024 + 3*3*1024*1024+1024 + 7*7*1024*8192+8192 + 8192*10+10
        assertThat(e.params()).isEqualTo(420_580_362L);
        assertThat(MemoryEstimate.mib(e.parameterBytes())).isEqualTo(6_418);
        // input 784; outputs and gradients 2 x (28*28*1024 + 14*14*1024 + 14*14*1024 + 7*7*1024 + 8192 + 10);
        // im2col 28*28*9*1 + 14*14*9*1024
        assertThat(e.floatsPerExample()).isEqualTo(784 + 2 * 1_262_602 + 1_813_392);
        assertThat(e.bytes()).isEqualTo(420_580_362L * 16 + 4_339_380L * 4096 * 4);
        assertThat(MemoryEstimate.mib(e.bytes())).isEqualTo(74_221); // about 72 GiB
        assertThat(e.describe()).contains("a batch of 4,096");
    }

    @Test
    void parameter_counts_match_the_networks_dl4j_builds() {
        for (Map<String, Object> p : List.<Map<String, Object>>of(
                Map.of(),
                Map.of("convLayers", 1, "filters", List.of(16)),
                Map.of("convLayers", 3, "filters", List.of(32, 64, 64), "padding", "same"),
                Map.of("kernel", 5, "units", 64))) {
            CnnArchitecture cnn = new CnnArchitecture();
            ModelConfiguration.Sequential model = (ModelConfiguration.Sequential)
                    cnn.build(cnn.params().validate(p).params(), new BuildContext(28, 28, 1, 10, 1e-3, 42));
            MultiLayerNetwork net = new MultiLayerNetwork(model.configuration());
            net.init();
            assertThat(estimate(cnn, p, 32).params()).as("parameters of %s", p).isEqualTo(net.numParams());
        }
    }
}
