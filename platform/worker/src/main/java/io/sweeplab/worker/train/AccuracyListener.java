package io.sweeplab.worker.train;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training accuracy without a second forward pass: DL4J hands listeners the activations of the training forward
 * pass up to the layer before the output; the output layer's argmax is the argmax of that input times its weights
 * (softmax keeps the order), a (batch x hidden x classes) product. Like Keras, it counts each batch as it is seen
 * during the epoch, before the batch's update.
 */
final class AccuracyListener extends BaseTrainingListener {

    int[] labels;
    private long correct;
    private long seen;

    void reset() {
        correct = 0;
        seen = 0;
    }

    long correct() {
        return correct;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        int outIndex = net.getnLayers() - 1;
        INDArray in = activations.get(activations.size() - 1);
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(outIndex);
        if (pre != null) {
            in = pre.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces());
        }
        Layer out = net.getLayer(outIndex);
        INDArray logits = in.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
        long[] predicted = logits.argMax(1).toLongVector();
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        seen += predicted.length;
    }
}
