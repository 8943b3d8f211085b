package io.sweeplab.frontend.sweeps;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.components.Charts;
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

    /** A run's row: the run with what its metrics say. */
    public record Row(Run run, List<EpochMetric> metrics, Overfitting fit) {
        public double bestVal() {
            return fit.bestValAccuracy();
        }

        public double trainSeconds() {
            return metrics.stream().mapToDouble(EpochMetric::seconds).sum();
        }
    }

    private final Sweep sweep;
    private final List<String> keys;
    private final Map<Long, Row> rows;

    private SweepPage(Sweep sweep, Map<Long, Row> rows) {
        this.sweep = sweep;
        this.keys = List.copyOf(sweep.grid().keySet());
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
            rows.put(r.id(), new Row(r, m, Overfitting.of(m)));
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

    public List<String> keys() {
        return keys;
    }

    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    public Row row(long run) {
        return rows.get(run);
    }

    public long finished() {
        return sweep.runs().stream().filter(r -> r.status().finished()).count();
    }

    /**
     * Test accuracy of the finished runs as grouped bars: the first swept parameter's values along the axis, one
     * series per combination of the others.
     */
    public Map<String, Object> comparison() {
        List<Row> done = rows.values().stream()
                .filter(r -> r.run().testAccuracy() != null)
                .toList();
        String xKey = keys.isEmpty() ? null : keys.get(0);
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
            for (String k : keys.subList(Math.min(1, keys.size()), keys.size())) {
                name.append(name.length() == 0 ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(Charts.value(cell.get(k)));
            }
            String sName = name.length() == 0 ? "test accuracy" : name.toString();
            groups.computeIfAbsent(sName, n -> new LinkedHashMap<>())
                    .computeIfAbsent(x, v -> new ArrayList<>())
                    .add(r.run().testAccuracy());
        }
        // several runs in one group: their mean
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        groups.forEach((name, byX) -> {
            Map<String, Double> means = new LinkedHashMap<>();
            byX.forEach((x, accuracies) -> means.put(
                    x,
                    accuracies.stream()
                            .mapToDouble(Double::doubleValue)
                            .average()
                            .orElseThrow()));
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
        option.put("title", Map.of("text", done.isEmpty() ? "No finished runs yet" : "", "left", "center"));
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
        // start the axis a little below the worst run, so differences of a point or two show, and no bar vanishes
        double worst =
                done.stream().mapToDouble(r -> r.run().testAccuracy()).min().orElse(0);
        double floor = Math.max(0, Math.floor((worst - 0.02) * 20) / 20);
        option.put("yAxis", Map.of("type", "value", "min", floor, "max", 1, "name", "test accuracy"));
        option.put("series", out);
        return option;
    }

    public int comparisonPoints() {
        return (int) rows.values().stream()
                .filter(r -> r.run().testAccuracy() != null)
                .count();
    }
}
