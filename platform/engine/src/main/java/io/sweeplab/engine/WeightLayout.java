package io.sweeplab.engine;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where each DL4J parameter sits in the fast engine's flat vector and back: convolution kernels from DL4J's
 * {@code W[oc][c][ky][kx]} to {@code wt[(ky * kw + kx) * c + ch][oc]}; dense weights whose input is a flattened
 * feature map re-ordered from DL4J's NCHW flattening to our HWC one; batch normalisation's gamma and beta, and its
 * running mean and variance (DL4J keeps {@code log10} of the standard deviation, or the variance) in the layer.
 */
final class WeightLayout {

    private final List<FastLayer> layers;
    private final int[] dl4jIndex;
    private final int[][] flattenOrder;

    WeightLayout(List<FastLayer> layers, int[] dl4jIndex, int[][] flattenOrder) {
        this.layers = layers;
        this.dl4jIndex = dl4jIndex;
        this.flattenOrder = flattenOrder;
    }

    private static float[] floats(MultiLayerNetwork net, String param) {
        return net.getParam(param).castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static void set(MultiLayerNetwork net, String key, float[] values, long... shape) {
        net.setParam(key, Nd4j.create(values, shape, 'c'));
    }

    /** Where each of our kernel weights sits in DL4J's {@code W[oc][c][ky][kx]}. */
    private static int[] kernelOrder(ConvLayer cl) {
        int[] order = new int[cl.k * cl.outC];
        for (int oc = 0; oc < cl.outC; oc++) {
            for (int ch = 0; ch < cl.inC; ch++) {
                for (int ky = 0; ky < cl.kh; ky++) {
                    for (int kx = 0; kx < cl.kw; kx++) {
                        int kk = (ky * cl.kw + kx) * cl.inC + ch;
                        order[kk * cl.outC + oc] = ((oc * cl.inC + ch) * cl.kh + ky) * cl.kw + kx;
                    }
                }
            }
        }
        return order;
    }

    /** Copies the parameters of a DL4J network of this configuration into {@code params} and the layers. */
    void read(MultiLayerNetwork net, float[] params) {
        for (int li = 0; li < layers.size(); li++) {
            FastLayer l = layers.get(li);
            String key = dl4jIndex[li] + "_";
            int off = l.offset;
            if (l instanceof ConvLayer cl) {
                float[] wd = floats(net, key + "W");
                int[] order = kernelOrder(cl);
                for (int i = 0; i < order.length; i++) {
                    params[off + i] = wd[order[i]];
                }
                if (cl.hasBias) {
                    System.arraycopy(floats(net, key + "b"), 0, params, off + order.length, cl.outC);
                }
            } else if (l instanceof DenseFastLayer dl) {
                float[] wd = floats(net, key + "W");
                int[] order = flattenOrder[li];
                for (int d = 0; d < dl.inSize; d++) {
                    int src = order == null ? d : order[d];
                    System.arraycopy(wd, src * dl.outSize, params, off + d * dl.outSize, dl.outSize);
                }
                if (dl.hasBias) {
                    System.arraycopy(floats(net, key + "b"), 0, params, off + wd.length, dl.outSize);
                }
            } else if (l instanceof BatchNormLayer bn) {
                if (!bn.locked) {
                    System.arraycopy(floats(net, key + "gamma"), 0, params, off, bn.c);
                    System.arraycopy(floats(net, key + "beta"), 0, params, off + bn.c, bn.c);
                }
                System.arraycopy(floats(net, key + "mean"), 0, bn.runningMean, 0, bn.c);
                if (net.paramTable().containsKey(key + "log10stdev")) {
                    float[] log10std = floats(net, key + "log10stdev");
                    for (int ch = 0; ch < bn.c; ch++) {
                        double std = Math.pow(10, log10std[ch]);
                        bn.runningVar[ch] = (float) (std * std);
                    }
                } else {
                    System.arraycopy(floats(net, key + "var"), 0, bn.runningVar, 0, bn.c);
                }
            }
        }
        changed(params);
    }

    /** Tells the layers their parameters changed. */
    void changed(float[] params) {
        for (FastLayer l : layers) {
            l.paramsChanged(params);
        }
    }

    /** Copies {@code params} and the layers' state into a DL4J network of the same configuration. */
    void write(float[] params, MultiLayerNetwork net) {
        for (int li = 0; li < layers.size(); li++) {
            FastLayer l = layers.get(li);
            String key = dl4jIndex[li] + "_";
            int off = l.offset;
            if (l instanceof ConvLayer cl) {
                float[] wd = new float[cl.k * cl.outC];
                int[] order = kernelOrder(cl);
                for (int i = 0; i < order.length; i++) {
                    wd[order[i]] = params[off + i];
                }
                set(net, key + "W", wd, cl.outC, cl.inC, cl.kh, cl.kw);
                if (cl.hasBias) {
                    set(
                            net,
                            key + "b",
                            Arrays.copyOfRange(params, off + wd.length, off + wd.length + cl.outC),
                            1,
                            cl.outC);
                }
            } else if (l instanceof DenseFastLayer dl) {
                float[] wd = new float[dl.inSize * dl.outSize];
                int[] order = flattenOrder[li];
                for (int d = 0; d < dl.inSize; d++) {
                    int dst = order == null ? d : order[d];
                    System.arraycopy(params, off + d * dl.outSize, wd, dst * dl.outSize, dl.outSize);
                }
                set(net, key + "W", wd, dl.inSize, dl.outSize);
                if (dl.hasBias) {
                    set(
                            net,
                            key + "b",
                            Arrays.copyOfRange(params, off + wd.length, off + wd.length + dl.outSize),
                            1,
                            dl.outSize);
                }
            } else if (l instanceof BatchNormLayer bn) {
                if (!bn.locked) {
                    set(net, key + "gamma", Arrays.copyOfRange(params, off, off + bn.c), 1, bn.c);
                    set(net, key + "beta", Arrays.copyOfRange(params, off + bn.c, off + 2 * bn.c), 1, bn.c);
                }
                set(net, key + "mean", bn.runningMean.clone(), 1, bn.c);
                if (net.paramTable().containsKey(key + "log10stdev")) {
                    float[] log10std = new float[bn.c];
                    for (int ch = 0; ch < bn.c; ch++) {
                        log10std[ch] = (float) Math.log10(Math.sqrt(bn.runningVar[ch]));
                    }
                    set(net, key + "log10stdev", log10std, 1, bn.c);
                } else {
                    set(net, key + "var", bn.runningVar.clone(), 1, bn.c);
                }
            }
        }
    }
}
