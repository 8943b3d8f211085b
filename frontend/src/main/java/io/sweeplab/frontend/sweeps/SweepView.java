package io.sweeplab.frontend.sweeps;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One sweep: its runs with their swept values, progress and results, a test-accuracy comparison grouped by the
 * swept parameters, and overlaid curves of the selected runs. Updates itself while runs train.
 */
@Route(value = "sweeps/:id", layout = MainLayout.class)
@PageTitle("Sweep · Sweeplab")
@RolesAllowed("user")
public class SweepView extends VerticalLayout implements BeforeEnterObserver {

    /** A run's row: the run with what its metrics say. */
    record Row(Run run, List<EpochMetric> metrics, Overfitting fit) {
        double bestVal() {
            return fit.bestValAccuracy();
        }

        double trainSeconds() {
            return metrics.stream().mapToDouble(EpochMetric::seconds).sum();
        }
    }

    private final SweepService sweeps;
    private final RunService runs;
    private final H2 title = new H2();
    private final Paragraph summary = new Paragraph();
    private final Grid<Row> grid = new Grid<>();
    private final TextField filter = new TextField();
    private final EChart comparison = new EChart("340px");
    private final EChart curves = new EChart("340px");
    private final Paragraph curvesHint = new Paragraph("Select runs in the table to overlay their curves.");
    private final Set<Long> selected = new LinkedHashSet<>();
    private final Map<Long, Row> rows = new HashMap<>();
    private long id;
    private Caller caller;
    private List<String> keys = List.of();
    private Live live;

    public SweepView(SweepService sweeps, RunService runs) {
        this.sweeps = sweeps;
        this.runs = runs;
        setSizeFull();
        title.setId("sweep-title");
        summary.setId("sweep-summary");
        grid.setId("sweep-runs");
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.setAllRowsVisible(false);
        grid.setHeight("420px");
        grid.asMultiSelect().addValueChangeListener(e -> {
            selected.clear();
            e.getValue().forEach(r -> selected.add(r.run().id()));
            drawCurves();
        });
        filter.setPlaceholder("filter: status or parameter value");
        filter.setId("sweep-filter");
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(e -> fill());
        comparison.setId("sweep-comparison");
        curves.setId("sweep-curves");
        add(
                title,
                summary,
                filter,
                grid,
                new H3("Test accuracy by swept parameters"),
                comparison,
                new H3("Curves of the selected runs"),
                curvesHint,
                curves);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        caller = CurrentUser.require();
        try {
            id = Long.parseLong(event.getRouteParameters().get("id").orElse(""));
            load();
        } catch (NumberFormatException | NotFoundException e) {
            removeAll();
            add(
                    new H2("No such sweep"),
                    new Paragraph("There is no sweep "
                            + event.getRouteParameters().get("id").orElse("") + " in your teams."),
                    new Anchor("sweeps", "All sweeps"));
            id = 0;
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        if (id > 0) {
            live = Live.every(event.getUI(), 1000, this::refresh);
        }
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (live != null) {
            live.stop();
        }
    }

    private void load() {
        Sweep s = sweeps.get(caller, id);
        keys = new ArrayList<>(s.grid().keySet());
        title.setText(s.name());
        grid.removeAllColumns();
        grid.addColumn(r -> r.run().id())
                .setHeader("Run")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0)
                .setComparator(r -> r.run().id());
        for (String k : keys) {
            grid.addColumn(r -> Charts.value(
                            r.run().cell() == null ? null : r.run().cell().get(k)))
                    .setHeader(k)
                    .setSortable(true)
                    .setAutoWidth(true);
        }
        grid.addColumn(r -> r.run().status().jsonName())
                .setHeader("Status")
                .setSortable(true)
                .setAutoWidth(true);
        grid.addComponentColumn(this::progress)
                .setHeader("Progress")
                .setWidth("190px")
                .setFlexGrow(0);
        grid.addColumn(r -> Charts.pct(r.metrics().isEmpty() ? null : r.bestVal()))
                .setHeader("Best val. acc.")
                .setSortable(true)
                .setComparator(Row::bestVal)
                .setAutoWidth(true);
        grid.addColumn(r -> Charts.pct(r.run().testAccuracy()))
                .setHeader("Test acc.")
                .setSortable(true)
                .setComparator(
                        r -> r.run().testAccuracy() == null ? -1 : r.run().testAccuracy())
                .setAutoWidth(true);
        grid.addColumn(r -> String.format(Locale.ROOT, "%.1f s", r.trainSeconds()))
                .setHeader("Train time")
                .setSortable(true)
                .setComparator(Row::trainSeconds)
                .setAutoWidth(true);
        grid.addColumn(r -> r.run().summary() == null
                        ? ""
                        : String.format(Locale.ROOT, "%,d", r.run().summary().totalParams()))
                .setHeader("Params")
                .setAutoWidth(true);
        grid.addColumn(r -> r.run().stopReason() != null
                        ? r.run().stopReason()
                        : r.run().error() != null ? r.run().error() : "")
                .setHeader("Stop reason")
                .setFlexGrow(1);
        grid.addComponentColumn(r -> new Anchor("runs/" + r.run().id(), "open"))
                .setHeader("")
                .setAutoWidth(true);
        refresh();
    }

