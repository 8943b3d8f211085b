package io.sweeplab.frontend.artifacts;

import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Heatmaps;
import io.sweeplab.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ECharts options of tensors that are not pictures: labelled heatmaps and bars. */
final class TensorCharts {

    /** The most bars a vector is drawn with. */
    static final int MAX_BARS = 1000;

    private TensorCharts() {}

    /** A labelled map as a chart of a size that fits its labels, {@code size} times the run page's. */
    static EChart labelledChart(Pictures.Picture p, float[] range, double size) {
        EChart chart = new EChart((int) (size * Math.max(260, Math.min(640, 40 * p.height() + 120))) + "px");
        chart.setWidth((int) (size * Math.max(320, Math.min(760, 48 * p.width() + 200))) + "px");
        chart.addClassName("labelled-heatmap");
        chart.setOption(labelledHeatmap(p, range), p.height() * p.width());
        return chart;
    }

    /** A labelled map (rows: the second-last axis, top down; columns: the last), values in the cells when few. */
    static Map<String, Object> labelledHeatmap(Pictures.Picture p, float[] range) {
        Tensor t = p.tensor();
        int r = t.rank();
        Tensor.Axis ya = t.axes().get(r - 2);
        Tensor.Axis xa = t.axes().get(r - 1);
        List<String> ys = new ArrayList<>();
        List<String> xs = new ArrayList<>();
        for (int i = 0; i < p.height(); i++) {
            ys.add(ya.label(i));
        }
        for (int i = 0; i < p.width(); i++) {
            xs.add(xa.label(i));
        }
        List<List<Object>> data = new ArrayList<>();
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                float v = p.values()[p.offset() + y * p.width() + x];
                data.add(List.of(x, y, Float.isFinite(v) ? (Object) (Math.round(v * 10000) / 10000.0) : "-"));
            }
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("tooltip", Map.of("position", "top"));
        option.put("grid", Map.of("left", 110, "right", 30, "top", 30, "bottom", 110));
        option.put(
                "xAxis",
                Map.of(
                        "type",
                        "category",
                        "data",
                        xs,
                        "name",
                        xa.name(),
                        "nameLocation",
                        "middle",
                        "nameGap",
                        90,
                        "axisLabel",
                        Map.of("rotate", 45, "interval", 0),
                        "splitArea",
                        Map.of("show", true)));
        option.put(
                "yAxis",
                Map.of(
                        "type",
                        "category",
                        "data",
                        ys,
                        "inverse",
                        true,
                        "name",
                        ya.name(),
                        "nameLocation",
                        "middle",
                        "nameGap",
                        96,
                        "axisLabel",
                        Map.of("interval", 0),
                        "splitArea",
                        Map.of("show", true)));
        option.put(
                "visualMap",
                Map.of(
                        "min",
                        range[0],
                        "max",
                        range[1] > range[0] ? range[1] : range[0] + 1,
                        "calculable",
                        true,
                        "orient",
                        "vertical",
                        "right",
                        0,
                        "top",
                        "middle",
                        "show",
                        false,
                        "inRange",
                        Map.of("color", Heatmaps.infernoColours())));
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("name", p.what().isEmpty() ? t.name() : t.name() + ", " + p.what());
        series.put("type", "heatmap");
        series.put("data", data);
        series.put("label", Map.of("show", p.height() * p.width() <= 400, "fontSize", 10, "formatter", "{@[2]}"));
        series.put("emphasis", Map.of("itemStyle", Map.of("borderColor", "#fff", "borderWidth", 1)));
        option.put("series", List.of(series));
        return option;
    }

    /** A vector (or a single value) as bars along its axis. */
    static Map<String, Object> bars(Tensor t) {
        List<String> xs = new ArrayList<>();
        List<Object> ys = new ArrayList<>(); // a list that takes null: a value that is not finite is a gap
        Tensor.Axis axis = t.rank() == 0 ? Tensor.Axis.of("value") : t.axes().get(0);
        for (int i = 0; i < Math.min(t.data().length, MAX_BARS); i++) {
            xs.add(axis.label(i));
            float v = t.data()[i];
            ys.add(Float.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null);
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("grid", Map.of("left", 60, "right", 20, "top", 20, "bottom", 60));
        option.put(
                "xAxis",
                Map.of("type", "category", "data", xs, "name", axis.name(), "nameLocation", "middle", "nameGap", 40));
        option.put("yAxis", Map.of("type", "value", "scale", true));
        option.put("series", List.of(Map.of("type", "bar", "name", t.name(), "data", ys)));
        return option;
    }
}
