package io.sweeplab.frontend.artifacts;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.plugin.api.Artifact;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One artifact drawn by its kind, whatever plugin made it: a title, its attributes, the kind's renderer, and a link
 * to the stored document. The root element says what it drew ({@code data-artifact-kind}, {@code data-artifact-name});
 * a kind this version does not know shows its attributes and the link only.
 */
public final class ArtifactView extends Div {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ArtifactView.class);

    /** The renderer of each kind: adding a kind is adding one entry. */
    private static final Map<String, java.util.function.BiFunction<Artifact, String, Component>> RENDERERS = Map.of(
            "tensors", (a, id) -> new TensorsView((Artifact.Tensors) a, id),
            "table", (a, id) -> table((Artifact.Table) a),
            "series", (a, id) -> series((Artifact.Series) a),
            "image", (a, id) -> image((Artifact.Image) a),
            "scalars", (a, id) -> scalars((Artifact.Scalars) a));

    /**
     * @param download where the stored document can be fetched
     * @param idPrefix put before the ids it gives elements, so that two runs' artifacts can share a page
     */
    public ArtifactView(ArtifactCodec.Decoded artifact, String download, String idPrefix) {
        addClassName("artifact");
        getElement().setAttribute("data-artifact-kind", artifact.kind());
        getElement().setAttribute("data-artifact-name", artifact.name());
        setId(idPrefix + "artifact-" + artifact.name());
        getStyle().set("margin-bottom", "var(--lumo-space-l)");
        H4 title = new H4(artifact.title());
        title.getStyle().set("margin", "var(--lumo-space-s) 0");
        add(title);
        if (!artifact.attributes().isEmpty()) {
            Span facts = new Span(artifact.attributes().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(" · ")));
            facts.addClassName("artifact-attributes");
            facts.getStyle()
                    .set("font-size", "var(--lumo-font-size-s)")
                    .set("color", "var(--lumo-secondary-text-color)")
                    .set("display", "block");
            add(facts);
        }
        if (artifact instanceof ArtifactCodec.Known k) {
            add(body(k.artifact(), idPrefix));
        } else {
            add(new Paragraph("This version of the dashboard cannot draw artifacts of kind '" + artifact.kind()
                    + "'; download it to see it."));
        }
        Anchor link = new Anchor(download, "Download " + artifact.name() + ".json");
        link.getElement().setAttribute("download", artifact.name() + ".json");
        link.addClassName("artifact-download");
        link.getStyle().set("font-size", "var(--lumo-font-size-s)");
        add(new Div(link));
    }

    /**
     * What the kind's renderer draws of an artifact, without title or attributes; if the renderer fails, a line
     * saying so (one artifact that cannot be drawn must not take the page with it).
     */
    static Component body(Artifact a, String idPrefix) {
        try {
            return RENDERERS.get(ArtifactCodec.kind(a)).apply(a, idPrefix);
        } catch (RuntimeException e) {
            return failed("artifact '" + a.name() + "'", e);
        }
    }

    /** What is shown, and logged for the operator, when a renderer fails on an artifact it was given. */
    static Component failed(String what, RuntimeException e) {
        LOG.warnf(e, "SWL-UI-010 %s cannot be drawn", what);
        Paragraph p = new Paragraph("This artifact cannot be drawn: " + e);
        p.addClassName("artifact-failed");
        return p;
    }

    /** A table; with a bar column also a bar chart of that column by the first. */
    static Component table(Artifact.Table t) {
        Div box = new Div();
        Grid<List<Object>> grid = new Grid<>();
        for (int c = 0; c < t.columns().size(); c++) {
            int col = c;
            grid.addColumn(row -> text(row.get(col)))
                    .setHeader(t.columns().get(c))
                    .setSortable(true)
                    .setComparator((a, b) -> compare(a.get(col), b.get(col)))
                    .setAutoWidth(true);
        }
        grid.setItems(t.rows());
        grid.setAllRowsVisible(t.rows().size() <= 20);
        if (t.rows().size() > 20) {
            grid.setHeight("420px");
        }
        grid.setWidth(Math.min(900, 140 * Math.max(1, t.columns().size()) + 40) + "px");
        grid.addClassName("artifact-table");
        box.add(grid);
        if (t.barColumn() != null) {
            String chart = t.barColumn();
            int col = t.columns().indexOf(chart);
            List<String> xs = new ArrayList<>();
            List<Object> ys = new ArrayList<>();
            for (List<Object> row : t.rows()) {
                xs.add(text(row.get(0)));
                ys.add(
                        row.get(col) instanceof Number n && Double.isFinite(n.doubleValue())
                                ? Charts.round(n.doubleValue())
                                : null);
            }
            Map<String, Object> option = new LinkedHashMap<>();
            option.put("tooltip", Map.of("trigger", "axis"));
            option.put("grid", Map.of("left", 60, "right", 20, "top", 30, "bottom", 90));
            option.put(
                    "xAxis", Map.of("type", "category", "data", xs, "axisLabel", Map.of("rotate", 45, "interval", 0)));
            option.put("yAxis", Map.of("type", "value", "name", chart)); // bars start at zero
            option.put(
                    "series",
                    List.of(Map.of(
                            "type",
                            "bar",
                            "name",
                            chart,
                            "data",
                            ys,
                            "label",
                            Map.of("show", xs.size() <= 20, "position", "top"))));
            EChart bars = new EChart("300px");
            bars.setWidth("720px");
            bars.addClassName("artifact-bars");
            bars.setOption(option, ys.size());
            box.add(bars);
        }
        return box;
    }

    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Math.abs(d) < 1e-3 && d != 0 || Math.abs(d) >= 1e6
                    ? String.format(Locale.ROOT, "%.4g", d)
                    : String.format(Locale.ROOT, "%.4f", d)
                            .replaceAll("0+$", "")
                            .replaceAll("\\.$", "");
        }
        return v.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return a.toString().compareTo(b.toString());
    }

    /** Named lines over a shared x axis. */
    static Component series(Artifact.Series s) {
        List<Map<String, Object>> lines = new ArrayList<>();
        int points = 0;
        for (Artifact.Line l : s.lines()) {
            double[] x = l.x();
            double[] y = l.y();
            int step = Math.max(1, (x.length + Charts.MAX_POINTS - 1) / Charts.MAX_POINTS);
            List<List<Object>> data = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (i % step == 0 || i == x.length - 1) {
                    List<Object> point = new ArrayList<>();
                    point.add(x[i]);
                    point.add(Double.isFinite(y[i]) ? y[i] : null);
                    data.add(point);
                }
            }
            points += data.size();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("name", l.name());
            line.put("type", "line");
            line.put("showSymbol", data.size() <= 30);
            line.put("data", data);
            lines.add(line);
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("top", 0, "type", "scroll"));
        option.put("grid", Map.of("left", 60, "right", 20, "top", 40, "bottom", 40));
        option.put(
                "xAxis",
                Map.of("type", "value", "name", s.xLabel(), "nameLocation", "middle", "nameGap", 26, "scale", true));
        option.put("yAxis", Map.of("type", "value", "name", s.yLabel(), "scale", true));
        option.put("series", lines);
        EChart chart = new EChart("300px");
        chart.setWidth("720px");
        chart.addClassName("artifact-series");
        chart.setOption(option, points);
        return chart;
    }

    static Component image(Artifact.Image i) {
        Image img = new Image(
                "data:image/png;base64," + Base64.getEncoder().encodeToString(i.png()),
                i.caption().isEmpty() ? i.title() : i.caption());
        img.getStyle().set("max-width", "720px").set("display", "block");
        img.addClassName("artifact-image");
        Div box = new Div(img);
        if (!i.caption().isEmpty()) {
            Span caption = new Span(i.caption());
            caption.getStyle().set("font-size", "var(--lumo-font-size-s)");
            box.add(caption);
        }
        return box;
    }

    static Component scalars(Artifact.Scalars s) {
        Div box = new Div();
        box.addClassName("artifact-scalars");
        box.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-l)");
        s.values().forEach((k, v) -> {
            Div cell = new Div();
            Span value = new Span(Double.isFinite(v) ? text(v) : "n/a");
            value.getStyle().set("font-size", "var(--lumo-font-size-xl)").set("font-weight", "600");
            Span label = new Span(k);
            label.getStyle().set("display", "block").set("color", "var(--lumo-secondary-text-color)");
            cell.add(value, label);
            cell.getElement().setAttribute("data-scalar", k);
            box.add(cell);
        });
        return box;
    }
}
