package io.sweeplab.engine;

import java.util.List;

/**
 * The parameter update of a training step, as DL4J's updater does it: per layer, gradient normalisation (of the
 * batch-mean gradient: DL4J divides by the batch size first); then per
 * run of parameters, L1 and L2 added to the gradient, the update rule (Adam, SGD, Nesterov momentum, RMSProp), and
 * decoupled weight decay added to the update (AdamW is Adam with weight decay), subtracted from the parameters.
 * The state is two arrays over all parameters: Adam's moments, or Nesterov's velocity, or RMSProp's mean square in
 * the first; state that decays below the smallest normal float becomes 0 ({@link Gemm#flush}), where DL4J would
 * keep computing on subnormals at a hundredth of the speed, for a difference in the updates below 1e-30.
 */
final class Optimizer {

    /** An update rule with its fixed hyper-parameters. */
    sealed interface Rule {
        double learningRate();
    }

    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Rule {}

    record Sgd(double learningRate) implements Rule {}

    record Nesterovs(double learningRate, double momentum) implements Rule {}

    record RmsProp(double learningRate, double decay, double epsilon) implements Rule {}

    /** A run of parameters with one rule and its regularisation. */
    record Range(int start, int length, Rule rule, double l1, double l2, double weightDecay, boolean decayTimesLr) {
        boolean regularised() {
            return l1 != 0 || l2 != 0 || weightDecay != 0;
        }
    }

    enum NormKind {
        RENORMALIZE_L2_PER_LAYER,
        RENORMALIZE_L2_PER_PARAM_TYPE,
        CLIP_ELEMENT_WISE_ABSOLUTE_VALUE,
        CLIP_L2_PER_LAYER,
        CLIP_L2_PER_PARAM_TYPE
    }

    /** DL4J's gradient normalisation of one layer, over its ranges. */
    record Norm(NormKind kind, double threshold, List<Range> ranges) {}

    final List<Range> ranges;
    final List<Norm> norms;
    final int paramCount;
    final float[] m;
    final float[] v;
    long step;

    Optimizer(List<Range> ranges, List<Norm> norms, int paramCount) {
        this.ranges = List.copyOf(ranges);
        this.norms = List.copyOf(norms);
        this.paramCount = paramCount;
        this.m = new float[paramCount];
        this.v = new float[paramCount];
        for (Range r : ranges) {
            if (r.rule() instanceof RmsProp rp) { // DL4J starts RMSProp's mean square at epsilon
                java.util.Arrays.fill(m, r.start(), r.start() + r.length(), (float) rp.epsilon());
            }
        }
    }

    /** Gradient normalisation of every layer that asks for it; {@code g} is the batch-mean gradient. */
    void normalise(float[] g) {
        for (Norm norm : norms) {
            switch (norm.kind()) {
                case CLIP_ELEMENT_WISE_ABSOLUTE_VALUE -> {
                    float t = (float) norm.threshold();
                    for (Range r : norm.ranges()) {
                        for (int i = r.start(); i < r.start() + r.length(); i++) {
                            g[i] = Math.max(-t, Math.min(t, g[i]));
                        }
                    }
                }
                case RENORMALIZE_L2_PER_LAYER, CLIP_L2_PER_LAYER -> {
                    double sq = 0;
                    for (Range r : norm.ranges()) {
                        sq += sumSquares(g, r);
                    }
                    double scale = scale(norm, Math.sqrt(sq));
                    for (Range r : norm.ranges()) {
                        scale(g, r, scale);
                    }
                }
                case RENORMALIZE_L2_PER_PARAM_TYPE, CLIP_L2_PER_PARAM_TYPE -> {
                    for (Range r : norm.ranges()) {
                        scale(g, r, scale(norm, Math.sqrt(sumSquares(g, r))));
                    }
                }
            }
        }
    }

