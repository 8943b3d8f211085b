package io.sweeplab.plugin.api;

/**
 * The shape of one input image.
 *
 * @param height rows of pixels
 * @param width columns of pixels
 * @param channels 1 for greyscale, 3 for RGB
 * @since 1.2
 */
public record InputShape(int height, int width, int channels) {
    public InputShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("an input shape has positive sides and channels");
        }
    }
}
