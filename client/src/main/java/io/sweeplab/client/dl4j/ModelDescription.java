package io.sweeplab.client.dl4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A network's configuration as MLflow params: the model's class and size, the updater and learning rate (of the
 * first layer that has one), and per layer ({@code layer.<index or vertex name>.*}) its type, sizes, activation and
 * loss.
 */
final class ModelDescription {

    private ModelDescription() {}

    static Map<String, String> params(Model model) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model_class", model.getClass().getSimpleName());
        p.put("num_params", String.valueOf(model.numParams()));
        Map<String, NeuralNetConfiguration> layers = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            List<NeuralNetConfiguration> confs =
                    net.getLayerWiseConfigurations().getConfs();
            for (int i = 0; i < confs.size(); i++) {
                layers.put(String.valueOf(i), confs.get(i));
            }
        } else if (model instanceof ComputationGraph graph) {
            Map<String, GraphVertex> vertices = graph.getConfiguration().getVertices();
            for (String name : graph.getConfiguration().getTopologicalOrderStr()) {
                GraphVertex v = vertices.get(name);
                if (v instanceof LayerVertex lv) {
                    layers.put(name, lv.getLayerConf());
                } else if (v != null) {
                    p.put("layer." + name + ".type", v.getClass().getSimpleName());
                }
            }
        }
        p.put("num_layers", String.valueOf(layers.size()));
        layers.values().stream().findFirst().ifPresent(c -> p.put("seed", String.valueOf(c.getSeed())));
        layers.values().stream()
                .map(NeuralNetConfiguration::getLayer)
                .filter(l -> l instanceof BaseLayer b && b.getIUpdater() != null)
                .map(l -> ((BaseLayer) l).getIUpdater())
                .findFirst()
                .ifPresent(u -> updater(p, u));
        layers.forEach((name, conf) -> layer(p, "layer." + name + ".", conf.getLayer()));
        return p;
    }

    private static void updater(Map<String, String> p, IUpdater u) {
        p.put("updater", u.getClass().getSimpleName());
        if (u.hasLearningRate()) {
            p.put("learning_rate", String.valueOf(u.getLearningRate(0, 0)));
        }
    }

    private static void layer(Map<String, String> p, String prefix, Layer layer) {
        p.put(prefix + "type", layer.getClass().getSimpleName());
        if (layer instanceof FeedForwardLayer f) {
            p.put(prefix + "n_in", String.valueOf(f.getNIn()));
            p.put(prefix + "n_out", String.valueOf(f.getNOut()));
        }
        if (layer instanceof BaseLayer b && b.getActivationFn() != null) {
            p.put(prefix + "activation", String.valueOf(b.getActivationFn()));
        }
        if (layer instanceof BaseOutputLayer o && o.getLossFn() != null) {
            p.put(prefix + "loss", o.getLossFn().getClass().getSimpleName());
        }
    }
}
