package io.sweeplab.plugin.api;

import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * A network as an {@link Architecture} describes it: a layer stack or a graph of DL4J layers.
 *
 * <p>Sweeplab trains {@link Sequential} networks only. A {@link Graph} is refused when a run is launched: with
 * {@code 400} naming {@code architecture}, or the {@code params.*} values set when the architecture's defaults build
 * a layer stack; nothing is queued. The type stays so that architectures can describe graphs for engines to come.
 */
public sealed interface ModelConfiguration {

    static ModelConfiguration of(MultiLayerConfiguration configuration) {
        return new Sequential(configuration);
    }

    static ModelConfiguration of(ComputationGraphConfiguration configuration) {
        return new Graph(configuration);
    }

    /** A stack of layers, each feeding the next. */
    record Sequential(MultiLayerConfiguration configuration) implements ModelConfiguration {
        public Sequential {
            Objects.requireNonNull(configuration, "configuration");
        }
    }

    /** A directed acyclic graph of layers and vertices; refused at launch, see {@link ModelConfiguration}. */
    record Graph(ComputationGraphConfiguration configuration) implements ModelConfiguration {
        public Graph {
            Objects.requireNonNull(configuration, "configuration");
        }
    }
}
