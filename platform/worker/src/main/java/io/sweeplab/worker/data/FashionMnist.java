package io.sweeplab.worker.data;

import java.util.List;

/** The Fashion-MNIST training (60,000) and test (10,000) sets. */
public record FashionMnist(ImageSet train, ImageSet test) {

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
}
