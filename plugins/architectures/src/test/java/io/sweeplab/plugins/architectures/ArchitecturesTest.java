package io.sweeplab.plugins.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchitecturesTest {

    private static final BuildContext FASHION = new BuildContext(28, 28, 1, 10, 1e-3, 42);

    private static Params valid(Architecture a, Map<String, ?> raw) {
        ParamSchema.Validation v = a.params().validate(raw);
        assertThat(v.violations()).isEmpty();
        assertThat(a.validate(v.params())).isEmpty();
        return v.params();
    }

    /** The parameter count from the configuration alone, as Keras' model.summary() reports it. */
    private static long paramCount(ModelConfiguration model) {
        MultiLayerConfiguration conf = ((ModelConfiguration.Sequential) model).configuration();
        long total = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            total += layer.getLayer().initializer().numParams(layer);
        }
        return total;
    }

    @Test
    void dense_has_the_keras_parameter_count() {
        DenseArchitecture dense = new DenseArchitecture();
        assertThat(paramCount(dense.build(valid(dense, Map.of()), FASHION))).isEqualTo(101_770);
    }

    @ParameterizedTest
    @CsvSource({"32, 32, 113386", "32, 64, 225034", "64, 64, 243786", "16, 16, 55098"})
    void cnn_has_the_keras_parameter_count(int f1, int f2, long expected) {
        CnnArchitecture cnn = new CnnArchitecture();
        Params p = valid(cnn, Map.of("filters", List.of(f1, f2)));
        assertThat(paramCount(cnn.build(p, FASHION))).isEqualTo(expected);
    }

    @Test
    void cnn_expresses_the_lab_variants() {
        CnnArchitecture cnn = new CnnArchitecture();
        // only the first convolution: 26x26x32 -> 13x13x32 = 5408 inputs to the dense layer
        long one = paramCount(cnn.build(valid(cnn, Map.of("convLayers", 1, "filters", List.of(32))), FASHION));
        assertThat(one).isEqualTo(320 + (5408 * 128 + 128) + 1290);
        // more convolutions: three blocks, the last filter count repeating
        long three = paramCount(cnn.build(valid(cnn, Map.of("convLayers", 3, "filters", List.of(32, 64))), FASHION));
        assertThat(three).isEqualTo(320 + 18_496 + 36_928 + (64 * 128 + 128) + 1290);
        // no convolution at all is the dense network
        assertThat(paramCount(cnn.build(valid(cnn, Map.of("convLayers", 0)), FASHION)))
                .isEqualTo(101_770);
    }

    @Test
    void cnn_refuses_blocks_that_do_not_fit_the_datasets_images() {
        CnnArchitecture cnn = new CnnArchitecture();
        Params four = cnn.params().validate(Map.of("convLayers", 4)).params();
        // the image size is the dataset's: build() checks it, validate() cannot know it
        assertThat(cnn.validate(four)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cnn.build(four, FASHION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("4 convolution blocks with kernel 3 and valid padding do not fit a 28x28 image: block 4"
                        + " gets less than 2x2 to pool (at most 3 fit)");
        assertThat(paramCount(cnn.build(four, new BuildContext(64, 64, 3, 5, 0.001, 1))))
                .isPositive();
        Params fourSame = cnn.params()
                .validate(Map.of("convLayers", 4, "padding", "same"))
                .params();
        assertThat(paramCount(cnn.build(fourSame, FASHION))).isPositive();
    }

    @Test
    void cnn_refuses_a_filter_count_of_zero_naming_the_field() {
        ParamSchema.Validation v = new CnnArchitecture().params().validate(Map.of("filters", List.of(32, 0)));
        assertThat(v.violations())
                .containsExactly(new ParamViolation("filters", "element 1 (0) must be between 1 and 1024"));
    }
}
