package io.sweeplab.core.sweep;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Reads runs as the trials of a search, and an objective off a run: the one reading of "how good was this run" that
 * the search, its scheduler, the dashboard and the export share.
 */
public final class Trials {

    /** The metrics an objective may name. */
    public static final Set<String> METRICS =
            Set.of("valAccuracy", "valLoss", "trainAccuracy", "trainLoss", "testAccuracy", "testLoss");

    private Trials() {}

    /**
     * The objective after each epoch: the metric itself, or for a test metric the validation value after the epoch
     * (the platform evaluates on the test set after each epoch).
     */
    public static List<Double> history(Objective objective, List<EpochMetric> epochs) {
        ToDoubleFunction<EpochMetric> f = perEpoch(objective.metric());
        List<Double> out = new ArrayList<>(epochs.size());
        for (EpochMetric e : epochs) {
            out.add(f.applyAsDouble(e));
        }
        return out;
    }

    /**
     * The objective a finished run ends with: its test score for a test metric, else the last epoch's value; NaN
     * when it has none (it failed before, or never recorded, the metric).
     */
    public static double finalValue(Objective objective, Run run, List<EpochMetric> epochs) {
        Double test = switch (objective.metric()) {
            case "testAccuracy" -> run.testAccuracy();
            case "testLoss" -> run.testLoss();
            default -> null;
        };
        if (test != null) {
            return test;
        }
        if (objective.metric().startsWith("test") || epochs.isEmpty()) {
            return Double.NaN;
        }
        return perEpoch(objective.metric()).applyAsDouble(epochs.get(epochs.size() - 1));
    }

    /**
     * A run as a trial of its search.
     *
     * @param run null for a configuration the platform refused
     * @param scheduler the id of the search's scheduler, whose stops make a trial {@link Trial.State#STOPPED}; a
     *     callback's stop (early stopping) ends a trial as planned
     */
    public static Trial of(
            Search.TrialRecord record, Run run, List<EpochMetric> epochs, Objective objective, String scheduler) {
        if (run == null) {
            return new Trial(record.number(), record.params(), Trial.State.FAILED, List.of(), Double.NaN);
        }
        Trial.State state = state(run, scheduler);
        double value = state == Trial.State.COMPLETE || state == Trial.State.STOPPED
                ? finalValue(objective, run, epochs)
                : Double.NaN;
        return new Trial(record.number(), record.params(), state, history(objective, epochs), value);
    }

    /** Every trial of a search sweep, in number order. */
    public static List<Trial> of(Sweep sweep, Map<Long, List<EpochMetric>> metrics) {
        Search search = sweep.search();
        String scheduler =
                search.scheduler() == null ? null : search.scheduler().id();
        Map<Long, Run> runs = new java.util.HashMap<>();
        sweep.runs().forEach(r -> runs.put(r.id(), r));
        List<Trial> out = new ArrayList<>();
        for (Search.TrialRecord t : search.trials()) {
            Run run = t.run() == null ? null : runs.get(t.run());
            List<EpochMetric> epochs = run == null ? List.of() : metrics.getOrDefault(run.id(), List.of());
            out.add(of(t, run, epochs, search.objective(), scheduler));
        }
        return out;
    }

    private static Trial.State state(Run run, String scheduler) {
        RunStatus s = run.status();
        if (!s.finished()) {
            return Trial.State.RUNNING;
        }
        return switch (s) {
            case SUCCEEDED -> Trial.State.COMPLETE;
            case STOPPED ->
                scheduler != null && scheduler.equals(run.stoppedBy()) ? Trial.State.STOPPED : Trial.State.COMPLETE;
            default -> Trial.State.FAILED;
        };
    }

    private static ToDoubleFunction<EpochMetric> perEpoch(String metric) {
        return switch (metric) {
            case "valAccuracy", "testAccuracy" -> EpochMetric::valAccuracy;
            case "valLoss", "testLoss" -> EpochMetric::valLoss;
            case "trainAccuracy" -> EpochMetric::trainAccuracy;
            case "trainLoss" -> EpochMetric::trainLoss;
            default -> throw new IllegalArgumentException("no metric " + metric);
        };
    }
}
