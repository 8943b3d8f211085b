package io.sweeplab.core.sweep;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A sweep's runs as one table, for export: each run's cell (the swept parameters, by their grid paths), its status,
 * the last epoch's metrics and those of its best epoch ({@link Overfitting}'s: the highest validation accuracy), and
 * the test scores; for a search, each run's trial number. The same rows serve the CSV and the JSON export.
 */
public final class SweepTable {

    /** The per-epoch metrics every run records. */
    public static final List<String> METRICS = List.of("trainLoss", "trainAccuracy", "valLoss", "valAccuracy");

    /** The columns, in order, and one row per run (a value per column, null where a run has none). */
    public record Table(List<String> columns, List<Map<String, Object>> rows) {}

    private SweepTable() {}

    public static Table of(Sweep sweep, Map<Long, List<EpochMetric>> metrics) {
        LinkedHashSet<String> params = new LinkedHashSet<>(sweep.grid().keySet());
        for (Run r : sweep.runs()) {
            params.addAll(r.cell().keySet());
        }
        List<String> columns =
                new ArrayList<>(sweep.isSearch() ? List.of("run", "trial", "status") : List.of("run", "status"));
        Map<Long, Integer> trialOf = new java.util.HashMap<>();
        if (sweep.isSearch()) {
            sweep.search().trials().stream()
                    .filter(t -> t.run() != null)
                    .forEach(t -> trialOf.put(t.run(), t.number()));
        }
        columns.addAll(params);
        columns.add("epochsDone");
        for (String m : METRICS) {
            columns.add("last." + m);
        }
        columns.add("bestEpoch");
        for (String m : METRICS) {
            columns.add("best." + m);
        }
        columns.addAll(List.of("testLoss", "testAccuracy", "stoppedBy", "stopReason"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Run r : sweep.runs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String c : columns) {
                row.put(c, null);
            }
            row.put("run", r.id());
            if (sweep.isSearch()) {
                row.put("trial", trialOf.get(r.id()));
            }
            row.put("status", r.status().jsonName());
            params.forEach(p -> row.put(p, r.cell().get(p)));
            row.put("epochsDone", r.epochsDone());
            List<EpochMetric> epochs = metrics.getOrDefault(r.id(), List.of());
            if (!epochs.isEmpty()) {
                EpochMetric last = epochs.get(epochs.size() - 1);
                int bestEpoch = Overfitting.of(epochs).bestValEpoch(); // the dashboard's best epoch, by one rule
                EpochMetric best = epochs.stream()
                        .filter(e -> e.epoch() == bestEpoch)
                        .findFirst()
                        .orElse(last);
                put(row, "last.", last);
                row.put("bestEpoch", best.epoch());
                put(row, "best.", best);
            }
            row.put("testLoss", r.testLoss());
            row.put("testAccuracy", r.testAccuracy());
            row.put("stoppedBy", r.stoppedBy());
            row.put("stopReason", r.stopReason());
            rows.add(row);
        }
        return new Table(List.copyOf(columns), rows);
    }

    private static void put(Map<String, Object> row, String prefix, EpochMetric e) {
        row.put(prefix + "trainLoss", e.trainLoss());
        row.put(prefix + "trainAccuracy", e.trainAccuracy());
        row.put(prefix + "valLoss", e.valLoss());
        row.put(prefix + "valAccuracy", e.valAccuracy());
    }

    /** A run's epochs as a table: one row per epoch. */
    public static Table epochs(List<EpochMetric> epochs) {
        List<String> columns = new ArrayList<>(List.of("epoch"));
        columns.addAll(METRICS);
        columns.addAll(List.of("seconds", "imagesPerSecond"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochMetric e : epochs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("trainLoss", e.trainLoss());
            row.put("trainAccuracy", e.trainAccuracy());
            row.put("valLoss", e.valLoss());
            row.put("valAccuracy", e.valAccuracy());
            row.put("seconds", e.seconds());
            row.put("imagesPerSecond", e.imagesPerSecond());
            rows.add(row);
        }
        return new Table(List.copyOf(columns), rows);
    }
}
