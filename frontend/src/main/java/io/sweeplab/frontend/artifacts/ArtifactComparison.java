package io.sweeplab.frontend.artifacts;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One artifact compared across the runs of a sweep (the selected ones, or all), laid out along the sweep's grid: rows
 * are the values of one swept parameter, columns the combinations of the others. One set of controls serves every
 * cell: for tensors which tensor (a layer) and the index along each other axis (the image, the filter), and whether
 * the colour scale is each row's or one for all; any other kind is drawn whole in each cell by its renderer.
 */
public final class ArtifactComparison extends Div {

    /** At most this many runs are drawn at once (each brings its artifact). */
    static final int MAX_RUNS = 48;

    /** The artifacts read are kept for the next redraw only while they weigh at most this much in all. */
    static final long MAX_KEPT_BYTES = 32L << 20;

    private final SweepService sweeps;
    private final RunService runs;
    private final Supplier<Caller> caller;
    private final Select<String> artifact = new Select<>();
    private final Select<String> which = new Select<>();
    private final Select<String> rows = new Select<>();
    private final Select<String> tensor = new Select<>();
    private final Select<String> scale = new Select<>();
    private final HorizontalLayout axes = new HorizontalLayout();
    private final Div table = new Div();
    private final Paragraph hint = new Paragraph();
    private final Map<String, Integer> chosen = new HashMap<>();
    private final Map<Long, RunArtifacts.Read> loaded = new HashMap<>();
    private final Map<Long, String> problems = new HashMap<>();
    private Sweep sweep;
    private Set<Long> selected = Set.of();
    private Map<Long, List<RunStore.ArtifactInfo>> infos = Map.of();
    private String axesFor = "";
    /** Set while the comparison draws or reloads: the controls it changes itself then do not redraw it again. */
    private boolean busy;

