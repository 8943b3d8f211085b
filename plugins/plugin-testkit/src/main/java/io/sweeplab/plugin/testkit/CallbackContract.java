package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a {@link Callback}: extend it in your tests and return your callback.
 *
 * <pre>{@code
 * class GapStopTest extends CallbackContract {
 *     protected Callback callback() {
 *         return new GapStop();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it
 * starts a session for the defaults and every bound and feeds it each of {@link #syntheticRuns()} as the worker
 * would (the iterations of an epoch, then its metrics), checking that every answer is a decision, that a stop names
 * an epoch already trained when it restores one, and that two sessions of the same run answer alike (the
 * callback keeps its state in its sessions, not in itself).
 */
public abstract class CallbackContract extends ExtensionContract<Callback> {

    /** For subclasses. */
    protected CallbackContract() {}

    /** The callback under test. */
    protected abstract Callback callback();

    @Override
    final Callback extension() {
        return callback();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return Callback.class;
    }

    /**
     * The runs the sessions are fed, by name: one learning steadily, one overfitting (training improves, validation
     * worsens), one diverging to a NaN loss and one without a validation set (NaN validation metrics). Override to
     * add runs of your own.
     */
    protected Map<String, List<EpochMetrics>> syntheticRuns() {
        Map<String, List<EpochMetrics>> runs = new LinkedHashMap<>();
        List<EpochMetrics> learning = new ArrayList<>();
        List<EpochMetrics> overfitting = new ArrayList<>();
        List<EpochMetrics> diverging = new ArrayList<>();
        List<EpochMetrics> noValidation = new ArrayList<>();
        for (int e = 1; e <= 12; e++) {
            double acc = 1 - 0.5 / e;
            learning.add(new EpochMetrics(e, 1.5 / e, acc, 1.6 / e, acc - 0.01));
            overfitting.add(new EpochMetrics(e, 1.5 / e, acc, 0.4 + 0.05 * e, 0.85 - 0.02 * e));
            diverging.add(new EpochMetrics(e, e < 6 ? 1.0 * e : Double.NaN, 0.1, Double.NaN, 0.1));
            noValidation.add(new EpochMetrics(e, 1.5 / e, acc, Double.NaN, Double.NaN));
        }
        runs.put("learning", learning);
        runs.put("overfitting", overfitting);
        runs.put("diverging", diverging);
        runs.put("without validation", noValidation);
        return runs;
    }

    /** Every session answers every synthetic run without throwing, and sessions do not share state. */
    @TestFactory
    public Stream<DynamicTest> answersSyntheticRunsForTheDefaultsAndEveryBound() {
        return forEachCase("answers synthetic runs", (callback, params) -> {
            for (Map.Entry<String, List<EpochMetrics>> run : syntheticRuns().entrySet()) {
                List<Decision> first = feed(callback, params, run.getKey(), run.getValue());
                List<Decision> second = feed(callback, params, run.getKey(), run.getValue());
                assertEquals(
                        first,
                        second,
                        "two sessions of the run '" + run.getKey() + "' answer differently: keep per-run state in"
                                + " the session, not in the callback");
            }
        });
    }

    private static List<Decision> feed(Callback callback, Params params, String name, List<EpochMetrics> run) {
        CallbackSession session = callback.start(params);
        assertNotNull(session, "start() returned null");
        List<Decision> answers = new ArrayList<>();
        for (EpochMetrics m : run) {
            for (int i = 0; i < 3; i++) {
                Decision d = session.onIteration(m.epoch(), i, m.trainLoss());
                check(d, name, m.epoch() - 1, "onIteration");
                answers.add(d);
                if (d.stop()) {
                    return answers;
                }
            }
            Decision d = session.onEpochEnd(m);
            check(d, name, m.epoch(), "onEpochEnd");
            answers.add(d);
            if (d.stop()) {
                return answers;
            }
        }
        return answers;
    }

    /** @param trained the last epoch whose weights exist when the answer is given */
    private static void check(Decision d, String run, int trained, String where) {
        String at = where + " of the run '" + run + "' after epoch " + trained;
        assertNotNull(d, at + " returned null (Decision.proceed() goes on)");
        assertTrue(
                d.restoreEpoch() <= trained, at + " restores epoch " + d.restoreEpoch() + ", which is not trained yet");
    }
}
