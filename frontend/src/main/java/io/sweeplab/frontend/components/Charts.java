package io.sweeplab.frontend.components;

import io.sweeplab.core.run.EpochMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The ECharts options the views share, and how values are printed. */
public final class Charts {

    /** Curves longer than this are thinned on the server (a chart is rarely wider than this in pixels). */
    public static final int MAX_POINTS = 800;

    private Charts() {}

    public static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    /** A difference of accuracies in percentage points, signed: {@code +8.60}. */
    public static String points(Double fraction) {
        return fraction == null ? "" : String.format(Locale.ROOT, "%+.2f", fraction * 100);
    }

    public static Double round(Double v) {
        return v == null ? null : Math.round(v * 10000) / 10000.0;
    }

    /** A grid value as the sweep printed it: lists as [a, b], numbers without a needless .0. */
    public static String value(Object v) {
        return io.sweeplab.core.sweep.SweepAnalysis.label(v);
    }

    /** A per-epoch line, thinned to at most {@link #MAX_POINTS} points (evenly, keeping the last). */
    public static Map<String, Object> line(
            String name, List<EpochMetric> metrics, ToDoubleFunction<EpochMetric> y, boolean dashed) {
        List<List<Object>> data = new ArrayList<>();
        int n = metrics.size();
        int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        for (int i = 0; i < n; i++) {
            if (i % step == 0 || i == n - 1) {
                EpochMetric m = metrics.get(i);
                data.add(List.of(m.epoch(), round(y.applyAsDouble(m))));
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("type", "line");
        s.put("showSymbol", n <= 30);
        s.put("data", data);
        if (dashed) {
            s.put("lineStyle", Map.of("type", "dashed"));
        }
        return s;
    }

    /** Lines over epochs with a legend and a tooltip. */
    public static Map<String, Object> epochChart(String yName, List<Map<String, Object>> series) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("top", 0, "type", "scroll"));
        option.put("grid", Map.of("left", 50, "right", 20, "top", 40, "bottom", 40));
        option.put(
                "xAxis",
                Map.of("type", "value", "name", "epoch", "nameLocation", "middle", "nameGap", 26, "minInterval", 1));
        option.put("yAxis", Map.of("type", "value", "name", yName, "scale", true));
        option.put("series", series);
        return option;
    }
}