    public ArtifactComparison(SweepService sweeps, RunService runs, Supplier<Caller> caller) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.caller = caller;
        setId("artifact-comparison");
        setWidthFull();
        artifact.setLabel("Artifact");
        artifact.setId("compare-artifact");
        artifact.setEmptySelectionAllowed(false);
        which.setLabel("Runs");
        which.setId("compare-runs");
        which.setItems("selected runs", "all runs");
        which.setValue("all runs");
        rows.setLabel("Rows");
        rows.setId("compare-rows");
        tensor.setLabel("Tensor");
        tensor.setId("compare-tensor");
        scale.setLabel("Colour scale");
        scale.setId("compare-scale");
        scale.setItems("each row", "all cells");
        scale.setValue("each row");
        artifact.addValueChangeListener(e -> {
            loaded.clear();
            axesFor = "";
            redraw();
        });
        which.addValueChangeListener(e -> redraw());
        rows.addValueChangeListener(e -> redraw());
        tensor.addValueChangeListener(e -> {
            axesFor = "";
            redraw();
        });
        scale.addValueChangeListener(e -> redraw());
        HorizontalLayout controls = new HorizontalLayout(artifact, which, rows, tensor, axes, scale);
        controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        controls.getStyle().set("flex-wrap", "wrap");
        table.setId("compare-grid");
        table.getStyle().set("overflow-x", "auto");
        add(controls, hint, table);
    }

    /** Draws again after the user changed a control (not when the comparison changed it itself). */
    private void redraw() {
        if (!busy) {
            draw();
        }
    }

    /** Called with each new page of the sweep: offers the artifacts its runs have stored so far. */
    public void update(Sweep s, Set<Long> selectedRuns) {
        busy = true;
        boolean changed;
        try {
            changed = reload(s, selectedRuns);
        } finally {
            busy = false;
        }
        if (changed) {
            draw();
        }
    }

    /** Takes the new page; whether the comparison must be drawn again. */
    private boolean reload(Sweep s, Set<Long> selectedRuns) {
        boolean first = sweep == null;
        long finishedBefore = sweep == null ? -1 : finished(sweep);
        this.sweep = s;
        boolean selectionChanged = !selected.equals(Set.copyOf(selectedRuns));
        this.selected = Set.copyOf(selectedRuns);
        if (first) {
            List<String> keys = List.copyOf(s.grid().keySet());
            rows.setItems(keys.isEmpty() ? List.of("run") : keys);
            rows.setValue(keys.isEmpty() ? "run" : keys.get(0));
            rows.setVisible(keys.size() > 1);
        }
        if (first || finished(s) != finishedBefore) {
            infos = sweeps.artifacts(caller.get(), s.id());
            Set<String> names = new TreeSet<>();
            infos.values().forEach(l -> l.forEach(a -> names.add(a.name())));
            String keep = artifact.getValue();
            if (!new ArrayList<>(names).equals(currentNames())) {
                artifact.setItems(names);
                artifact.setValue(
                        keep != null && names.contains(keep)
                                ? keep
                                : names.contains("activations")
                                        ? "activations"
                                        : names.stream().findFirst().orElse(null));
                loaded.clear();
                axesFor = "";
            }
            return true;
        }
        return selectionChanged && "selected runs".equals(which.getValue());
    }

    private List<String> currentNames() {
        return artifact.getListDataView().getItems().toList();
    }

    private static long finished(Sweep s) {
        return s.runs().stream().filter(r -> r.status().finished()).count();
    }

    private void draw() {
        busy = true;
        try {
            drawNow();
        } finally {
            busy = false;
        }
    }

    private void drawNow() {
        table.removeAll();
        problems.clear();
        if (sweep == null) {
            return;
        }
        String name = artifact.getValue();
        if (name == null) {
            hint.setText("No run of this sweep has stored an artifact yet.");
            tensor.setVisible(false);
            scale.setVisible(false);
            axes.removeAll();
            return;
        }
        List<Run> shown = sweep.runs().stream()
                .filter(r -> infos.getOrDefault(r.id(), List.of()).stream()
                        .anyMatch(a -> a.name().equals(name)))
                .filter(r -> !"selected runs".equals(which.getValue()) || selected.contains(r.id()))
                .sorted((a, b) -> Long.compare(a.id(), b.id()))
                .toList();
        String more = "";
        if (shown.size() > MAX_RUNS) {
            more = " Showing the first " + MAX_RUNS + " of " + shown.size() + "; select runs to choose.";
            shown = shown.subList(0, MAX_RUNS);
        }
        hint.setText(
                shown.isEmpty()
                        ? ("selected runs".equals(which.getValue())
                                ? "Select runs in the table that have '" + name + "'."
                                : "No run has '" + name + "' yet.")
                        : shown.size() + " runs with '" + name + "'." + more);
        Map<Long, ArtifactCodec.Decoded> artifacts = new LinkedHashMap<>();
        long bytes = shown.stream()
                .mapToLong(r -> infos.getOrDefault(r.id(), List.of()).stream()
                        .filter(a -> a.name().equals(name))
                        .mapToLong(RunStore.ArtifactInfo::bytes)
                        .sum())
                .sum();
        if (bytes > MAX_KEPT_BYTES) {
            loaded.clear(); // too heavy to keep in the session: read again at each redraw
        }
        for (Run r : shown) {
            RunArtifacts.Read read = loaded.get(r.id());
            if (read == null) {
                read = RunArtifacts.read(runs, caller.get(), r.id(), name);
                if (bytes <= MAX_KEPT_BYTES) {
                    loaded.put(r.id(), read);
                }
            }
            read.artifact().ifPresent(a -> artifacts.put(r.id(), a));
            if (read.problem() != null) {
                problems.put(r.id(), read.problem());
            }
        }
        controlsFor(name, artifacts.values());
        if (shown.isEmpty()) {
            return;
        }
        Layout layout = Layout.of(sweep, shown, rows.getValue());
        // what each cell draws
        Map<Long, Object> drawn = new LinkedHashMap<>();
        for (Run r : shown) {
            ArtifactCodec.Decoded d = artifacts.get(r.id());
            if (d instanceof ArtifactCodec.Known k && k.artifact() instanceof Artifact.Tensors t) {
                pick(t).ifPresent(x -> drawn.put(r.id(), x));
            } else if (d != null) {
                drawn.put(r.id(), d);
            }
        }
        Div grid = new Div();
        grid.addClassName("compare-grid");
        grid.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "auto repeat(" + layout.columns().size() + ", auto)")
                .set("gap", "8px")
                .set("align-items", "start");
        grid.add(new Span(layout.rowKey()));
        for (String c : layout.columns()) {
            Span head = new Span(c);
            if (!c.isEmpty()) { // one swept parameter: a single column without a heading
                head.addClassName("compare-column");
            }
            head.getStyle().set("font-weight", "600");
            grid.add(head);
        }
        float[] all = range(drawn.values());
        boolean shared = "all cells".equals(scale.getValue());
        for (String row : layout.rows()) {
            Span head = new Span(row);
            if (!row.isEmpty()) {
                head.addClassName("compare-row");
            }
            head.getStyle().set("font-weight", "600");
            grid.add(head);
            List<Object> inRow = new ArrayList<>();
            for (String c : layout.columns()) {
                layout.cell(row, c).forEach(r -> {
                    if (drawn.containsKey(r.id())) {
                        inRow.add(drawn.get(r.id()));
                    }
                });
            }
            float[] rowRange = range(inRow);
            for (String c : layout.columns()) {
                Div cell = new Div();
                cell.addClassName("compare-cell");
                for (Run r : layout.cell(row, c)) {
                    cell.add(cell(r, name, drawn.get(r.id()), shared ? all : rowRange));
                }
                grid.add(cell);
            }
        }
        table.add(grid);
    }

    private Component cell(Run r, String name, Object what, float[] range) {
        Div box = new Div();
        box.getElement().setAttribute("data-run", Long.toString(r.id()));
        box.getElement().setAttribute("data-artifact-name", name);
        Span caption = new Span("run " + r.id());
        caption.getStyle().set("font-size", "var(--lumo-font-size-xs)").set("display", "block");
        box.add(caption);
        try {
            draw(box, r, name, what, range);
        } catch (RuntimeException e) { // one artifact that cannot be drawn must not take the page with it
            box.add(ArtifactView.failed("artifact '" + name + "' of run " + r.id(), e));
        }
        return box;
    }

    private void draw(Div box, Run r, String name, Object what, float[] range) {
        if (what instanceof Pictures.Picture p) {
            box.getElement().setAttribute("data-artifact-kind", "tensors");
            if (Pictures.labelled(p.tensor())) {
                box.add(TensorCharts.labelledChart(p, range, 0.7));
            } else {
                box.add(new Heatmap(
                        p,
                        range,
                        "run " + r.id() + ", " + p.tensor().name() + (p.what().isEmpty() ? "" : ", " + p.what()),
                        Heatmap.TARGET));
            }
        } else if (what instanceof Tensor t) {
            box.getElement().setAttribute("data-artifact-kind", "tensors");
            EChart chart = new EChart("200px");
            chart.setWidth("320px");
            chart.setOption(TensorCharts.bars(t), Math.min(t.data().length, TensorCharts.MAX_BARS));
            box.add(chart);
        } else if (what instanceof ArtifactCodec.Known k) {
            box.getElement().setAttribute("data-artifact-kind", k.kind());
            box.add(ArtifactView.body(k.artifact(), "run-" + r.id() + "-"));
        } else if (what instanceof ArtifactCodec.Unknown u) {
            box.getElement().setAttribute("data-artifact-kind", u.kind());
            box.add(new Anchor(RunArtifacts.download(r.id(), name), "download (" + u.kind() + ")"));
        } else {
            box.add(new Span(problems.getOrDefault(r.id(), "no tensor '" + tensor.getValue() + "'")));
        }
    }

    /** The shared controls of a tensors artifact: which tensor, and an index along each of its other axes. */
    private void controlsFor(String name, Collection<ArtifactCodec.Decoded> artifacts) {
        List<Artifact.Tensors> tensors = artifacts.stream()
                .filter(d -> d instanceof ArtifactCodec.Known k && k.artifact() instanceof Artifact.Tensors)
                .map(d -> (Artifact.Tensors) ((ArtifactCodec.Known) d).artifact())
                .toList();
        boolean isTensors = !tensors.isEmpty();
        tensor.setVisible(isTensors);
        scale.setVisible(isTensors);
        if (!isTensors) {
            axes.removeAll();
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        tensors.forEach(t -> t.tensors().forEach(x -> names.add(x.name())));
        if (names.isEmpty()) { // e.g. filters of dense networks: nothing but a note
            tensor.setVisible(false);
            scale.setVisible(false);
            axes.removeAll();
            axesFor = "";
            return;
        }
        if (!List.copyOf(names).equals(tensor.getListDataView().getItems().toList())) {
            String keep = tensor.getValue();
            tensor.setItems(names);
            tensor.setValue(
                    keep != null && names.contains(keep)
                            ? keep
                            : names.iterator().next());
        }
        String key = name + "/" + tensor.getValue();
        if (key.equals(axesFor)) {
            return;
        }
        axesFor = key;
        axes.removeAll();
        List<Tensor> same = tensors.stream()
                .flatMap(t -> t.tensors().stream())
                .filter(t -> t.name().equals(tensor.getValue()))
                .toList();
        for (Pictures.Selector s : Pictures.selectors(same, Set.of())) {
            axes.add(TensorsView.selector("compare-axis-", s, chosen, this::redraw));
        }
    }

    /**
     * What a run's tensors artifact shows at the shared controls: the picture of the chosen tensor, or the tensor
     * itself when it is a vector; none if the run has no such tensor or it is empty.
     */
    private Optional<Object> pick(Artifact.Tensors a) {
        return a.tensors().stream()
                .filter(t -> t.name().equals(tensor.getValue()) && !t.isEmpty())
                .findFirst()
                .map(t -> t.rank() < 2 ? t : Pictures.at(t, chosen).orElseThrow());
    }

    private static float[] range(Collection<Object> drawn) {
        return Pictures.range(drawn.stream()
                .filter(o -> o instanceof Pictures.Picture)
                .map(o -> (Pictures.Picture) o)
                .toList());
    }

    /** Runs placed on the sweep's grid: rows by one swept parameter, columns by the others. */
    record Layout(String rowKey, List<String> rows, List<String> columns, Map<String, List<Run>> cells) {

        List<Run> cell(String row, String column) {
            return cells.getOrDefault(row + "\u0000" + column, List.of());
        }

        static Layout of(Sweep s, List<Run> shown, String rowKey) {
            List<String> keys = List.copyOf(s.grid().keySet());
            if (keys.isEmpty() || rowKey == null || !keys.contains(rowKey)) {
                rowKey = keys.isEmpty() ? "run" : keys.get(0);
            }
            String rk = rowKey;
            List<String> others = keys.stream().filter(k -> !k.equals(rk)).toList();
            List<String> rowValues = new ArrayList<>();
            if (keys.isEmpty()) {
                rowValues.add("");
            } else {
                s.grid().get(rk).forEach(v -> rowValues.add(Charts.value(v)));
            }
            java.util.function.Function<Run, String> columnOf = r -> {
                Map<String, Object> cell = r.cell() == null ? Map.of() : r.cell();
                return others.isEmpty()
                        ? (keys.isEmpty() ? "runs" : "")
                        : others.stream()
                                .map(k -> k + "=" + Charts.value(cell.get(k)))
                                .collect(Collectors.joining(", "));
            };
            Map<String, List<Run>> cells = new LinkedHashMap<>();
            for (Run r : shown) {
                String row = keys.isEmpty()
                        ? ""
                        : Charts.value((r.cell() == null ? Map.<String, Object>of() : r.cell()).get(rk));
                if (!rowValues.contains(row)) {
                    rowValues.add(row);
                }
                cells.computeIfAbsent(row + "\u0000" + columnOf.apply(r), x -> new ArrayList<>())
                        .add(r);
            }
            // columns in the grid's order: the combinations of the other keys as the sweep expanded them
            Set<Long> shownIds = shown.stream().map(Run::id).collect(Collectors.toSet());
            List<String> columns = new ArrayList<>();
            for (Run r : s.runs()) {
                String column = columnOf.apply(r);
                if (shownIds.contains(r.id()) && !columns.contains(column)) {
                    columns.add(column);
                }
            }
            List<String> usedRows = rowValues.stream()
                    .filter(v -> columns.stream().anyMatch(c -> cells.containsKey(v + "\u0000" + c)))
                    .toList();
            Layout l = new Layout(keys.isEmpty() ? "" : rk, usedRows, columns, cells);
            // one swept parameter: its values side by side, as one row
            return others.isEmpty() && !keys.isEmpty() ? l.transposed() : l;
        }

        /** The same cells with rows and columns swapped (for a single column: one row of cells). */
        Layout transposed() {
            Map<String, List<Run>> swapped = new LinkedHashMap<>();
            for (String r : rows) {
                for (String c : columns) {
                    List<Run> runs = cell(r, c);
                    if (!runs.isEmpty()) {
                        swapped.put(c + "\u0000" + r, runs);
                    }
                }
            }
            return new Layout(rowKey, columns, rows, swapped);
        }
    }
}
