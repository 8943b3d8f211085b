package io.sweeplab.plugin.api;

import java.util.List;

/**
 * What a {@link Dataset} loaded: the class names and the training and test splits, all of one shape.
 *
 * @param classNames the name of each class, indexed by label (at least two)
 * @param train the training images
 * @param test the test images (the lab evaluates on them after every epoch, as its validation set)
 * @since 1.2
 */
public record DatasetContent(List<String> classNames, ImageSet train, ImageSet test) {
    public DatasetContent {
        classNames = List.copyOf(classNames);
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("a dataset has at least two classes, not " + classNames.size());
        }
        if (train.size() < 1 || test.size() < 1) {
            throw new IllegalArgumentException("a dataset needs at least one training and one test image");
        }
        if (!inputShape(train).equals(inputShape(test))) {
            throw new IllegalArgumentException(
                    "training images are " + inputShape(train) + " and test images " + inputShape(test));
        }
        checkLabels(train, classNames.size(), "training");
        checkLabels(test, classNames.size(), "test");
    }

    /** The shape of every image. */
    public InputShape inputShape() {
        return inputShape(train);
    }

    private static InputShape inputShape(ImageSet s) {
        return new InputShape(s.height(), s.width(), s.channels());
    }

    private static void checkLabels(ImageSet s, int classes, String which) {
        for (int i = 0; i < s.size(); i++) {
            if (s.labels()[i] < 0 || s.labels()[i] >= classes) {
                throw new IllegalArgumentException(
                        which + " image " + i + " has label " + s.labels()[i] + ", outside 0.." + (classes - 1));
            }
        }
    }
}
