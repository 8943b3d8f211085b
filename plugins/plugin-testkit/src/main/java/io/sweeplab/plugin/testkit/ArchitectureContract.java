package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.Params;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of an {@link Architecture}: extend it in your tests and return your architecture.
 *
 * <pre>{@code
 * class CnnDropoutTest extends ArchitectureContract {
 *     protected Architecture architecture() {
 *         return new CnnDropout();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it
 * builds the network for the defaults and for each numeric parameter at its minimum and its maximum against
 * {@link #buildContext()} (28x28 greyscale images, 10 classes, as Fashion-MNIST), checks that a layer stack ends in
 * an output layer of one unit per class and that the configuration survives the JSON round trip of checkpoints,
 * and trains the defaults for a few iterations on generated data with {@link InProcessTrainer}. The last check
 * needs an ND4J backend in test scope ({@code org.nd4j:nd4j-native} with your platform's classifier).
 */
public abstract class ArchitectureContract extends ExtensionContract<Architecture> {

    /** For subclasses. */
    protected ArchitectureContract() {}

    /** The architecture under test. */
    protected abstract Architecture architecture();

    /** The run the networks are built for: 28x28 greyscale images, 10 classes, learning rate 0.001, seed 42. */
    protected BuildContext buildContext() {
        return new BuildContext(28, 28, 1, 10, 1e-3, 42);
    }

    @Override
    final Architecture extension() {
        return architecture();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return Architecture.class;
    }

    /** The network builds for the defaults and every bound, and its configuration is well-formed. */
    @TestFactory
    public Stream<DynamicTest> buildsForTheDefaultsAndEveryBound() {
        return forEachCase("builds", (architecture, params) -> {
            ModelConfiguration model;
            try {
                model = architecture.build(params, buildContext());
            } catch (IllegalArgumentException misfit) {
                // values that do not fit the images are refused at launch with this message (API 1.2); the
                // defaults must fit the images the contract builds for
                assertFalse(
                        params.asMap().equals(defaults(architecture).asMap()),
                        "the defaults do not build for " + buildContext() + ": " + misfit.getMessage());
                Assumptions.abort("build() refuses these values for "
                        + buildContext().height() + "x" + buildContext().width()
                        + " images, as the platform would at launch: " + misfit.getMessage());
                return;
            }
            assertNotNull(model, "build() returned null");
            assertTrue(
                    model instanceof ModelConfiguration.Sequential,
                    "build() describes a graph (ComputationGraphConfiguration): workers train layer stacks only, and"
                            + " the platform refuses a graph at launch");
            checkLayerStack(((ModelConfiguration.Sequential) model).configuration());
        });
    }

    /** A few iterations on generated data: the network initialises and its losses stay finite. */
    @Test
    public void trainsAFewIterationsOnGeneratedData() {
        Architecture architecture = architecture();
        ParamSchema.Validation v = architecture.params().validate(requiredParams());
        assertTrue(v.valid(), "the defaults do not validate: " + v.violations());
        Params params = v.params();
        InProcessTrainer.Report report = InProcessTrainer.train(architecture, params, buildContext(), 3, 8);
        assertTrue(report.parameters() > 0, "the network has no parameters");
        assertTrue(
                report.finite(), "training losses are not finite: " + report.losses() + " (" + report.reason() + ")");
    }

    private void checkLayerStack(MultiLayerConfiguration conf) {
        assertFalse(conf.getConfs().isEmpty(), "the layer stack is empty");
        long params = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            params += layer.getLayer().initializer().numParams(layer);
        }
        assertTrue(params > 0, "the network has no parameters");
        Layer last = conf.getConf(conf.getConfs().size() - 1).getLayer();
        assertTrue(
                last instanceof BaseOutputLayer,
                "the last layer must be an output layer (OutputLayer, LossLayer), not "
                        + last.getClass().getSimpleName());
        assertEquals(
                buildContext().numClasses(),
                ((BaseOutputLayer) last).getNOut(),
                "the output layer needs one unit per class (BuildContext.numClasses())");
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()), "the JSON round trip changes it");
    }
}