    /** The factor for the gradient, given its L2 norm. */
    private static double scale(Norm norm, double l2) {
        if (norm.kind() == NormKind.RENORMALIZE_L2_PER_LAYER || norm.kind() == NormKind.RENORMALIZE_L2_PER_PARAM_TYPE) {
            return l2 == 0 ? 1 : 1.0 / l2;
        }
        return l2 > norm.threshold() ? norm.threshold() / l2 : 1;
    }

    private static double sumSquares(float[] g, Range r) {
        double s = 0;
        for (int i = r.start(); i < r.start() + r.length(); i++) {
            s += (double) g[i] * g[i];
        }
        return s;
    }

    private static void scale(float[] g, Range r, double s) {
        if (s == 1) {
            return;
        }
        float f = (float) s;
        for (int i = r.start(); i < r.start() + r.length(); i++) {
            g[i] *= f;
        }
    }

    /** Applies the update to parameters [lo, hi) (threads take disjoint spans); {@link #step} already counts it. */
    void apply(float[] params, float[] g, int lo, int hi) {
        for (Range r : ranges) {
            int from = Math.max(lo, r.start());
            int to = Math.min(hi, r.start() + r.length());
            if (from < to) {
                apply(r, params, g, from, to);
            }
        }
    }

    private void apply(Range r, float[] w, float[] g, int from, int to) {
        if (r.l1() != 0 || r.l2() != 0) {
            float l1 = (float) r.l1();
            float l2 = (float) r.l2();
            for (int i = from; i < to; i++) {
                g[i] += l2 * w[i] + l1 * Math.signum(w[i]);
            }
        }
        // g becomes the update
        Rule rule = r.rule();
        if (rule instanceof Adam a) {
            long t = step;
            double alpha = a.learningRate() * Math.sqrt(1 - Math.pow(a.beta2(), t)) / (1 - Math.pow(a.beta1(), t));
            if (!Double.isFinite(alpha) || alpha == 0) {
                alpha = a.epsilon();
            }
            float al = (float) alpha;
            float b1 = (float) a.beta1();
            float b2 = (float) a.beta2();
            float e = (float) a.epsilon();
            Gemm.INSTANCE.adam(g, m, v, from, to, b1, b2, al, e);
        } else if (rule instanceof Sgd s) {
            float lr = (float) s.learningRate();
            for (int i = from; i < to; i++) {
                g[i] *= lr;
            }
        } else if (rule instanceof Nesterovs nv) {
            float lr = (float) nv.learningRate();
            float mu = (float) nv.momentum();
            for (int i = from; i < to; i++) {
                float prev = mu * m[i];
                float vi = Gemm.flush(prev - lr * g[i]);
                m[i] = vi;
                g[i] = prev - (mu + 1) * vi;
            }
        } else if (rule instanceof RmsProp rp) {
            float lr = (float) rp.learningRate();
            float d = (float) rp.decay();
            float e = (float) rp.epsilon();
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float s = Gemm.flush(m[i] * d + gi * gi * (1 - d));
                m[i] = s;
                g[i] = gi * lr / ((float) Math.sqrt(s) + e);
            }
        }
        if (r.weightDecay() != 0) {
            float wd = (float) (r.weightDecay() * (r.decayTimesLr() ? r.rule().learningRate() : 1));
            for (int i = from; i < to; i++) {
                g[i] += wd * w[i];
            }
        }
        for (int i = from; i < to; i++) {
            w[i] -= g[i];
        }
    }

    /** What DL4J adds to the score for the regularisation of these parameters. */
    double regularisationScore(float[] w) {
        double score = 0;
        for (Range r : ranges) {
            if (!r.regularised()) {
                continue;
            }
            double sq = 0;
            double abs = 0;
            for (int i = r.start(); i < r.start() + r.length(); i++) {
                sq += (double) w[i] * w[i];
                abs += Math.abs(w[i]);
            }
            score += 0.5 * r.l2() * sq + r.l1() * abs + 0.5 * r.weightDecay() * sq;
        }
        return score;
    }
}
