package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SchedulerContext;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.api.TrialScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a {@link TrialScheduler}: extend it in your tests and return your scheduler.
 *
 * <pre>{@code
 * class PatienceSchedulerTest extends SchedulerContract {
 *     protected TrialScheduler scheduler() {
 *         return new PatienceScheduler();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it
 * replays each of {@link #syntheticSweeps()} for the defaults and every bound of the schema, with goal {@code max}
 * and {@code min}, as the platform would: trials start one epoch apart (so they report asynchronously), and after
 * each epoch but the last the scheduler is asked about the trial with the others as they stand; a stopped trial
 * trains no more. Every answer must be a decision; the same context must get the same answer, from the same
 * instance and from a new one (the scheduler keeps no state); a trial alone in its sweep must get an answer too.
 */
public abstract class SchedulerContract extends ExtensionContract<TrialScheduler> {

    /** The epochs each synthetic trial trains at most. */
    protected static final int MAX_EPOCHS = 9;

    /** For subclasses. */
    protected SchedulerContract() {}

    /** The scheduler under test. */
    protected abstract TrialScheduler scheduler();

    @Override
    final TrialScheduler extension() {
        return scheduler();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return TrialScheduler.class;
    }

    /**
     * The sweeps replayed, by name, each a list of curves (an accuracy-like value per epoch, larger is better; the
     * {@code min} replay uses one minus it): eight trials learning at different speeds; a sweep with a trial that
     * diverges to NaN and one that never records its metric; a sweep whose every second trial fails after three
     * epochs (its curve ends there); a single trial. Override to add sweeps of your own.
     */
    protected Map<String, List<double[]>> syntheticSweeps() {
        Map<String, List<double[]>> sweeps = new LinkedHashMap<>();
        List<double[]> learning = new ArrayList<>();
        List<double[]> nan = new ArrayList<>();
        List<double[]> failing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double[] curve = new double[MAX_EPOCHS];
            for (int e = 1; e <= MAX_EPOCHS; e++) {
                curve[e - 1] = 0.9 - (0.2 + 0.08 * ((i * 5) % 8)) / e;
            }
            learning.add(curve);
            double[] n = curve.clone();
            if (i == 2) {
                for (int e = 3; e < MAX_EPOCHS; e++) {
                    n[e] = Double.NaN;
                }
            }
            if (i == 5) {
                java.util.Arrays.fill(n, Double.NaN);
            }
            nan.add(n);
            failing.add(i % 2 == 1 ? java.util.Arrays.copyOf(curve, 3) : curve);
        }
        sweeps.put("learning", learning);
        sweeps.put("with NaN values", nan);
        sweeps.put("with failed trials", failing);
        sweeps.put("a single trial", List.of(learning.get(0)));
        return sweeps;
    }

    /** Every epoch of every synthetic sweep gets a decision, the same for the same context. */
    @TestFactory
    public Stream<DynamicTest> answersEveryEpochOfSyntheticSweeps() {
        return forEachCase("answers synthetic sweeps", (scheduler, params) -> {
            for (Objective.Goal goal : Objective.Goal.values()) {
                for (Map.Entry<String, List<double[]>> sweep : syntheticSweeps().entrySet()) {
                    replay(scheduler, params, goal, sweep.getKey(), sweep.getValue());
                }
            }
        });
    }

    /** Replays a sweep with trial {@code i} starting at tick {@code i}; returns the decisions asked, in order. */
    private List<Decision> replay(
            TrialScheduler scheduler, Params params, Objective.Goal goal, String name, List<double[]> curves) {
        Objective objective =
                goal == Objective.Goal.MAX ? new Objective("valAccuracy", goal) : new Objective("valLoss", goal);
        int n = curves.size();
        List<List<Double>> histories = new ArrayList<>();
        Trial.State[] states = new Trial.State[n];
        for (int i = 0; i < n; i++) {
            histories.add(new ArrayList<>());
            states[i] = Trial.State.RUNNING;
        }
        List<Decision> decisions = new ArrayList<>();
        for (int tick = 0; tick < n + MAX_EPOCHS; tick++) {
            for (int i = 0; i < Math.min(n, tick + 1); i++) {
                double[] curve = curves.get(i);
                List<Double> h = histories.get(i);
                if (states[i] != Trial.State.RUNNING) {
                    continue;
                }
                if (h.size() == curve.length) {
                    states[i] = curve.length == MAX_EPOCHS ? Trial.State.COMPLETE : Trial.State.FAILED;
                    continue;
                }
                double v = curve[h.size()];
                h.add(goal == Objective.Goal.MAX ? v : 1 - v);
                if (h.size() == MAX_EPOCHS) {
                    states[i] = Trial.State.COMPLETE;
                    continue;
                }
                Trial trial = trial(i, states[i], h);
                List<Trial> others = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    if (j != i && j <= tick) {
                        others.add(trial(j, states[j], histories.get(j)));
                    }
                }
                SchedulerContext context = SchedulerContexts.of(objective, trial, others, MAX_EPOCHS);
                String at =
                        "the sweep '" + name + "' (goal " + goal + "), trial " + (i + 1) + " after epoch " + h.size();
                Decision d = scheduler.decide(params, context);
                assertNotNull(d, "decide() returned null for " + at + " (Decision.proceed() goes on)");
                assertEquals(
                        d,
                        scheduler.decide(params, context),
                        "two calls with the same context decide differently for " + at);
                assertEquals(
                        d,
                        scheduler().decide(params, context),
                        "a new instance decides differently for " + at + ": keep no state in the scheduler");
                decisions.add(d);
                if (d.stop()) {
                    states[i] = Trial.State.STOPPED;
                }
            }
        }
        return decisions;
    }

    private static Trial trial(int index, Trial.State state, List<Double> history) {
        double value = state == Trial.State.COMPLETE || state == Trial.State.STOPPED
                ? history.get(history.size() - 1)
                : Double.NaN;
        return new Trial(index + 1, Map.of(), state, history, value);
    }
}
