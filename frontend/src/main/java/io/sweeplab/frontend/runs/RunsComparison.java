package io.sweeplab.frontend.runs;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.metric.Curve;
import io.sweeplab.core.metric.MetricSeries;
import io.sweeplab.core.run.Run;
import io.sweeplab.frontend.components.Charts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Runs page computes on the server: which runs a filter keeps, and for the runs selected (trained and
 * external alike) the metrics they have between them, one metric's curves overlaid on one chart, and each run's
 * latest values. A metric is matched by its name or by its counterpart between Keras's names and Sweeplab's
 * ({@link MetricSeries#resolve}), so the lab's notebook runs compare with trained runs.
 */
final class RunsComparison {

    static final String ALL = "all";

    private RunsComparison() {}

    /**
     * @param points the points drawn, after thinning
     * @param without the selected runs that have no such metric
     */
    record Overlay(Map<String, Object> option, int points, List<Run> without) {}

    /** A run's latest value of each metric of the comparison (null where it has none). */
    record Latest(Run run, Map<String, Double> values) {}

    /** How a run is named in legends and tables: its id, and an external run's name or a trained run's architecture. */
    static String label(Run r) {
        return "run " + r.id() + " · "
                + (r.external() != null ? r.external().name() : r.spec().architecture());
    }

    /**
     * Whether the filter keeps a run: its source is {@code source} (or {@value #ALL}), and every word typed is in
     * its id, name, team, architecture, status, source, sweep or cell.
     */
    static boolean matches(Run r, String text, String source) {
        if (source != null && !source.equals(ALL) && !source.equals(r.source())) {
            return false;
        }
        String haystack = ("run " + r.id() + " "
                        + (r.external() == null ? "" : r.external().name()) + " " + r.team()
                        + " " + (r.external() == null ? r.spec().architecture() : "") + " "
                        + r.status().jsonName()
                        + " " + r.source() + " " + (r.sweep() == null ? "" : "sweep " + r.sweep()) + " "
                        + (r.cell() == null ? "" : r.cell()))
                .toLowerCase(Locale.ROOT);
        for (String word : (text == null ? "" : text).toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!word.isEmpty() && !haystack.contains(word)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The metric names of the runs, each metric once, in the order the runs list them: a Keras name whose Sweeplab
     * counterpart came first (or the other way round) is the same metric, listed under the name that came first.
     */
    static List<String> metrics(List<Run> runs) {
        Set<String> names = new LinkedHashSet<>();
        for (Run r : runs) {
            for (String n : MetricSeries.names(r)) {
                if (MetricSeries.counterpart(n).filter(names::contains).isEmpty()) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
    }

    /** The metric to show: {@code current} while the runs have it, else the first that every run has, else the first. */
    static Optional<String> metric(List<Run> runs, String current) {
        List<String> names = metrics(runs);
        if (current != null && names.contains(current)) {
            return Optional.of(current);
        }
        return names.stream()
                .filter(n ->
                        runs.stream().allMatch(r -> MetricSeries.resolve(r, n).isPresent()))
                .findFirst()
                .or(() -> names.stream().findFirst());
    }

    /**
     * One metric of every run that has it, each its own line, thinned to {@link Charts#MAX_POINTS} per run. Trained
     * runs count epochs and external runs steps: when both are there, the steps run along the bottom axis and the
     * epochs along the top one, so that every line spans the chart.
     */
    static Overlay overlay(MetricSeries series, Caller caller, List<Run> runs, String metric) {
        List<Map<String, Object>> lines = new ArrayList<>();
        List<String> lineAxes = new ArrayList<>();
        List<Run> without = new ArrayList<>();
        int points = 0;
        for (Run r : runs) {
            Optional<String> own = MetricSeries.resolve(r, metric);
            if (own.isEmpty()) {
                without.add(r);
                continue;
            }
            Curve c = series.curve(caller, r, own.get(), Charts.MAX_POINTS);
            lines.add(Charts.line(label(r) + (own.get().equals(metric) ? "" : " (" + own.get() + ")"), c));
            lineAxes.add(c.axis());
            points += c.points().size();
        }
        List<String> axes =
                lineAxes.stream().distinct().sorted(Comparator.reverseOrder()).toList(); // step, epoch
        if (axes.size() < 2) {
            return new Overlay(Charts.chart(axes.isEmpty() ? Curve.STEP : axes.get(0), metric, lines), points, without);
        }
        Map<String, Object> option = new LinkedHashMap<>(Charts.chart(Curve.STEP, metric, List.of()));
        List<Map<String, Object>> xAxes = new ArrayList<>();
        for (String axis : axes) {
            Map<String, Object> x = new LinkedHashMap<>(Charts.xAxis(axis));
            x.put("position", axis.equals(Curve.STEP) ? "bottom" : "top");
            x.put("name", axis.equals(Curve.STEP) ? "step (external runs)" : "epoch (trained runs)");
            xAxes.add(x);
        }
        List<Map<String, Object>> placed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> line = new LinkedHashMap<>(lines.get(i));
            line.put("xAxisIndex", axes.indexOf(lineAxes.get(i)));
            placed.add(line);
        }
        option.put("xAxis", xAxes);
        // the top axis takes the corner where the metric's name stood: it goes along the y axis
        option.put(
                "yAxis",
                Map.of("type", "value", "name", metric, "scale", true, "nameLocation", "middle", "nameGap", 45));
        option.put("grid", Map.of("left", 65, "right", 20, "top", 80, "bottom", 40));
        option.put("series", placed);
        return new Overlay(option, points, without);
    }

    /** Each run's latest value of each of the metrics. */
    static List<Latest> latest(MetricSeries series, Caller caller, List<Run> runs, List<String> metrics) {
        List<Latest> out = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Double> own = series.latest(caller, r);
            Map<String, Double> values = new LinkedHashMap<>();
            for (String m : metrics) {
                values.put(m, MetricSeries.resolve(r, m).map(own::get).orElse(null));
            }
            out.add(new Latest(r, values));
        }
        return out;
    }

    /** A metric's value as the tables print it: four decimals, or three significant digits when very large or small. */
    static String value(Double v) {
        if (v == null) {
            return "";
        }
        if (!Double.isFinite(v)) {
            return v.toString();
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 10_000 || a < 0.001)
                ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
