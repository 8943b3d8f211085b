package io.sweeplab.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Compiles a DL4J layer stack into the fast engine's layers and optimiser, or says why it cannot: the first layer
 * and setting it does not compute exactly as DL4J does ({@code layer 3 (LocalResponseNormalization): not a layer
 * the fast engine has}).
 */
final class Planner {

    /** What the engine runs: its layers (each with the DL4J layer it came from), and how the parameters update. */
    record Plan(
            int inH,
            int inW,
            int inC,
            List<FastLayer> layers,
            int[] dl4jIndex,
            int[][] flattenOrder,
            Optimizer optimizer,
            long seed) {}

    /** Why a configuration is not for this engine. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    static final String LAYERS = "Conv2D, Subsampling (max, avg), GlobalPooling (max, avg), BatchNormalization,"
            + " Dense, Dropout, Activation, and a softmax output with cross-entropy";

    private int h;
    private int w;
    private int c;
    private boolean spatial = true;
    private final List<FastLayer> layers = new ArrayList<>();
    private final List<Integer> index = new ArrayList<>();
    private final List<int[]> flattenOrders = new ArrayList<>();

    static Plan plan(MultiLayerConfiguration conf, InputType input) {
        return new Planner().compile(conf, input);
    }

    private Plan compile(MultiLayerConfiguration conf, InputType input) {
        if (!(input instanceof InputType.InputTypeConvolutionalFlat flat)) {
            throw new Unsupported("the input is not a flat image (" + input + ")");
        }
        if (conf.getDataType() != DataType.FLOAT) {
            throw new Unsupported("data type " + conf.getDataType() + " (only FLOAT)");
        }
        if (conf.getBackpropType() != BackpropType.Standard) {
            throw new Unsupported("truncated backpropagation");
        }
        h = (int) flat.getHeight();
        w = (int) flat.getWidth();
        c = (int) flat.getDepth();
        int n = conf.getConfs().size();
        if (n == 0 || !(conf.getConf(n - 1).getLayer() instanceof OutputLayer)) {
            throw new Unsupported("the last layer is not an OutputLayer");
        }
        for (int i = 0; i < n; i++) {
            Layer l = conf.getConf(i).getLayer();
            String at = "layer " + i + " (" + l.getClass().getSimpleName() + ")";
            InputPreProcessor pre = conf.getInputPreProcess(i);
            // the two DL4J adds itself: images in at the first layer, feature maps flattened into a dense layer
            boolean flattening = pre instanceof CnnToFeedForwardPreProcessor cf
                    && cf.getFormat() == CNN2DFormat.NCHW
                    && (l.getClass() == DenseLayer.class || l.getClass() == OutputLayer.class);
            boolean imageIn = pre instanceof FeedForwardToCnnPreProcessor && i == 0;
            if (pre != null && !flattening && !imageIn) {
                throw new Unsupported(
                        at + ": input preprocessor " + pre.getClass().getSimpleName() + " here");
            }
            NeuralNetConfiguration nc = conf.getConf(i);
            if (!nc.isMiniBatch()) {
                throw new Unsupported(at + ": miniBatch(false)");
            }
            if (nc.getOptimizationAlgo() != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
                throw new Unsupported(at + ": optimisation algorithm " + nc.getOptimizationAlgo());
            }
            if (l.getConstraints() != null && !l.getConstraints().isEmpty()) {
                throw new Unsupported(at + ": parameter constraints");
            }
            if (l instanceof BaseLayer base) {
                check(base, at);
            }
            IDropout drop = l.getIDropout();
            // DL4J applies a layer's dropout to its input in convolution, dense, output and dropout layers only
            boolean dropsInput = l.getClass() == ConvolutionLayer.class
                    || l.getClass() == DenseLayer.class
                    || l.getClass() == OutputLayer.class
                    || l.getClass() == DropoutLayer.class;
            if (drop != null && dropsInput) {
                if (drop.getClass() != Dropout.class || ((Dropout) drop).getPSchedule() != null) {
                    throw new Unsupported(at + ": dropout " + drop.getClass().getSimpleName()
                            + " (only Dropout with a fixed retain probability)");
                }
                double p = ((Dropout) drop).getP();
                if (p <= 0 || p > 1) {
                    throw new Unsupported(at + ": dropout retain probability " + p);
                }
                if (p < 1) {
                    add(new DropoutFastLayer(h * w * c, p, layers.size()), -1, null);
                }
            }
            if (l.getClass() == DropoutLayer.class) {
                continue; // its dropout was added above; it computes nothing else
            }
            layer(l, at, i, i == n - 1);
        }
        fuseReluIntoMaxPooling();
        int[][] orders = flattenOrders.toArray(int[][]::new);
        int[] dl4j = index.stream().mapToInt(Integer::intValue).toArray();
        int off = 0;
        for (FastLayer fl : layers) {
            fl.offset = off;
            off += fl.paramCount();
        }
        return new Plan(
                (int) flat.getHeight(),
                (int) flat.getWidth(),
                (int) flat.getDepth(),
                List.copyOf(layers),
                dl4j,
                orders,
                optimizer(conf, off),
                conf.getConf(0).getSeed());
    }

    /**
     * A ReLU followed by max pooling: the pooling's backward step sends each window's gradient to its maximum only
     * where that maximum is positive, which is the ReLU's mask there (everywhere else the gradient is 0 anyway), so
     * the ReLU's own pass over its whole output is skipped.
     */
    private void fuseReluIntoMaxPooling() {
        for (int i = 0; i + 1 < layers.size(); i++) {
            if (!(layers.get(i + 1) instanceof PoolLayer pool) || !pool.max) {
                continue;
            }
            if (layers.get(i) instanceof ConvLayer conv && conv.act.kind() == Act.Kind.RELU) {
                conv.reluMaskedByNext = true;
                pool.masksPreviousRelu = true;
            } else if (layers.get(i) instanceof ActivationFastLayer a && a.act.kind() == Act.Kind.RELU) {
                a.reluMaskedByNext = true;
                pool.masksPreviousRelu = true;
            }
        }
    }

