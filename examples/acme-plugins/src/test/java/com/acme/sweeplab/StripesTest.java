package com.acme.sweeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.testkit.DatasetContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract (metadata, schema, loads for every bound as declared and alike twice, loading) and the data itself. */
class StripesTest extends DatasetContract {

    @Override
    protected Dataset dataset() {
        return new Stripes();
    }

    @Override
    protected Map<String, Object> requiredParams() {
        return Map.of("train", 40, "test", 8); // the bounds of the other parameters are checked on small sets
    }

    @Test
    void every_class_is_there_in_equal_numbers_and_another_seed_gives_other_images() throws Exception {
        Dataset d = dataset();
        DatasetContent a = d.load(d.params().validate(Map.of("train", 40, "test", 8)).params(), context());
        DatasetContent b = d.load(d.params().validate(Map.of("train", 40, "test", 8, "seed", 2)).params(), context());
        int[] perClass = new int[4];
        for (int l : a.train().labels()) {
            perClass[l]++;
        }
        assertEquals(10, perClass[0]);
        assertEquals(10, perClass[3]);
        assertTrue(!java.util.Arrays.equals(a.train().pixels(), b.train().pixels()), "another seed, other images");
    }
}
