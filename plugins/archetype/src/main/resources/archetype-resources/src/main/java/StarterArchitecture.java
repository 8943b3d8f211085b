package ${package};

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A dense net with one hidden layer: replace it with your own network. */
public class StarterArchitecture implements Architecture {

    @Override
    public String id() {
        return "${artifactId}-dense";
    }

    @Override
    public String label() {
        return "Dense net (${artifactId})";
    }

    @Override
    public String version() {
        return "${version}";
    }

    @Override
    public String description() {
        return "One hidden dense layer of the given width.";
    }

    @Override
    public ParamSchema params() {
        return ParamSchema.of(ParamSpec.ofInt("units", 64, 8, 512, "units of the hidden layer"));
    }

    @Override
    public ModelConfiguration build(Params params, BuildContext ctx) {
        return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                .seed(ctx.seed())
                .updater(new Adam(ctx.learningRate()))
                .list()
                .layer(new DenseLayer.Builder()
                        .nOut(params.getInt("units"))
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(ctx.numClasses())
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(ctx.height(), ctx.width(), ctx.channels()))
                .build());
    }
}
