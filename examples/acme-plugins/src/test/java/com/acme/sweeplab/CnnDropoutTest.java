package com.acme.sweeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.testkit.ArchitectureContract;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.junit.jupiter.api.Test;

/** The contract (metadata, schema, builds at every bound, a short training, loading) and what is particular to it. */
class CnnDropoutTest extends ArchitectureContract {

    @Override
    protected Architecture architecture() {
        return new CnnDropout();
    }

    private MultiLayerConfiguration build(double dropout) {
        Params p = architecture().params().validate(Map.of("dropout", dropout)).params();
        return ((ModelConfiguration.Sequential) architecture().build(p, buildContext())).configuration();
    }

    @Test
    void the_dense_layer_keeps_one_minus_the_dropout_of_its_inputs() {
        Dropout d = (Dropout) build(0.3).getConf(2).getLayer().getIDropout();
        assertEquals(0.7, d.getP(), 1e-9);
        assertNull(build(0).getConf(2).getLayer().getIDropout());
    }
}
