package io.sweeplab.frontend.sweeps;

import io.sweeplab.core.run.Run;
import io.sweeplab.core.sweep.ParameterImportance;
import io.sweeplab.core.sweep.SweepAnalysis;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.plugin.api.Objective;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The charts that read a sweep against an objective ({@link SweepAnalysis}): parallel coordinates of the swept
 * parameters and the objective, parameter importance, one parameter against the objective, and a search's best value
 * so far by trial. The best run is drawn apart in each. Each data item of the parallel chart is named by its run's id,
 * which is what a brush on it reports.
 */
public final class SweepReading {

    static final String BEST = "#e4572e";
    static final String RUNS = "#5470c6";

    private final SweepAnalysis analysis;
    private final Map<Long, Run> runs = new LinkedHashMap<>();

    SweepReading(SweepAnalysis analysis, List<Run> runs) {
        this.analysis = analysis;
        runs.forEach(r -> this.runs.put(r.id(), r));
    }

    public SweepAnalysis analysis() {
        return analysis;
    }

    /** An objective as the page names it: {@code testAccuracy (max)}. */
    public static String label(Objective o) {
        return o.metric() + " (" + o.goal().name().toLowerCase(Locale.ROOT) + ")";
    }

    /** The objectives a page offers: the search's (or the default) first, then each metric with its natural goal. */
    public static List<Objective> objectives(Objective first) {
        List<Objective> out = new ArrayList<>(List.of(first));
        for (String m : SweepAnalysis.METRICS) {
            Objective o = new Objective(m, m.endsWith("Loss") ? Objective.Goal.MIN : Objective.Goal.MAX);
            if (!out.contains(o)) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    /** The title of a chart with nothing to draw, or "". */
    private String none() {
        return analysis.values().isEmpty()
                ? "No finished run has a value of " + analysis.objective().metric()
                : "";
    }

    private Object valueOn(SweepAnalysis.Parameter p, long run) {
        Map<String, Object> cell = runs.get(run).cell();
        Object v = cell == null ? null : cell.get(p.path());
        if (v == null) {
            return p.numeric() ? "-" : ""; // ECharts' empty value on a value axis
        }
        return p.numeric() ? v : SweepAnalysis.label(v);
    }

    /**
     * A numeric parameter goes on a log axis when the space samples it so, or when its values, all positive, span two
     * orders of magnitude or more (a grid of learning rates).
     */
    private boolean logScale(SweepAnalysis.Parameter p) {
        if (p.log()) {
            return true;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Run r : runs.values()) {
            Object v = r.cell() == null ? null : r.cell().get(p.path());
            if (v instanceof Number n) {
                lo = Math.min(lo, n.doubleValue());
                hi = Math.max(hi, n.doubleValue());
            }
        }
        return lo > 0 && hi / lo >= 100;
    }

    private Map<String, Object> axisOf(SweepAnalysis.Parameter p) {
        Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("name", p.path());
        if (p.numeric()) {
            axis.put("type", logScale(p) ? "log" : "value");
            axis.put("scale", true);
        } else {
            axis.put("type", "category");
            axis.put("data", p.categories());
        }
        return axis;
    }

    /**
     * One axis per swept parameter (categories for categoricals), then the objective's; one line per run, the best
     * last and thick in red. One series: ECharts sizes a parallel chart's axes by its first series only.
     */
    public Map<String, Object> parallel() {
        List<SweepAnalysis.Parameter> params = analysis.parameters();
        List<Map<String, Object>> axes = new ArrayList<>();
        for (int j = 0; j < params.size(); j++) {
            Map<String, Object> axis = axisOf(params.get(j));
            axis.put("dim", j);
            axes.add(axis);
        }
        axes.add(Map.of("dim", params.size(), "name", label(analysis.objective()), "type", "value", "scale", true));
        Long best = analysis.best();
        List<Map<String, Object>> lines = new ArrayList<>();
        Map<String, Object> bestLine = null;
        for (Map.Entry<Long, Double> e : analysis.values().entrySet()) {
            List<Object> line = new ArrayList<>();
            params.forEach(p -> line.add(valueOn(p, e.getKey())));
            line.add(Charts.round(e.getValue()));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", Long.toString(e.getKey()));
            item.put("value", line);
            if (e.getKey().equals(best)) {
                item.put("lineStyle", Map.of("width", 4, "opacity", 1, "color", BEST));
                bestLine = item;
            } else {
                lines.add(item);
            }
        }
        if (bestLine != null) {
            lines.add(bestLine); // drawn over the others
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("animation", false); // many lines draw slowly when animated
        option.put("title", Map.of("text", none(), "left", "center", "top", "middle"));
        option.put("parallel", Map.of("left", 70, "right", 130, "top", 40, "bottom", 30));
        option.put("parallelAxis", axes);
        option.put(
                "series",
                List.of(Map.of(
                        "name",
                        "runs",
                        "type",
                        "parallel",
                        "lineStyle",
                        Map.of("width", 2, "opacity", 0.6, "color", RUNS),
                        "inactiveOpacity",
                        0.05,
                        "activeOpacity",
                        1,
                        "data",
                        lines)));
        return option;
    }

    /** The parallel chart's lines: one per run with a value. */
    public int parallelPoints() {
        return analysis.values().size();
    }

    /** The importances as horizontal bars, the largest on top, the method named. */
    public Map<String, Object> importance() {
        ParameterImportance.Result r = analysis.importance();
        List<Map.Entry<String, Double>> bars = r.importance().entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .toList();
        Map<String, Object> option = new LinkedHashMap<>();
        option.put(
                "title",
                Map.of(
                        "text",
                        r.unavailable() == null ? "" : "No importance: " + r.unavailable(),
                        "left",
                        "center",
                        "top",
                        "middle",
                        "textStyle",
                        Map.of("fontSize", 13)));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("grid", Map.of("left", 20, "right", 40, "top", 20, "bottom", 40, "containLabel", true));
        option.put(
                "xAxis",
                Map.of(
                        "type",
                        "value",
                        "name",
                        "share of importance",
                        "nameLocation",
                        "middle",
                        "nameGap",
                        26,
                        "max",
                        1));
        option.put(
                "yAxis",
                Map.of(
                        "type",
                        "category",
                        "data",
                        bars.stream().map(Map.Entry::getKey).toList()));
        option.put(
                "series",
                List.of(Map.of(
                        "name",
                        "importance",
                        "type",
                        "bar",
                        "color",
                        RUNS,
                        "label",
                        Map.of("show", true, "position", "right", "formatter", "{c}"),
                        "data",
                        bars.stream().map(e -> Charts.round(e.getValue())).toList())));
        return option;
    }

    public int importancePoints() {
        return analysis.importance().importance().size();
    }

    /** The method of {@link #importance()}, and why there is none when there is none. */
    public String importanceMethod() {
        ParameterImportance.Result r = analysis.importance();
        return "Method: " + r.method() + (r.unavailable() == null ? "" : " · " + r.unavailable());
    }

    /** One parameter against the objective, a point per run; null when the sweep has no such parameter. */
    public Map<String, Object> scatter(String path) {
        SweepAnalysis.Parameter p = analysis.parameters().stream()
                .filter(q -> q.path().equals(path))
                .findFirst()
                .orElse(null);
        if (p == null) {
            return null;
        }
        Long best = analysis.best();
        List<List<Object>> others = new ArrayList<>();
        List<List<Object>> bestPoint = new ArrayList<>();
        analysis.values().forEach((run, value) -> {
            List<Object> point = List.of(valueOn(p, run), Charts.round(value), run);
            (run.equals(best) ? bestPoint : others).add(point);
        });
        Map<String, Object> x = axisOf(p);
        x.put("nameLocation", "middle");
        x.put("nameGap", 26);
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("title", Map.of("text", none(), "left", "center", "top", "middle"));
        option.put("legend", Map.of("top", 0, "data", List.of("runs", "best run")));
        option.put("tooltip", Map.of("trigger", "item"));
        option.put("grid", Map.of("left", 20, "right", 30, "top", 40, "bottom", 40, "containLabel", true));
        option.put("xAxis", x);
        option.put("yAxis", valueAxis(label(analysis.objective())));
        option.put(
                "series",
                List.of(
                        Map.of("name", "runs", "type", "scatter", "color", RUNS, "symbolSize", 9, "data", others),
                        Map.of(
                                "name",
                                "best run",
                                "type",
                                "scatter",
                                "color",
                                BEST,
                                "symbolSize",
                                16,
                                "data",
                                bestPoint)));
        return option;
    }

    /** The objective's axis, its name over it from the left edge (centred, a long name runs off the chart). */
    private static Map<String, Object> valueAxis(String name) {
        return Map.of("type", "value", "name", name, "scale", true, "nameTextStyle", Map.of("align", "left"));
    }

    public int scatterPoints() {
        return analysis.values().size();
    }

    /** A search's trials: each one's value as a point, the best value so far as a step line over them. */
    public Map<String, Object> bestSoFar() {
        List<SweepAnalysis.Trial> trials = analysis.bestSoFar();
        Map<String, Object> option = new LinkedHashMap<>();
        option.put(
                "title",
                Map.of("text", trials.isEmpty() ? "No trial has a value yet" : "", "left", "center", "top", "middle"));
        option.put("legend", Map.of("top", 0, "data", List.of("trial", "best so far")));
        option.put("tooltip", Map.of("trigger", "item"));
        option.put("grid", Map.of("left", 20, "right", 30, "top", 40, "bottom", 40, "containLabel", true));
        option.put(
                "xAxis",
                Map.of("type", "value", "name", "trial", "nameLocation", "middle", "nameGap", 26, "minInterval", 1));
        option.put("yAxis", valueAxis(label(analysis.objective())));
        option.put(
                "series",
                List.of(
                        Map.of(
                                "name",
                                "trial",
                                "type",
                                "scatter",
                                "color",
                                RUNS,
                                "data",
                                trials.stream()
                                        .map(t -> List.of(t.number(), Charts.round(t.value()), t.run()))
                                        .toList()),
                        Map.of(
                                "name",
                                "best so far",
                                "type",
                                "line",
                                "step",
                                "end",
                                "color",
                                BEST,
                                "showSymbol",
                                false,
                                "data",
                                trials.stream()
                                        .map(t -> List.of(t.number(), Charts.round(t.bestSoFar())))
                                        .toList())));
        return option;
    }

    public int bestSoFarPoints() {
        return analysis.bestSoFar().size();
    }

    /** The runs a brush named (run ids as text), those the sweep has; anything else is ignored. */
    java.util.Set<Long> runsNamed(List<String> names) {
        java.util.Set<Long> out = new java.util.TreeSet<>(Comparator.naturalOrder());
        for (String n : names) {
            try {
                long id = Long.parseLong(n.strip());
                if (runs.containsKey(id)) {
                    out.add(id);
                }
            } catch (NumberFormatException e) {
                // not a run of this chart
            }
        }
        return out;
    }
}
