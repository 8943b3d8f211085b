package io.sweeplab.core.run;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The memory a run needs to train, in float32, worked out from its network's configuration before anything is
 * allocated: what every engine holds at least, whatever it does besides.
 *
 * <ul>
 *   <li>per parameter: the weight, its gradient and Adam's two moments (4 floats);
 *   <li>per example of a batch: the input, each layer's output and that output's gradient, and each convolution's
 *       unfolded input (im2col: output height x width x kernel area x input channels), which both engines build.
 * </ul>
 *
 * @param params the network's parameters (weights and biases)
 * @param floatsPerExample what one example of a batch holds, in floats
 * @param batchSize examples in a batch
 */
public record MemoryEstimate(long params, long floatsPerExample, int batchSize) {

    static final int FLOAT_BYTES = 4;
    /** weight, gradient, Adam's first and second moments */
    static final int FLOATS_PER_PARAM = 4;

    private static final long MIB = 1L << 20;

    /** The estimate of a layer stack on an input of this type (no arrays are made). */
    public static MemoryEstimate of(MultiLayerConfiguration conf, InputType input, int batchSize) {
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        long params = 0;
        long floats = input.arrayElementsPerExample();
        for (int i = 0; i < outputs.size(); i++) {
            NeuralNetConfiguration layerConf = conf.getConf(i);
            Layer layer = layerConf.getLayer();
            params += layer.initializer().numParams(layerConf);
            long out = outputs.get(i).arrayElementsPerExample();
            floats += 2 * out;
            if (layer instanceof ConvolutionLayer c && outputs.get(i) instanceof InputType.InputTypeConvolutional o) {
                int[] k = c.getKernelSize();
                floats += o.getHeight() * o.getWidth() * k[0] * k[1] * c.getNIn();
            }
        }
        return new MemoryEstimate(params, floats, batchSize);
    }

    /** Weights, gradients and the optimiser's state. */
    public long parameterBytes() {
        return times(params, (long) FLOATS_PER_PARAM * FLOAT_BYTES);
    }

    /** One batch's activations, their gradients and the convolutions' workspace. */
    public long batchBytes() {
        return times(times(floatsPerExample, batchSize), FLOAT_BYTES);
    }

    /** The total; {@link Long#MAX_VALUE} for anything larger (no worker holds 8 EiB either). */
    public long bytes() {
        long p = parameterBytes();
        long b = batchBytes();
        return p > Long.MAX_VALUE - b ? Long.MAX_VALUE : p + b;
    }

    private static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    /** For messages: "1,234 MiB (parameters 16 MiB, a batch of 4,096: 1,218 MiB)". */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%,d MiB (parameters and optimiser state %,d MiB, a batch of %,d: %,d MiB)",
                mib(bytes()),
                mib(parameterBytes()),
                batchSize,
                mib(batchBytes()));
    }

    /** Whole mebibytes, rounded up: a run of a few KiB still needs "1 MiB". */
    public static long mib(long bytes) {
        return (bytes + MIB - 1) / MIB;
    }
}
