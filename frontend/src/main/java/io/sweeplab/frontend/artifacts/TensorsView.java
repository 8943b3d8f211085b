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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The renderer of {@link Artifact.Tensors}. Tensors that share their first axis form one grid (rows: that axis,
 * columns: the tensors; the lab's activation grid of images by layers); any other unlabelled tensor of rank 3 or more
 * is a gallery along its first axis (kernels, misclassified test images), one of rank 2 a single picture; a tensor
 * whose last two axes are labelled is a labelled heatmap with its values in the cells (a confusion matrix); one of
 * rank 0 or 1 is a bar chart. Every other leading axis (a layer's channel) gets one shared selector, and the colour
 * scale is each map's own, each row's or one for all. At most {@link #MAX_CELLS} rows or cells are drawn.
 */
final class TensorsView extends Div {

    /** The most rows of a grid, or cells of a gallery, drawn. */
    static final int MAX_CELLS = 64;

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
    private final List<Tensor> grid;
    private Scale scale = Scale.MAP;

    /** @param idPrefix put before the ids of its controls, so that two views of one artifact can share a page */
    TensorsView(Artifact.Tensors artifact, String idPrefix) {
        this.artifact = artifact;
        List<Tensor> stacks = artifact.tensors().stream()
                .filter(t -> Pictures.stack(t) && Pictures.drawable(t))
                .toList();
        this.grid = Pictures.sharedRows(stacks) ? stacks : List.of();
        // the axes the layout places: the grid's rows, each gallery's cells
        Set<String> placed = new HashSet<>();
        for (Tensor t : stacks) {
            placed.add(t.axes().get(0).name());
        }
        HorizontalLayout controls = new HorizontalLayout();
        controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        String prefix = idPrefix + "artifact-" + artifact.name() + "-";
        for (Pictures.Selector s : Pictures.selectors(artifact.tensors(), placed)) {
            controls.add(selector(prefix + "axis-", s, chosen, this::draw));
        }
        long pictures = artifact.tensors().stream()
                .filter(t -> Pictures.drawable(t) && !Pictures.labelled(t))
                .count();
        if (pictures > 1 || !stacks.isEmpty()) {
            Select<Scale> scales = new Select<>();
            scales.setLabel("Colour scale");
            scales.setItems(Scale.values());
            scales.setItemLabelGenerator(x -> x.label);
            scales.setValue(Scale.MAP);
            scales.setId(prefix + "scale");
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
    static Component selector(String idPrefix, Pictures.Selector s, Map<String, Integer> chosen, Runnable changed) {
        String id = idPrefix + s.axis().replaceAll("[^A-Za-z0-9_-]", "_");
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
            select.setValue(Math.min(chosen.get(s.axis()), Math.max(0, s.size() - 1)));
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
        if (!grid.isEmpty()) {
            content.add(grid());
        }
        for (Tensor t : artifact.tensors()) {
            if (!grid.contains(t)) {
                content.add(single(t));
            }
        }
    }

    private Component grid() {
        Tensor.Axis rowAxis = grid.get(0).axes().get(0);
        int rowCount = Math.min(MAX_CELLS, grid.get(0).size(0));
        List<List<Pictures.Picture>> rows = new ArrayList<>();
        for (int r = 0; r < rowCount; r++) {
            List<Pictures.Picture> row = new ArrayList<>();
            for (Tensor t : grid) {
                Map<String, Integer> at = new HashMap<>(chosen);
                at.put(rowAxis.name(), r);
                row.add(Pictures.at(t, at).orElseThrow());
            }
            rows.add(row);
        }
        float[] all = Pictures.range(rows.stream().flatMap(List::stream).toList());
        Div table = new Div();
        table.addClassName("tensor-grid");
        table.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "auto repeat(" + grid.size() + ", auto)")
                .set("gap", "6px")
                .set("align-items", "center")
                .set("overflow-x", "auto");
        table.add(new Span(""));
        for (Tensor t : grid) {
            Span head = new Span(t.name());
            head.addClassName("tensor-column");
            table.add(head);
        }
        for (int r = 0; r < rows.size(); r++) {
            Span head = new Span(Pictures.label(rowAxis, r));
            head.addClassName("tensor-row");
            table.add(head);
            float[] rowRange = Pictures.range(rows.get(r));
            for (Pictures.Picture p : rows.get(r)) {
                float[] range = scale == Scale.ALL ? all : scale == Scale.ROW ? rowRange : p.range();
                table.add(new Heatmap(p, range, p.what() + ", " + p.tensor().name(), Heatmap.TARGET));
            }
        }
        Div box = new Div(table);
        if (grid.get(0).size(0) > rowCount) {
            box.add(new Span("… and " + (grid.get(0).size(0) - rowCount) + " more rows (download to see them)"));
        }
        return box;
    }

    private Component single(Tensor t) {
        Div box = new Div();
        box.addClassName("tensor");
        box.getElement().setAttribute("data-tensor", t.name());
        Span caption = new Span(t.name());
        caption.getStyle().set("font-weight", "600");
        box.add(caption);
        if (t.isEmpty()) {
            box.add(new Div(new Span("(empty: shape " + java.util.Arrays.toString(t.shape()) + ")")));
            return box;
        }
        if (t.rank() < 2) {
            EChart chart = new EChart("240px");
            chart.setOption(TensorCharts.bars(t), t.data().length);
            box.add(chart);
            return box;
        }
        if (Pictures.labelled(t)) {
            Pictures.Picture p = Pictures.at(t, chosen).orElseThrow();
            box.add(TensorCharts.labelledChart(p, p.range(), 1.0));
            return box;
        }
        if (t.rank() == 2) {
            Pictures.Picture p = Pictures.at(t, chosen).orElseThrow();
            box.add(new Div(new Heatmap(p, p.range(), t.name(), 2 * Heatmap.TARGET)));
            return box;
        }
        // a gallery along the first axis
        Tensor.Axis first = t.axes().get(0);
        int count = Math.min(MAX_CELLS, t.size(0));
        List<Pictures.Picture> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Integer> at = new HashMap<>(chosen);
            at.put(first.name(), i);
            cells.add(Pictures.at(t, at).orElseThrow());
        }
        float[] all = Pictures.range(cells);
        Div gallery = new Div();
        gallery.addClassName("tensor-gallery");
        gallery.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "8px");
        int target = t.size(0) > 24 ? 56 : 96;
        for (int i = 0; i < cells.size(); i++) {
            Pictures.Picture p = cells.get(i);
            Div cell = new Div();
            cell.getStyle()
                    .set("display", "flex")
                    .set("flex-direction", "column")
                    .set("max-width", "180px");
            cell.add(new Heatmap(p, scale == Scale.MAP ? p.range() : all, p.what(), target));
            Span label = new Span(Pictures.label(first, i));
            label.getStyle().set("font-size", "var(--lumo-font-size-xs)");
            cell.add(label);
            gallery.add(cell);
        }
        box.add(gallery);
        if (t.size(0) > count) {
            box.add(new Span("… and " + (t.size(0) - count) + " more (download to see them)"));
        }
        return box;
    }
}
