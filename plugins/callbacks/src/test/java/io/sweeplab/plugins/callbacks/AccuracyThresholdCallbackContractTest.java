package io.sweeplab.plugins.callbacks;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.testkit.CallbackContract;

class AccuracyThresholdCallbackContractTest extends CallbackContract {

    @Override
    protected Callback callback() {
        return new AccuracyThresholdCallback();
    }
}