    private void add(FastLayer l, int dl4jIndex, int[] flattenOrder) {
        layers.add(l);
        index.add(dl4jIndex);
        flattenOrders.add(flattenOrder);
    }

    private void layer(Layer l, String at, int i, boolean last) {
        if (l instanceof OutputLayer o) {
            if (o.getClass() != OutputLayer.class || !last) {
                throw new Unsupported(at + ": only a plain OutputLayer, last");
            }
            if (!(o.getLossFn() instanceof LossMCXENT || o.getLossFn() instanceof LossNegativeLogLikelihood)
                    || weighted(o)
                    || !(o.getActivationFn() instanceof ActivationSoftmax)) {
                throw new Unsupported(at + ": only softmax with (unweighted) cross-entropy");
            }
            dense(o, at, i, Act.IDENTITY, o.hasBias());
            return;
        }
        if (last) {
            throw new Unsupported(at + ": the output layer must be last");
        }
        if (l.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer cl = (ConvolutionLayer) l;
            if (!spatial) {
                throw new Unsupported(at + " follows a flat layer");
            }
            if (cl.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(at + ": data format " + cl.getCnn2dDataFormat() + " (only NCHW)");
            }
            ConvLayer.Geometry g = geometry(
                    at, cl.getConvolutionMode(), cl.getKernelSize(), cl.getStride(), cl.getDilation(), cl.getPadding());
            ConvLayer conv = new ConvLayer(g, c, (int) cl.getNOut(), cl.hasBias(), act(cl.getActivationFn(), at));
            add(conv, i, null);
            h = g.outH();
            w = g.outW();
            c = conv.outC;
        } else if (l.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) l;
            if (!spatial) {
                throw new Unsupported(at + " follows a flat layer");
            }
            if (s.getPoolingType() != PoolingType.MAX && s.getPoolingType() != PoolingType.AVG) {
                throw new Unsupported(at + ": pooling " + s.getPoolingType() + " (only MAX and AVG)");
            }
            if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(at + ": data format " + s.getCnn2dDataFormat() + " (only NCHW)");
            }
            ConvLayer.Geometry g = geometry(
                    at, s.getConvolutionMode(), s.getKernelSize(), s.getStride(), s.getDilation(), s.getPadding());
            add(new PoolLayer(g, c, s.getPoolingType() == PoolingType.MAX, s.isAvgPoolIncludePadInDivisor()), i, null);
            h = g.outH();
            w = g.outW();
        } else if (l.getClass() == GlobalPoolingLayer.class) {
            GlobalPoolingLayer gp = (GlobalPoolingLayer) l;
            if (!spatial) {
                throw new Unsupported(at + " follows a flat layer");
            }
            if (gp.getPoolingType() != PoolingType.MAX && gp.getPoolingType() != PoolingType.AVG) {
                throw new Unsupported(at + ": pooling " + gp.getPoolingType() + " (only MAX and AVG)");
            }
            int[] dims = gp.getPoolingDimensions();
            if (dims != null && !Arrays.equals(dims, new int[] {2, 3})) {
                throw new Unsupported(at + ": pooling dimensions " + Arrays.toString(dims) + " (only 2, 3)");
            }
            add(new GlobalPoolLayer(h * w, c, gp.getPoolingType() == PoolingType.MAX), i, null);
            h = 1;
            w = 1;
            spatial = false;
        } else if (l.getClass() == BatchNormalization.class) {
            BatchNormalization bn = (BatchNormalization) l;
            if (spatial && bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(at + ": data format " + bn.getCnn2DFormat() + " (only NCHW)");
            }
            if (!bn.isMinibatch()) {
                throw new Unsupported(at + ": minibatch(false)");
            }
            if (bn.isLockGammaBeta()) {
                throw new Unsupported(at + ": locked gamma and beta");
            }
            if (bn.getGradientNormalization() != null && bn.getGradientNormalization() != GradientNormalization.None) {
                throw new Unsupported(at + ": gradient normalisation on batch normalisation");
            }
            int positions = spatial ? h * w : 1;
            int ch = spatial ? c : h * w * c;
            add(
                    new BatchNormLayer(
                            positions,
                            ch,
                            bn.getEps(),
                            bn.getDecay(),
                            bn.isLockGammaBeta(),
                            bn.getGamma(),
                            bn.getBeta()),
                    i,
                    null);
        } else if (l.getClass() == ActivationLayer.class) {
            add(new ActivationFastLayer(h * w * c, act(((ActivationLayer) l).getActivationFn(), at)), i, null);
        } else if (l.getClass() == DenseLayer.class) {
            if (((DenseLayer) l).hasLayerNorm()) {
                throw new Unsupported(at + ": layer normalisation");
            }
            dense((DenseLayer) l, at, i, act(((DenseLayer) l).getActivationFn(), at), ((DenseLayer) l).hasBias());
        } else {
            throw new Unsupported(at + ": not a layer the fast engine has (it has " + LAYERS + ")");
        }
    }

    private static boolean weighted(OutputLayer o) {
        return o.getLossFn() instanceof LossMCXENT mc && mc.getWeights() != null;
    }

    private void dense(org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff, String at, int i, Act act, boolean bias) {
        int in = h * w * c;
        if ((int) ff.getNIn() != in) {
            throw new Unsupported(at + " expects " + ff.getNIn() + " inputs, gets " + in);
        }
        add(
                new DenseFastLayer(in, (int) ff.getNOut(), bias, act),
                i,
                spatial && c > 1 ? nchwIndexOfHwc(h, w, c) : null);
        spatial = false;
        h = 1;
        w = 1;
        c = (int) ff.getNOut();
    }

    private ConvLayer.Geometry geometry(String at, ConvolutionMode mode, int[] k, int[] s, int[] d, int[] p) {
        if (d == null) {
            d = new int[] {1, 1};
        }
        if (mode == ConvolutionMode.Same) {
            if (p != null && (p[0] != 0 || p[1] != 0)) {
                throw new Unsupported(at + ": explicit padding with Same mode");
            }
            return ConvLayer.Geometry.same(h, w, k[0], k[1], s[0], s[1], d[0], d[1]);
        }
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new Unsupported(at + ": convolution mode " + mode + " (only Same, Truncate, Strict)");
        }
        ConvLayer.Geometry g = ConvLayer.Geometry.truncate(h, w, k[0], k[1], s[0], s[1], d[0], d[1], p[0], p[1]);
        if (g.outH() < 1 || g.outW() < 1) {
            throw new Unsupported(at + ": no output positions for a " + h + "x" + w + " input");
        }
        return g;
    }

    private static Act act(IActivation fn, String at) {
        if (fn instanceof ActivationReLU r) {
            if (r.getMax() != null || nonZero(r.getThreshold()) || nonZero(r.getNegativeSlope())) {
                throw new Unsupported(at + ": ReLU with a maximum, threshold or negative slope");
            }
            return Act.RELU;
        }
        if (fn instanceof ActivationIdentity) {
            return Act.IDENTITY;
        }
        // the derivative is read off the output, whose sign is the input's only for a positive alpha
        if (fn instanceof ActivationLReLU lr && lr.getAlpha() > 0) {
            return new Act(Act.Kind.LEAKY_RELU, (float) lr.getAlpha());
        }
        if (fn instanceof ActivationELU e && e.getAlpha() > 0) {
            return new Act(Act.Kind.ELU, (float) e.getAlpha());
        }
        if (fn instanceof ActivationTanH) {
            return new Act(Act.Kind.TANH, 0f);
        }
        if (fn instanceof ActivationSigmoid) {
            return new Act(Act.Kind.SIGMOID, 0f);
        }
        throw new Unsupported(at + ": activation " + fn
                + " (only relu, leakyrelu and elu of positive alpha, tanh, sigmoid, identity)");
    }

    private static boolean nonZero(Double d) {
        return d != null && d != 0.0;
    }

    private static void check(BaseLayer base, String at) {
        if (base.getWeightNoise() != null) {
            throw new Unsupported(at + ": weight noise");
        }
        for (Regularization r : concat(base.getRegularization(), base.getRegularizationBias())) {
            coefficient(r, at);
        }
    }

    private static List<Regularization> concat(List<Regularization> a, List<Regularization> b) {
        List<Regularization> all = new ArrayList<>();
        if (a != null) {
            all.addAll(a);
        }
        if (b != null) {
            all.addAll(b);
        }
        return all;
    }

    private static Optimizer.Rule rule(IUpdater u, String at) {
        if (u instanceof Adam a && a.getLearningRateSchedule() == null) {
            return new Optimizer.Adam(a.getLearningRate(), a.getBeta1(), a.getBeta2(), a.getEpsilon());
        }
        if (u instanceof Sgd s && s.getLearningRateSchedule() == null) {
            return new Optimizer.Sgd(s.getLearningRate());
        }
        if (u instanceof Nesterovs nv
                && nv.getLearningRateSchedule() == null
                && nv.getMomentumISchedule() == null
                && (nv.getMomentumSchedule() == null || nv.getMomentumSchedule().isEmpty())) {
            return new Optimizer.Nesterovs(nv.getLearningRate(), nv.getMomentum());
        }
        if (u instanceof RmsProp rp && rp.getLearningRateSchedule() == null) {
            return new Optimizer.RmsProp(rp.getLearningRate(), rp.getRmsDecay(), rp.getEpsilon());
        }
        throw new Unsupported(
                at + ": updater " + (u == null ? "none" : u.getClass().getSimpleName())
                        + (u instanceof Adam || u instanceof Sgd || u instanceof Nesterovs || u instanceof RmsProp
                                ? " with a schedule"
                                : "")
                        + " (only Adam, Sgd, Nesterovs, RmsProp with fixed rates)");
    }

    private static double coefficient(Regularization r, String at) {
        ISchedule s;
        if (r instanceof L2Regularization l2) {
            s = l2.getL2();
        } else if (r instanceof L1Regularization l1) {
            s = l1.getL1();
        } else if (r instanceof WeightDecay wd) {
            s = wd.getCoeff();
        } else {
            throw new Unsupported(at + ": regularisation " + r.getClass().getSimpleName());
        }
        if (!(s instanceof FixedSchedule f)) {
            throw new Unsupported(at + ": a regularisation schedule");
        }
        return f.getValue();
    }

    private static Optimizer.NormKind normKind(GradientNormalization g) {
        return switch (g) {
            case RenormalizeL2PerLayer -> Optimizer.NormKind.RENORMALIZE_L2_PER_LAYER;
            case RenormalizeL2PerParamType -> Optimizer.NormKind.RENORMALIZE_L2_PER_PARAM_TYPE;
            case ClipElementWiseAbsoluteValue -> Optimizer.NormKind.CLIP_ELEMENT_WISE_ABSOLUTE_VALUE;
            case ClipL2PerLayer -> Optimizer.NormKind.CLIP_L2_PER_LAYER;
            case ClipL2PerParamType -> Optimizer.NormKind.CLIP_L2_PER_PARAM_TYPE;
            default -> null;
        };
    }

    private Optimizer optimizer(MultiLayerConfiguration conf, int paramCount) {
        List<Optimizer.Range> ranges = new ArrayList<>();
        List<Optimizer.Norm> norms = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            FastLayer fl = layers.get(li);
            if (fl.blocks().isEmpty()) {
                continue;
            }
            BaseLayer base = (BaseLayer) conf.getConf(index.get(li)).getLayer();
            String at = "layer " + index.get(li) + " (" + base.getClass().getSimpleName() + ")";
            List<Optimizer.Range> mine = new ArrayList<>();
            for (FastLayer.Block b : fl.blocks()) {
                double l1 = 0;
                double l2 = 0;
                double wd = 0;
                boolean wdLr = false;
                List<Regularization> regs = base.getRegularizationByParam(b.name());
                for (Regularization r : regs == null ? List.<Regularization>of() : regs) {
                    double k = coefficient(r, at);
                    if (r instanceof L1Regularization) {
                        l1 += k;
                    } else if (r instanceof L2Regularization) {
                        l2 += k;
                    } else { // DL4J applies each entry (its builder may list the same decay twice)
                        boolean lr = ((WeightDecay) r).isApplyLR();
                        if (wd != 0 && lr != wdLr) {
                            throw new Unsupported(at + ": weight decays with and without the learning rate");
                        }
                        wd += k;
                        wdLr = lr;
                    }
                }
                mine.add(new Optimizer.Range(
                        fl.offset + b.start(),
                        b.length(),
                        rule(base.getUpdaterByParam(b.name()), at),
                        l1,
                        l2,
                        wd,
                        wdLr));
            }
            ranges.addAll(mine);
            GradientNormalization g = base.getGradientNormalization();
            Optimizer.NormKind kind = g == null ? null : normKind(g);
            if (kind != null) {
                norms.add(new Optimizer.Norm(kind, base.getGradientNormalizationThreshold(), mine));
            }
        }
        return new Optimizer(ranges, norms, paramCount);
    }

    /** For our HWC flattening, where DL4J's NCHW flattening puts the same value. */
    static int[] nchwIndexOfHwc(int h, int w, int c) {
        int[] order = new int[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    order[(y * w + x) * c + ch] = (ch * h + y) * w + x;
                }
            }
        }
        return order;
    }
}
