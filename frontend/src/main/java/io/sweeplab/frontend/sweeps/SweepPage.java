package io.sweeplab.frontend.sweeps;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepAnalysis;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.plugin.api.Objective;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the sweep view shows, computed on the server: each run with its metrics, and the comparison chart's option.
 * Two reads however many runs there are (the sweep with its runs, and all their metrics), the metrics only when a
 * run advanced since the previous page.
 */
public final class SweepPage {

    /**
     * A run's row: the run with what its metrics say.
     *
     * @param fit what its epochs say about overfitting (as stored with the run); null before its first epoch
     */
    public record Row(Run run, List<EpochMetric> metrics, Overfitting fit) {
        /** The last epoch's validation accuracy; null before its first epoch. */
        public Double lastVal() {
            return metrics.isEmpty() ? null : metrics.get(metrics.size() - 1).valAccuracy();
        }

        public Double bestVal() {
            return fit == null ? null : fit.bestValAccuracy();
        }

        public Integer bestEpoch() {
            return fit == null ? null : fit.bestValEpoch();
        }

        /** The epoch after which it overfits; null when it does not (or has no epoch yet). */
        public Integer onset() {
            return fit == null || fit.onset().isEmpty() ? null : fit.onset().getAsInt();
        }

        public Double finalGap() {
            return fit == null ? null : fit.finalGap();
        }

        public Double bestMinusLast() {
            return fit == null ? null : fit.bestMinusLast();
        }

        public double trainSeconds() {
            return metrics.stream().mapToDouble(EpochMetric::seconds).sum();
        }
    }

    /** How the comparison chart's axis is scaled. */
    enum Scale {
        /** a fraction up to 1, the axis starting a little below the lowest bar */
        ACCURACY,
        /** whole epochs from 0 */
        EPOCHS,
        /** percentage points, from 0 or below when some are negative */
        POINTS
    }

    /** What the comparison chart plots by the swept parameters; each run gives one value, or none. */
    public enum Metric {
        TEST_ACCURACY(
                "test accuracy",
                Scale.ACCURACY,
                "No finished run has a test accuracy",
                r -> r.run().testAccuracy()),
        BEST_VAL_ACCURACY("best validation accuracy", Scale.ACCURACY, Metric.NO_EPOCH, Row::bestVal),
        BEST_VAL_EPOCH("best validation epoch", Scale.EPOCHS, Metric.NO_EPOCH, r -> number(r.bestEpoch())),
        OVERFIT_ONSET("overfitting onset (epoch)", Scale.EPOCHS, "No finished run overfits", r -> number(r.onset())),
        FINAL_GAP("final train-validation gap (points)", Scale.POINTS, Metric.NO_EPOCH, r -> points(r.finalGap())),
        BEST_MINUS_LAST(
                "best minus last validation accuracy (points)",
                Scale.POINTS,
                Metric.NO_EPOCH,
                r -> points(r.bestMinusLast()));

        private static final String NO_EPOCH = "No finished run has finished an epoch";

        private final String label;
        private final Scale scale;
        private final String none;
        private final java.util.function.Function<Row, Double> value;

        /** @param none the chart's title when there are finished runs but none has a value */
        Metric(String label, Scale scale, String none, java.util.function.Function<Row, Double> value) {
            this.label = label;
            this.scale = scale;
            this.none = none;
            this.value = value;
        }

        public String label() {
            return label;
        }

        /** @return the run's value on the chart's scale; null when it has none */
        public Double of(Row r) {
            return value.apply(r);
        }

        private static Double number(Integer v) {
            return v == null ? null : v.doubleValue();
        }

        private static Double points(Double fraction) {
            return fraction == null ? null : fraction * 100;
        }
    }

    private final Sweep sweep;
    private final List<String> keys;
    private final List<String> grouping;
    private final Map<Long, Integer> trials;
    private final Map<Long, Row> rows;
    private final Map<Objective, SweepReading> readings = new java.util.HashMap<>();

