package io.sweeplab.frontend.components;

import io.sweeplab.core.metric.Curve;
import io.sweeplab.core.metric.Thinning;
import io.sweeplab.core.run.EpochMetric;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** A per-epoch line, thinned to at most {@link #MAX_POINTS} points ({@link Thinning}: spikes survive). */
    public static Map<String, Object> line(
            String name, List<EpochMetric> metrics, ToDoubleFunction<EpochMetric> y, boolean dashed) {
        int n = metrics.size();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = y.applyAsDouble(metrics.get(i));
        }
        List<List<Object>> data = new ArrayList<>();
        for (int i : Thinning.keep(values, MAX_POINTS)) {
            data.add(Arrays.asList(metrics.get(i).epoch(), finite(values[i])));
        }
        return series(name, data, n <= 30, dashed);
    }

    /** A curve as {@link io.sweeplab.core.metric.MetricSeries} read it (thinned already), as a line. */
    public static Map<String, Object> line(String name, Curve curve) {
        List<List<Object>> data = new ArrayList<>();
        for (Curve.Point p : curve.points()) {
            data.add(Arrays.asList(p.x(), finite(p.y())));
        }
        return series(name, data, curve.points().size() <= 30, false);
    }

    private static Map<String, Object> series(String name, List<List<Object>> data, boolean symbols, boolean dashed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("type", "line");
        s.put("showSymbol", symbols);
        s.put("data", data);
        if (dashed) {
            s.put("lineStyle", Map.of("type", "dashed"));
        }
        return s;
    }

    /** Rounded, and null (a gap in the line) for NaN and infinities, which JSON cannot carry. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? round(v) : null;
    }

    /** Lines over epochs with a legend and a tooltip. */
    public static Map<String, Object> epochChart(String yName, List<Map<String, Object>> series) {
        return chart(Curve.EPOCH, yName, series);
    }

    /** A numeric x axis of whole numbers (epochs, steps), named under its middle. */
    public static Map<String, Object> xAxis(String name) {
        return Map.of("type", "value", "name", name, "nameLocation", "middle", "nameGap", 26, "minInterval", 1);
    }

    /** Lines over {@code xName} (epoch, step, ...) with a legend and a tooltip. */
    public static Map<String, Object> chart(String xName, String yName, List<Map<String, Object>> series) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("top", 0, "type", "scroll"));
        option.put("grid", Map.of("left", 50, "right", 20, "top", 40, "bottom", 40));
        option.put("xAxis", xAxis(xName));
        option.put("yAxis", Map.of("type", "value", "name", yName, "scale", true));
        option.put("series", series);
        return option;
    }
}
