package io.sweeplab.plugin.api;

/**
 * What an {@link Architecture} needs to know about a run besides its own parameters.
 *
 * @param height input image height in pixels (28 for Fashion-MNIST)
 * @param width input image width in pixels
 * @param channels input channels (1 for greyscale)
 * @param numClasses number of output classes
 * @param learningRate the run's learning rate for the Adam updater
 * @param seed the run's random seed, for reproducible weight initialisation
 */
public record BuildContext(int height, int width, int channels, int numClasses, double learningRate, long seed) {
    public BuildContext {
        if (height < 1 || width < 1 || channels < 1 || numClasses < 2) {
            throw new IllegalArgumentException("invalid input shape or class count");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number");
        }
    }
}
