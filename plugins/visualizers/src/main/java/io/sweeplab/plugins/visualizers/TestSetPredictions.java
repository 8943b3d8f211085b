package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.VisualizerContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The true and the predicted class of every image of a run's test set (the subset the run was evaluated on), from
 * one call of {@link VisualizerContext#predictions}; what the confusion matrix, the per-class accuracy and the
 * misclassified images are made of.
 */
record TestSetPredictions(int[] labels, int[] predicted) {

    static TestSetPredictions of(VisualizerContext ctx) {
        int[] all = new int[ctx.testSetSize()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int[] labels = ctx.testLabels(all);
        int[] predicted = ctx.predictions(all);
        if (predicted.length != all.length) {
            throw new IllegalStateException(
                    "the context predicted " + predicted.length + " classes for " + all.length + " test images");
        }
        return new TestSetPredictions(labels, predicted);
    }

    int size() {
        return labels.length;
    }

    boolean correct(int index) {
        return labels[index] == predicted[index];
    }

    int correctCount() {
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (correct(i)) {
                n++;
            }
        }
        return n;
    }

    /** The attributes every artifact made of these carries: the test images, how many are right, the accuracy. */
    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        int correct = correctCount();
        a.put("testImages", Integer.toString(size()));
        a.put("correct", Integer.toString(correct));
        a.put("accuracy", size() == 0 ? "none" : accuracy(correct, size()));
        return a;
    }

    /** An accuracy as the dashboard shows it, to four decimals. */
    static String accuracy(int correct, int total) {
        return String.format(Locale.ROOT, "%.4f", (double) correct / total);
    }
}
