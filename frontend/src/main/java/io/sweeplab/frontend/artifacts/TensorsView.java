package io.sweeplab.frontend.artifacts;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The renderer of {@link Artifact.Tensors}. Tensors that share their first axis form one grid (rows: that axis,
 * columns: the tensors; the lab's activation grid of images by layers); any other tensor with a picture is a gallery
 * along its first axis (kernels, misclassified test images) or a single picture; a tensor whose last two axes are
 * labelled is a labelled heatmap with its values in the cells (a confusion matrix); one of rank 0 or 1 is a bar chart.
 * The axes between the first and the picture (a layer's channel) get one shared selector each, and the colour scale is
 * each map's own, each row's or one for all.
 */
final class TensorsView extends Div {

    /** Which values one colour scale spans. */
    enum Scale {
        MAP("each map"),
        ROW("each row"),
        ALL("all maps");

        final String label;

        Scale(String label) {
            this.label = label;
        }
    }

    private final Artifact.Tensors artifact;
    private final Map<String, Integer> chosen = new HashMap<>();
    private final Div content = new Div();
    private Scale scale = Scale.MAP;

    TensorsView(Artifact.Tensors artifact) {
        this.artifact = artifact;
        List<Tensor> pictures = artifact.tensors().stream()
                .filter(t -> Pictures.drawable(t) && !Pictures.labelled(t))
                .toList();
        HorizontalLayout controls = new HorizontalLayout();
        controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        for (Pictures.Selector s : Pictures.selectors(artifact.tensors(), 1)) {
            controls.add(selector(artifact.name(), s, chosen, this::draw));
        }
        if (pictures.size() > 1 || pictures.stream().anyMatch(t -> t.rank() >= 3)) {
            Select<Scale> scales = new Select<>();
            scales.setLabel("Colour scale");
            scales.setItems(Scale.values());
            scales.setItemLabelGenerator(x -> x.label);
            scales.setValue(Scale.MAP);
            scales.setId("artifact-" + artifact.name() + "-scale");
            scales.addValueChangeListener(e -> {
                scale = e.getValue() == null ? Scale.MAP : e.getValue();
                draw();
            });
            controls.add(scales);
        }
        if (controls.getComponentCount() > 0) {
            add(controls);
        }
        add(content);
        draw();
    }

    /** A control for one leading axis: a list of its labels, or a number from 0. */
    static Component selector(String artifact, Pictures.Selector s, Map<String, Integer> chosen, Runnable changed) {
        String id = "artifact-" + artifact + "-" + s.axis().replaceAll("[^A-Za-z0-9_-]", "_");
        chosen.putIfAbsent(s.axis(), 0);
        if (!s.labels().isEmpty()) {
            Select<Integer> select = new Select<>();
            select.setLabel(s.axis());
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                items.add(i);
            }
            select.setItems(items);
            select.setItemLabelGenerator(s::label);
            select.setValue(chosen.get(s.axis()));
            select.setId(id);
            select.addValueChangeListener(e -> {
                chosen.put(s.axis(), e.getValue() == null ? 0 : e.getValue());
                changed.run();
            });
            return select;
        }
        IntegerField field = new IntegerField(s.axis());
        field.setMin(0);
        field.setMax(Math.max(0, s.size() - 1));
        field.setValue(chosen.get(s.axis()));
        field.setStepButtonsVisible(true);
        field.setHelperText("0 to " + Math.max(0, s.size() - 1));
        field.setId(id);
        field.addValueChangeListener(e -> {
            chosen.put(s.axis(), e.getValue() == null ? 0 : Math.max(0, e.getValue()));
            changed.run();
        });
        return field;
    }

    private void draw() {
        content.removeAll();
        List<Tensor> tensors = artifact.tensors();
        List<Tensor> grid = tensors.stream()
                .filter(t -> Pictures.drawable(t) && !Pictures.labelled(t) && t.rank() >= 3)
                .toList();
        List<List<Pictures.Picture>> rows = new ArrayList<>();
        if (Pictures.sharedRows(grid)) {
            Tensor.Axis rowAxis = grid.get(0).axes().get(0);
            for (int r = 0; r < grid.get(0).size(0); r++) {
                List<Pictures.Picture> row = new ArrayList<>();
                for (Tensor t : grid) {
                    Map<String, Integer> at = new HashMap<>(chosen);
                    at.put(rowAxis.name(), r);
                    row.add(Pictures.at(t, at, ""));
                }
                rows.add(row);
            }
            float[] all = range(rows);
            content.add(grid(rowAxis, grid, rows, all));
            tensors = tensors.stream().filter(t -> !grid.contains(t)).toList();
        }
        for (Tensor t : tensors) {
            content.add(single(t));
        }
    }

    private Component grid(Tensor.Axis rowAxis, List<Tensor> columns, List<List<Pictures.Picture>> rows, float[] all) {
        Div table = new Div();
        table.addClassName("tensor-grid");
        table.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "auto repeat(" + columns.size() + ", auto)")
                .set("gap", "6px")
                .set("align-items", "center")
                .set("overflow-x", "auto");
        table.add(new Span(""));
        for (Tensor t : columns) {
            Span head = new Span(t.name());
            head.addClassName("tensor-column");
            table.add(head);
        }
        for (int r = 0; r < rows.size(); r++) {
            Span head = new Span(Pictures.label(rowAxis, r));
            head.addClassName("tensor-row");
            table.add(head);
            float[] rowRange = range(List.of(rows.get(r)));
            for (Pictures.Picture p : rows.get(r)) {
                float[] range = scale == Scale.ALL ? all : scale == Scale.ROW ? rowRange : p.range();
                String what = p.what() + ", " + p.tensor().name();
                table.add(new Heatmap(
                        p.values(), p.offset(), p.height(), p.width(), range[0], range[1], what, Heatmap.TARGET));
            }
        }
        return table;
    }

    private Component single(Tensor t) {
        Div box = new Div();
        box.addClassName("tensor");
        box.getElement().setAttribute("data-tensor", t.name());
        Span caption = new Span(t.name());
        caption.getStyle().set("font-weight", "600");
        box.add(caption);
        if (!Pictures.drawable(t)) {
            EChart chart = new EChart("240px");
            chart.setOption(TensorCharts.bars(t), t.data().length);
            box.add(chart);
            return box;
        }
        if (Pictures.labelled(t)) {
            Pictures.Picture p = Pictures.at(t, chosen, "");
            EChart chart = new EChart(Math.max(260, Math.min(640, 40 * p.height() + 120)) + "px");
            chart.setWidth(Math.max(320, Math.min(760, 48 * p.width() + 200)) + "px");
            chart.addClassName("labelled-heatmap");
            chart.setOption(TensorCharts.labelledHeatmap(p), p.height() * p.width());
            box.add(chart);
            return box;
        }
        if (t.rank() == 2) {
            Pictures.Picture p = Pictures.at(t, chosen, "");
            float[] r = p.range();
            box.add(new Div(new Heatmap(
                    p.values(), p.offset(), p.height(), p.width(), r[0], r[1], t.name(), 2 * Heatmap.TARGET)));
            return box;
        }
        // a gallery along the first axis
        Tensor.Axis first = t.axes().get(0);
        List<Pictures.Picture> cells = new ArrayList<>();
        for (int i = 0; i < t.size(0); i++) {
            Map<String, Integer> at = new HashMap<>(chosen);
            at.put(first.name(), i);
            cells.add(Pictures.at(t, at, ""));
        }
        float[] all = range(List.of(cells));
        Div gallery = new Div();
        gallery.addClassName("tensor-gallery");
        gallery.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "8px");
        int target = t.size(0) > 24 ? 56 : 96;
        if (t.size(0) == 0) {
            gallery.add(new Span("(none)"));
        }
        for (int i = 0; i < cells.size(); i++) {
            Pictures.Picture p = cells.get(i);
            float[] r = scale == Scale.MAP ? p.range() : all;
            Div cell = new Div();
            cell.getStyle()
                    .set("display", "flex")
                    .set("flex-direction", "column")
                    .set("max-width", "180px");
            cell.add(new Heatmap(p.values(), p.offset(), p.height(), p.width(), r[0], r[1], p.what(), target));
            Span label = new Span(Pictures.label(first, i));
            label.getStyle().set("font-size", "var(--lumo-font-size-xs)");
            cell.add(label);
            gallery.add(cell);
        }
        box.add(gallery);
        return box;
    }

    private static float[] range(List<List<Pictures.Picture>> rows) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (List<Pictures.Picture> row : rows) {
            for (Pictures.Picture p : row) {
                float[] r = p.range();
                min = Math.min(min, r[0]);
                max = Math.max(max, r[1]);
            }
        }
        return min > max ? new float[] {0, 0} : new float[] {min, max};
    }
}
