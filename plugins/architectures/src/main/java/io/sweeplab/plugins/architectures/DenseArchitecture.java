package io.sweeplab.plugins.architectures;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/** The lab's shallow network: Flatten, Dense(units, relu), Dense(10, softmax). */
public final class DenseArchitecture implements Architecture {

    private static final ParamSchema PARAMS =
            ParamSchema.of(ParamSpec.ofInt("units", 128, 1, 8192, "Neurons in the hidden dense layer"));

    @Override
    public String id() {
        return "dense";
    }

    @Override
    public String label() {
        return "Dense network (lab)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "The lab's shallow network: the image flattened, one hidden ReLU layer, a softmax over the classes.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public ModelConfiguration build(Params params, BuildContext ctx) {
        return ModelConfiguration.of(LabNetworks.start(ctx)
                .layer(new DenseLayer.Builder()
                        .name("dense")
                        .nOut(params.getInt("units"))
                        .activation(Activation.RELU)
                        .build())
                .layer(LabNetworks.softmaxOutput(ctx))
                .setInputType(InputType.convolutionalFlat(ctx.height(), ctx.width(), ctx.channels()))
                .build());
    }
}