    private Div progress(Row r) {
        int total = r.run().spec().epochs();
        int done = r.run().epochsDone();
        ProgressBar bar = new ProgressBar(0, Math.max(1, total), Math.min(done, total));
        bar.getElement().setAttribute("data-epochs", done + "/" + total);
        Span label = new Span("epoch " + done + "/" + total + eta(r, total - done));
        label.getStyle().set("font-size", "var(--lumo-font-size-s)");
        Div d = new Div(bar, label);
        d.setWidthFull();
        d.addClassName("run-progress");
        return d;
    }

    private static String eta(Row r, int left) {
        if (!r.run().status().jsonName().equals("running") || r.metrics().isEmpty() || left <= 0) {
            return "";
        }
        double perEpoch = r.trainSeconds() / r.metrics().size();
        return String.format(Locale.ROOT, " · ETA %.0f s", perEpoch * left);
    }

    /** Reloads the sweep; a finished run's metrics are read once. */
    private void refresh() {
        Sweep s = sweeps.get(caller, id);
        for (Run run : s.runs()) {
            Row old = rows.get(run.id());
            boolean unchanged = old != null
                    && old.run().epochsDone() == run.epochsDone()
                    && old.run().status() == run.status();
            List<EpochMetric> m = unchanged ? old.metrics() : runs.metrics(caller, run.id());
            rows.put(run.id(), new Row(run, m, Overfitting.of(m)));
        }
        long finished = s.runs().stream().filter(r -> r.status().finished()).count();
        summary.setText(s.status() + " · " + finished + " of " + s.size() + " runs finished"
                + (s.template() == null ? "" : " · template " + s.template()) + " · team " + s.team());
        fill();
        drawComparison(s);
        drawCurves();
    }

    private void fill() {
        String f = filter.getValue() == null ? "" : filter.getValue().strip().toLowerCase(Locale.ROOT);
        List<Row> shown = rows.values().stream()
                .filter(r -> f.isEmpty()
                        || r.run().status().jsonName().contains(f)
                        || (r.run().cell() != null
                                && r.run()
                                        .cell()
                                        .toString()
                                        .toLowerCase(Locale.ROOT)
                                        .contains(f)))
                .sorted(java.util.Comparator.comparingLong(r -> r.run().id()))
                .toList();
        Set<Long> keep = new LinkedHashSet<>(selected);
        grid.setItems(shown);
        shown.stream().filter(r -> keep.contains(r.run().id())).forEach(grid::select);
    }

    private void drawComparison(Sweep s) {
        List<Row> done = rows.values().stream()
                .filter(r -> r.run().testAccuracy() != null)
                .sorted(java.util.Comparator.comparingLong(r -> r.run().id()))
                .toList();
        // x: the first swept parameter's values; one series per combination of the others
        String xKey = keys.isEmpty() ? null : keys.get(0);
        List<String> xs = new ArrayList<>();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
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
            series.computeIfAbsent(sName, n -> new LinkedHashMap<>())
                    .put(x, r.run().testAccuracy());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        series.forEach((name, values) -> out.add(Map.of(
                "name",
                name,
                "type",
                "bar",
                "label",
                Map.of("show", true, "position", "top", "formatter", "{c}"),
                "data",
                xs.stream()
                        .map(x -> values.containsKey(x) ? Charts.round(values.get(x)) : null)
                        .toList())));
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("title", Map.of("text", done.isEmpty() ? "No finished runs yet" : "", "left", "center"));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("top", 0));
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
        option.put("yAxis", Map.of("type", "value", "min", "dataMin", "name", "test accuracy"));
        option.put("series", out);
        comparison.setOption(option, done.size());
    }

    private void drawCurves() {
        List<Row> chosen = selected.stream()
                .map(rows::get)
                .filter(java.util.Objects::nonNull)
                .toList();
        curvesHint.setVisible(chosen.isEmpty());
        curves.setVisible(!chosen.isEmpty());
        if (chosen.isEmpty()) {
            return;
        }
        List<Map<String, Object>> series = new ArrayList<>();
        int points = 0;
        for (Row r : chosen) {
            String label = "run " + r.run().id()
                    + (r.run().cell() == null ? "" : " " + r.run().cell());
            series.add(Charts.line(label + " train", r.metrics(), EpochMetric::trainAccuracy, true));
            series.add(Charts.line(label + " val", r.metrics(), EpochMetric::valAccuracy, false));
            points += 2 * r.metrics().size();
        }
        curves.setOption(Charts.epochChart("accuracy", series), points);
    }
}
