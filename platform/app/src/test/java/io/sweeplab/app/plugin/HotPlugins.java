package io.sweeplab.app.plugin;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Fixture plugins uploaded while the platform runs: an architecture whose hidden layer's size says its version
 * (so a run's model summary shows which version trained it), and a callback that holds each iteration while the
 * system property {@value #HOLD} is {@code true} (the embedded worker trains in the test's JVM), keeping a run
 * training for as long as a test needs.
 */
public final class HotPlugins {

    public static final String HOLD = "sweeplab.test.hold";

    private HotPlugins() {}

    /** A jar of one callback {@code extId}, requiring {@code apiRange}. */
    public static byte[] callbackJar(String pluginId, String extId, String apiRange) {
        String pkg = "com.hot." + pluginId.replace('-', '_');
        return bytes(PluginJarBuilder.create(pluginId)
                .descriptor(pluginId, "1.0", apiRange)
                .source(pkg + ".Stop", """
                        package %s;
                        import io.sweeplab.plugin.api.*;
                        public class Stop implements Callback {
                            public String id() { return "%s"; }
                            public String label() { return "Stop"; }
                            public String version() { return "1.0"; }
                            public CallbackSession start(Params p) { return new CallbackSession() {}; }
                        }
                        """.formatted(pkg, extId))
                .service(Callback.class, pkg + ".Stop"));
    }

    static byte[] bytes(PluginJarBuilder builder) {
        try {
            return Files.readAllBytes(builder.build(Files.createTempDirectory("hot-plugin")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar's bytes: plugin {@code pluginId} at {@code version}, architecture {@code <pluginId>-net}. */
    public static byte[] jar(String pluginId, String version, int units) {
        return jar(pluginId, version, units, "");
    }

    /** As {@link #jar(String, String, int)}, the architecture's constructor running {@code constructorBody}. */
    public static byte[] jar(String pluginId, String version, int units, String constructorBody) {
        String pkg = "com.hot." + pluginId.replace('-', '_') + ".v" + version.replace('.', '_');
        return bytes(PluginJarBuilder.create(pluginId + "-" + version)
                .descriptor(pluginId, version, "[1,2)")
                .source(pkg + ".Net", """
                            package %1$s;
                            import io.sweeplab.plugin.api.*;
                            import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
                            import org.deeplearning4j.nn.conf.inputs.InputType;
                            import org.deeplearning4j.nn.conf.layers.DenseLayer;
                            import org.deeplearning4j.nn.conf.layers.OutputLayer;
                            import org.nd4j.linalg.activations.Activation;
                            import org.nd4j.linalg.learning.config.Adam;
                            import org.nd4j.linalg.lossfunctions.LossFunctions;
                            public class Net implements Architecture {
                                public Net() { %5$s }
                                public String id() { return "%2$s-net"; }
                                public String label() { return "Hot net %3$s"; }
                                public String version() { return "%3$s"; }
                                public ModelConfiguration build(Params p, BuildContext c) {
                                    return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                                            .seed(c.seed())
                                            .updater(new Adam(c.learningRate()))
                                            .list()
                                            .layer(new DenseLayer.Builder().nOut(%4$d)
                                                    .activation(Activation.RELU).build())
                                            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                                    .nOut(c.numClasses()).activation(Activation.SOFTMAX).build())
                                            .setInputType(InputType.convolutionalFlat(
                                                    c.height(), c.width(), c.channels()))
                                            .build());
                                }
                            }
                            """.formatted(pkg, pluginId, version, units, constructorBody))
                .source(pkg + ".Hold", """
                            package %1$s;
                            import io.sweeplab.plugin.api.*;
                            public class Hold implements Callback {
                                public String id() { return "%2$s-hold"; }
                                public String label() { return "Hold %3$s"; }
                                public String version() { return "%3$s"; }
                                public CallbackSession start(Params p) {
                                    return new CallbackSession() {
                                        public Decision onIteration(int epoch, int iteration, double loss) {
                                            long until = System.currentTimeMillis() + 1000;
                                            while (Boolean.getBoolean("%4$s") && System.currentTimeMillis() < until) {
                                                try { Thread.sleep(20); } catch (InterruptedException e) { break; }
                                            }
                                            return Decision.proceed();
                                        }
                                    };
                                }
                            }
                            """.formatted(pkg, pluginId, version, HOLD))
                .service(Architecture.class, pkg + ".Net")
                .service(Callback.class, pkg + ".Hold"));
    }
}