    private SweepPage(Sweep sweep, Map<Long, Row> rows) {
        this.sweep = sweep;
        // a search's runs are not cells of a product: the table shows its space's paths, the comparison each run
        this.keys = sweep.isSearch()
                ? List.copyOf(sweep.search().space().keySet())
                : List.copyOf(sweep.grid().keySet());
        this.grouping = List.copyOf(sweep.grid().keySet());
        this.trials = new java.util.HashMap<>();
        if (sweep.isSearch()) {
            sweep.search().trials().stream().filter(t -> t.run() != null).forEach(t -> trials.put(t.run(), t.number()));
        }
        this.rows = rows;
    }

    /** @param previous the page shown before, whose metrics are kept when no run advanced; may be null */
    public static SweepPage load(SweepService sweeps, Caller caller, long id, SweepPage previous) {
        Sweep s = sweeps.get(caller, id);
        boolean advanced = previous == null
                || s.runs().size() != previous.rows.size()
                || s.runs().stream().anyMatch(r -> {
                    Row old = previous.rows.get(r.id());
                    return old == null
                            || old.run().epochsDone() != r.epochsDone()
                            || old.run().status() != r.status();
                });
        Map<Long, List<EpochMetric>> metrics = advanced ? sweeps.metrics(caller, id) : previous.metrics();
        return of(s, metrics);
    }

    /** The page of a sweep as read, with its runs' metrics (a run without any has none yet). */
    static SweepPage of(Sweep s, Map<Long, List<EpochMetric>> metrics) {
        Map<Long, Row> rows = new LinkedHashMap<>();
        for (Run r : s.runs().stream().sorted(Comparator.comparingLong(Run::id)).toList()) {
            List<EpochMetric> m = metrics.getOrDefault(r.id(), List.of());
            // the values stored with the run; computed here only for a run stored without them
            Overfitting fit = r.overfitting() != null ? r.overfitting() : m.isEmpty() ? null : Overfitting.of(m);
            rows.put(r.id(), new Row(r, m, fit));
        }
        return new SweepPage(s, rows);
    }

    private Map<Long, List<EpochMetric>> metrics() {
        Map<Long, List<EpochMetric>> out = new LinkedHashMap<>();
        rows.forEach((id, row) -> out.put(id, row.metrics()));
        return out;
    }

    public Sweep sweep() {
        return sweep;
    }

    /** The swept paths: a grid's axes, or a search's space. */
    public List<String> keys() {
        return keys;
    }

    /** The trial number of a search's run; null for a grid's. */
    public Integer trialOf(long run) {
        return trials.get(run);
    }

    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    public Row row(long run) {
        return rows.get(run);
    }

    /** The sweep read against an objective (computed once per objective and page). */
    public SweepReading reading(Objective objective) {
        return readings.computeIfAbsent(
                objective, o -> new SweepReading(SweepAnalysis.of(sweep, metrics(), o), sweep.runs()));
    }

    /** The objective the page reads the sweep by unless one is chosen: the search's, or test accuracy. */
    public Objective objective() {
        return SweepAnalysis.objectiveOf(sweep);
    }

    /** Whether some runs failed or were cancelled, which "Re-run failed" queues again. */
    public boolean canRerun() {
        return sweep.runs().stream().anyMatch(r -> r.status() == RunStatus.FAILED || r.status() == RunStatus.CANCELLED);
    }

    /** Whether the sweep is a search that has finished, which may be extended by more trials. */
    public boolean canExtend() {
        return sweep.isSearch()
                && !sweep.status().equals("queued")
                && !sweep.status().equals("running");
    }

    /** Where the export of its runs is (the REST API, which the dashboard's session may read). */
    public String export(String format) {
        return "api/sweeps/" + sweep.id() + "/runs." + format;
    }

    public long finished() {
        return sweep.runs().stream().filter(r -> r.status().finished()).count();
    }

    /** The comparison chart of test accuracy, the default. */
    public Map<String, Object> comparison() {
        return comparison(Metric.TEST_ACCURACY);
    }

    /** The finished runs that have a value for the metric, the comparison chart's points. */
    private List<Row> compared(Metric metric) {
        return rows.values().stream()
                .filter(r -> r.run().status().finished() && metric.of(r) != null)
                .toList();
    }

