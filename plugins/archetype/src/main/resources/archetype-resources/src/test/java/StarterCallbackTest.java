package ${package};

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.testkit.CallbackContract;

/** The testkit's contract; add tests of your own behaviour here. */
class StarterCallbackTest extends CallbackContract {

    @Override
    protected Callback callback() {
        return new StarterCallback();
    }
}
