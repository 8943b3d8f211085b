package io.sweeplab.plugins.search;

import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.api.TrialScheduler;
import io.sweeplab.plugin.testkit.SchedulerContexts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Feeds a scheduler synthetic curves in a given asynchronous order, as the platform would after each epoch. */
final class Replay {

    private Replay() {}

    /**
     * @param curves trial number to its objective per epoch (all of them {@code maxEpochs} long)
     * @param order trial numbers; each occurrence is that trial's next epoch (ignored once the trial stopped)
     * @return the stopped trials' numbers, each with its reason
     */
    static Map<Integer, String> run(
            TrialScheduler scheduler,
            Map<String, ?> rawParams,
            Objective objective,
            int maxEpochs,
            Map<Integer, double[]> curves,
            List<Integer> order) {
        Params params = scheduler.params().validate(rawParams).params();
        Map<Integer, List<Double>> histories = new LinkedHashMap<>();
        Map<Integer, Trial.State> states = new LinkedHashMap<>();
        Map<Integer, String> stopped = new TreeMap<>();
        for (int number : order) {
            if (states.getOrDefault(number, Trial.State.RUNNING) != Trial.State.RUNNING) {
                continue;
            }
            List<Double> h = histories.computeIfAbsent(number, k -> new ArrayList<>());
            states.put(number, Trial.State.RUNNING);
            h.add(curves.get(number)[h.size()]);
            if (h.size() == maxEpochs) {
                states.put(number, Trial.State.COMPLETE);
                continue;
            }
            List<Trial> others = new ArrayList<>();
            histories.forEach((n, hist) -> {
                if (n != number) {
                    others.add(trial(n, states.get(n), hist));
                }
            });
            Decision d = scheduler.decide(
                    params, SchedulerContexts.of(objective, trial(number, Trial.State.RUNNING, h), others, maxEpochs));
            if (d.stop()) {
                states.put(number, Trial.State.STOPPED);
                stopped.put(number, d.reason());
            }
        }
        return stopped;
    }

    private static Trial trial(int number, Trial.State state, List<Double> h) {
        double value = state == Trial.State.RUNNING ? Double.NaN : h.get(h.size() - 1);
        return new Trial(number, Map.of(), state, h, value);
    }

    /** {@code base + 0.01 * epoch} for each epoch; with {@code loss}, one minus it. */
    static double[] curve(double base, int epochs, boolean loss) {
        double[] c = new double[epochs];
        for (int e = 1; e <= epochs; e++) {
            double v = base + 0.01 * e;
            c[e - 1] = loss ? 1 - v : v;
        }
        return c;
    }
}
