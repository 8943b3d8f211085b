package io.sweeplab.worker.train;

import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.VisualizerContext;
import io.sweeplab.worker.data.FashionMnist;
import io.sweeplab.worker.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A trained DL4J layer stack and its test set, as visualizers see them. */
final class Dl4jVisualizerContext implements VisualizerContext {

    private final MultiLayerNetwork net;
    private final ImageSet test;

    Dl4jVisualizerContext(MultiLayerNetwork net, ImageSet test) {
        this.net = net;
        this.test = test;
    }

    @Override
    public int testSetSize() {
        return test.size();
    }

    @Override
    public List<String> classNames() {
        return FashionMnist.CLASS_NAMES;
    }

    @Override
    public int[] testLabels(int... indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = test.labels()[check(indices[i])];
        }
        return out;
    }

    @Override
    public List<LayerOutput> layerOutputs(int... indices) {
        for (int i : indices) {
            check(i);
        }
        ImageSet chosen = test.select(indices);
        INDArray x = Nd4j.create(chosen.pixels(), new long[] {chosen.size(), chosen.pixelsPerImage()});
        List<INDArray> acts = net.feedForward(x, false); // [input, layer 0, layer 1, ...]
        List<LayerOutput> out = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            INDArray a = acts.get(i + 1).castTo(DataType.FLOAT).dup('c');
            long[] s = a.shape();
            int[] shape = new int[s.length];
            for (int d = 0; d < s.length; d++) {
                shape[d] = (int) s[d];
            }
            String name = conf.getLayerName() == null ? "layer_" + i : conf.getLayerName();
            out.add(new LayerOutput(
                    i,
                    name,
                    Summaries.kerasType(conf),
                    new Tensor(name, shape, a.data().asFloat())));
        }
        return out;
    }

    private int check(int index) {
        if (index < 0 || index >= test.size()) {
            throw new IndexOutOfBoundsException("test image " + index + " is outside the test set of " + test.size());
        }
        return index;
    }
}
