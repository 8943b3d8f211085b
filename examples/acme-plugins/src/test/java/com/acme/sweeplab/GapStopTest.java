package com.acme.sweeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.testkit.CallbackContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract (metadata, schema, synthetic runs at every bound, loading) and the stop rule itself. */
class GapStopTest extends CallbackContract {

    @Override
    protected Callback callback() {
        return new GapStop();
    }

    private CallbackSession start(Map<String, Object> params) {
        return callback().start(callback().params().validate(params).params());
    }

    @Test
    void stops_after_patience_epochs_beyond_the_gap_restoring_the_last_epoch_within_it() {
        CallbackSession s = start(Map.of("gap", 0.05, "patience", 2));
        assertFalse(s.onEpochEnd(new EpochMetrics(1, 0.6, 0.80, 0.6, 0.79)).stop());
        assertFalse(s.onEpochEnd(new EpochMetrics(2, 0.4, 0.90, 0.5, 0.80)).stop());
        Decision d = s.onEpochEnd(new EpochMetrics(3, 0.3, 0.95, 0.6, 0.81));
        assertTrue(d.stop());
        assertEquals(1, d.restoreEpoch());
        assertEquals("train-validation accuracy gap 0.140 exceeded 0.050 for 2 epochs at epoch 3", d.reason());
    }

    @Test
    void goes_on_without_a_validation_set() {
        CallbackSession s = start(Map.of("patience", 1));
        assertFalse(s.onEpochEnd(new EpochMetrics(1, 0.3, 0.99, Double.NaN, Double.NaN))
                .stop());
    }
}