    /**
     * A metric of the finished runs as grouped bars: the first swept parameter's values along the axis, one series per
     * combination of the others.
     */
    public Map<String, Object> comparison(Metric metric) {
        List<Row> done = compared(metric);
        String xKey = grouping.isEmpty() ? null : grouping.get(0);
        List<String> xs = new ArrayList<>();
        Map<String, Map<String, List<Double>>> groups = new LinkedHashMap<>();
        for (Row r : done) {
            Map<String, Object> cell =
                    r.run().cell() == null ? Map.of() : r.run().cell();
            String x = xKey == null ? "run " + r.run().id() : Charts.value(cell.get(xKey));
            if (!xs.contains(x)) {
                xs.add(x);
            }
            StringBuilder name = new StringBuilder();
            for (String k : grouping.subList(Math.min(1, grouping.size()), grouping.size())) {
                name.append(name.length() == 0 ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(Charts.value(cell.get(k)));
            }
            String sName = name.length() == 0 ? metric.label() : name.toString();
            groups.computeIfAbsent(sName, n -> new LinkedHashMap<>())
                    .computeIfAbsent(x, v -> new ArrayList<>())
                    .add(metric.of(r));
        }
        // several runs in one group: their mean
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        groups.forEach((name, byX) -> {
            Map<String, Double> means = new LinkedHashMap<>();
            byX.forEach((x, values) -> means.put(
                    x,
                    values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
            series.put(name, means);
        });
        List<Map<String, Object>> out = new ArrayList<>();
        boolean labels = xs.size() * series.size() <= 40;
        series.forEach((name, values) -> out.add(Map.of(
                "name",
                name,
                "type",
                "bar",
                "label",
                Map.of("show", labels, "position", "top", "formatter", "{c}"),
                "data",
                xs.stream()
                                        .map(x -> Charts.round(values.get(x)))
                                        .filter(Objects::nonNull)
                                        .count()
                                == 0
                        ? List.of()
                        : xs.stream()
                                .map(x -> values.containsKey(x) ? Charts.round(values.get(x)) : null)
                                .toList())));
        Map<String, Object> option = new LinkedHashMap<>();
        String none = finished() == 0 ? "No finished runs yet" : metric.none;
        option.put("title", Map.of("text", done.isEmpty() ? none : "", "left", "center"));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("top", 0, "type", "scroll"));
        option.put("grid", Map.of("left", 50, "right", 20, "top", 40, "bottom", 40));
        option.put(
                "xAxis",
                Map.of(
                        "type",
                        "category",
                        "name",
                        xKey == null ? "" : xKey,
                        "nameLocation",
                        "middle",
                        "nameGap",
                        26,
                        "data",
                        xs));
        option.put("yAxis", yAxis(metric, done.stream().map(metric::of).toList()));
        option.put("series", out);
        return option;
    }

    /** The value axis, named after the metric and scaled to fit its values. */
    private static Map<String, Object> yAxis(Metric metric, List<Double> values) {
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("type", "value");
        axis.put("name", metric.label());
        switch (metric.scale) {
            case ACCURACY -> {
                // start a little below the worst run, so differences of a point or two show, and no bar vanishes
                axis.put("min", Math.max(0, Math.floor((lo - 0.02) * 20) / 20));
                axis.put("max", 1);
            }
            case EPOCHS -> {
                // room above the highest bar for its label
                int top = (int) Math.ceil(hi);
                axis.put("min", 0);
                axis.put("max", top + Math.max(1, top / 10));
                axis.put("minInterval", 1);
            }
            case POINTS -> {
                // gaps may be negative (validation above training): the axis reaches below 0 only then
                double pad = Math.max(0.5, (Math.max(0, hi) - Math.min(0, lo)) * 0.1);
                axis.put("min", lo < 0 ? Math.floor(lo - pad) : 0);
                axis.put("max", Math.ceil(Math.max(0, hi) + pad));
            }
        }
        return axis;
    }

    public int comparisonPoints() {
        return comparisonPoints(Metric.TEST_ACCURACY);
    }

    public int comparisonPoints(Metric metric) {
        return compared(metric).size();
    }
}
