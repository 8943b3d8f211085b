package io.sweeplab.frontend.sweeps;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.function.SerializableComparator;
import com.vaadin.flow.function.ValueProvider;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepAnalysis;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.artifacts.ArtifactComparison;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.components.Missing;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import io.sweeplab.plugin.api.Objective;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One sweep: its runs with their swept values, progress, results (best and last epoch) and overfitting; the sweep
 * read against an objective (parallel coordinates whose brush filters the table, parameter importance, a parameter
 * against the objective, a search's best so far); a comparison of test accuracy (or an overfitting result) grouped by
 * the swept parameters, overlaid curves of the selected runs, and any artifact compared across runs along the grid.
 * Its runs download as CSV and JSON; a team's members re-run failed runs and extend a finished search. Updates itself
 * while runs train.
 */
@Route(value = "sweeps/:id", layout = MainLayout.class)
@PageTitle("Sweep · Sweeplab")
@RolesAllowed("user")
public class SweepView extends VerticalLayout implements BeforeEnterObserver {

    private final SweepService sweeps;
    private final H2 title = new H2();
    private final Paragraph summary = new Paragraph();
    private final Grid<SweepPage.Row> grid = new Grid<>();
    private final TextField filter = new TextField();
    private final H3 comparisonTitle = new H3();
    private final Select<SweepPage.Metric> comparisonMetric = new Select<>();
    private final EChart comparison = new EChart("340px");
    private final EChart curves = new EChart("340px");
    private final Paragraph curvesHint = new Paragraph("Select runs in the table to overlay their curves.");
    private final Set<Long> selected = new LinkedHashSet<>();
    private final Select<Objective> objective = new Select<>();
    private final EChart parallel = new EChart("380px");
    private final Span brushInfo = new Span();
    private final Button clearBrush = new Button("Show all runs");
    /** The runs a brush on the parallel chart leaves; null when no axis is brushed. */
    private Set<Long> brushed;

    private final EChart importance = new EChart("300px");
    private final Paragraph importanceMethod = new Paragraph();
    private final Select<String> scatterParam = new Select<>();
    private final EChart scatter = new EChart("300px");
    private final H3 bestSoFarTitle = new H3("Best so far by trial");
    private final EChart bestSoFar = new EChart("300px");
    private final Anchor csv = new Anchor("", "Download CSV");
    private final Anchor json = new Anchor("", "Download JSON");
    private final Button rerun = new Button("Re-run failed");
    private final IntegerField extendBy = new IntegerField();
    private final Button extend = new Button("Extend");
    private boolean filling;
    private boolean member;
    private SweepPage page;
    private long id;
    private final CallerSource caller = CurrentUser.source();
    private List<String> keys = List.of();
    private final Live live;

    private final ArtifactComparison artifacts;

    public SweepView(SweepService sweeps, RunService runs) {
        this.sweeps = sweeps;
        this.artifacts = new ArtifactComparison(sweeps, runs, caller::get);
        setWidthFull(); // as tall as its content: a full-height flex column would squeeze the table and charts
        title.setId("sweep-title");
        summary.setId("sweep-summary");
        grid.setId("sweep-runs");
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.setAllRowsVisible(false);
        grid.setHeight("420px");
        grid.asMultiSelect().addValueChangeListener(e -> {
            if (filling) {
                return; // the table is being refilled: fill() says what is still selected, once
            }
            selected.clear();
            e.getValue().forEach(r -> selected.add(r.run().id()));
            selectionChanged();
        });
        filter.setPlaceholder("filter: status or parameter value");
        filter.setId("sweep-filter");
        filter.setWidth("20em");
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(e -> fill());
        comparisonMetric.setId("sweep-comparison-metric");
        comparisonMetric.setLabel("Plot");
        comparisonMetric.setItems(SweepPage.Metric.values());
        comparisonMetric.setItemLabelGenerator(SweepPage.Metric::label);
        comparisonMetric.setValue(SweepPage.Metric.TEST_ACCURACY);
        comparisonMetric.addValueChangeListener(e -> drawComparison());
        comparison.setId("sweep-comparison");
        curves.setId("sweep-curves");
        objective.setId("sweep-objective");
        objective.setLabel("Objective");
        objective.setWidth("16em");
        objective.setItemLabelGenerator(SweepReading::label);
        objective.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                drawReading();
            }
        });
        parallel.setId("sweep-parallel");
        parallel.onAreaSelected(this::brushed);
        brushInfo.setId("sweep-brush");
        clearBrush.setId("sweep-clear-brush");
        clearBrush.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        clearBrush.addClickListener(e -> {
            parallel.clearAreaSelection();
            brushed(null);
        });
        importance.setId("sweep-importance");
        importanceMethod.setId("sweep-importance-method");
        importanceMethod.getStyle().set("font-size", "var(--lumo-font-size-s)").set("margin", "0");
        scatterParam.setId("sweep-scatter-param");
        scatterParam.setLabel("Parameter");
        scatterParam.setWidth("16em");
        scatterParam.addValueChangeListener(e -> drawScatter());
        scatter.setId("sweep-scatter");
        bestSoFar.setId("sweep-best-so-far");
        csv.setId("sweep-csv");
        json.setId("sweep-json");
        for (Anchor a : List.of(csv, json)) {
            a.getElement().setAttribute("router-ignore", true); // a file, not a view
        }
        rerun.setId("sweep-rerun");
        rerun.addClickListener(e -> act(() -> sweeps.rerunFailed(caller.get(), id)));
        extendBy.setId("sweep-extend-trials");
        extendBy.setLabel("More trials");
        extendBy.setMin(1);
        extendBy.setValue(4);
        extendBy.setStepButtonsVisible(true);
        extendBy.setWidth("9em");
        extend.setId("sweep-extend");
        extend.addClickListener(e ->
                act(() -> sweeps.extend(caller.get(), id, extendBy.getValue() == null ? 0 : extendBy.getValue())));
        HorizontalLayout actions = new HorizontalLayout(csv, json, rerun, extendBy, extend);
        actions.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        HorizontalLayout filters = new HorizontalLayout(filter, brushInfo, clearBrush);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        VerticalLayout importanceBox = new VerticalLayout(new H4("Parameter importance"), importanceMethod, importance);
        VerticalLayout scatterBox =
                new VerticalLayout(new H4("A parameter against the objective"), scatterParam, scatter);
        for (VerticalLayout box : List.of(importanceBox, scatterBox)) {
            box.setPadding(false);
            box.setSpacing(false);
            box.setWidth("50%");
        }
        HorizontalLayout pair = new HorizontalLayout(importanceBox, scatterBox);
        pair.setWidthFull();
        add(
                title,
                summary,
                actions,
                filters,
                grid,
                new H3("Swept parameters and the objective"),
                new Paragraph("Drag along an axis to show only the runs within; the best run is drawn in red."),
                objective,
                parallel,
                pair,
                bestSoFarTitle,
                bestSoFar,
                comparisonTitle,
                comparisonMetric,
                comparison,
                new H3("Curves of the selected runs"),
                curvesHint,
                curves,
                new H3("Compare an artifact across runs"),
                artifacts);
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 1000, this::refresh);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            id = Long.parseLong(event.getRouteParameters().get("id").orElse(""));
            load();
        } catch (NumberFormatException | NotFoundException e) {
            Missing.show(this, "sweep", event.getRouteParameters().get("id").orElse(""));
            id = 0;
        }
    }

    private void load() {
        page = SweepPage.load(sweeps, caller.get(), id, null);
        Sweep s = page.sweep();
        keys = page.keys();
        title.setText(s.name());
        boolean member = caller.get().hasRole(s.team(), Role.MEMBER); // viewers read; members act
        csv.setHref(page.export("csv"));
        csv.getElement().setAttribute("download", "sweep-" + id + "-runs.csv");
        json.setHref(page.export("json"));
        json.getElement().setAttribute("download", "sweep-" + id + "-runs.json");
        this.member = member;
        objective.setItems(SweepReading.objectives(page.objective()));
        objective.setValue(page.objective());
        bestSoFarTitle.setVisible(s.isSearch());
        bestSoFar.setVisible(s.isSearch());
        grid.removeAllColumns();
        grid.addComponentColumn(r ->
                        new Anchor("runs/" + r.run().id(), Long.toString(r.run().id())))
                .setHeader("Run")
                .setSortable(true)
                .setWidth("80px")
                .setFlexGrow(0)
                .setComparator(r -> r.run().id());
        if (s.isSearch()) {
            grid.addColumn(r -> page.trialOf(r.run().id()))
                    .setHeader("Trial")
                    .setSortable(true)
                    .setWidth("80px")
                    .setFlexGrow(0);
        }
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
                .setWidth("125px")
                .setFlexGrow(0);
        grid.addComponentColumn(this::progress)
                .setHeader("Progress")
                .setWidth("170px")
                .setFlexGrow(0);
        grid.addColumn(r -> Charts.pct(r.bestVal()))
                .setHeader("Best val. acc.")
                .setSortable(true)
                .setComparator(nullsLast(SweepPage.Row::bestVal))
                .setAutoWidth(true);
        grid.addColumn(r -> r.bestEpoch() == null ? "" : Integer.toString(r.bestEpoch()))
                .setHeader("Best epoch")
                .setSortable(true)
                .setComparator(nullsLast(SweepPage.Row::bestEpoch))
                .setAutoWidth(true);
        grid.addColumn(r -> Charts.pct(r.lastVal()))
                .setHeader("Last val. acc.")
                .setSortable(true)
                .setComparator(nullsLast(SweepPage.Row::lastVal))
                .setAutoWidth(true);
        grid.addColumn(r -> r.onset() == null ? "" : Integer.toString(r.onset()))
                .setHeader(header(
                        "Overfits from",
                        "the epoch after which validation accuracy never improved again while training accuracy did"))
                .setSortable(true)
                .setComparator(nullsLast(SweepPage.Row::onset))
                .setAutoWidth(true);
        grid.addColumn(r -> Charts.points(r.finalGap()))
                .setHeader(header("Final gap", "training minus validation accuracy at the last epoch, in points"))
                .setSortable(true)
                .setComparator(nullsLast(SweepPage.Row::finalGap))
                .setAutoWidth(true);
        grid.addColumn(r -> Charts.points(r.bestMinusLast()))
                .setHeader(header("Best - last", "best minus last validation accuracy, in points"))
                .setSortable(true)
                .setComparator(nullsLast(SweepPage.Row::bestMinusLast))
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
                .setComparator(SweepPage.Row::trainSeconds)
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
                .setWidth("160px")
                .setFlexGrow(1);
        grid.setColumnReorderingAllowed(true);
        render(); // the page just loaded: no second read
    }

    private static Span header(String text, String explanation) {
        Span h = new Span(text);
        h.getElement().setAttribute("title", explanation);
        return h;
    }

    /** Rows without a value sort after those with one. */
    private static <V extends Comparable<? super V>> SerializableComparator<SweepPage.Row> nullsLast(
            ValueProvider<SweepPage.Row, V> value) {
        return (a, b) -> {
            V x = value.apply(a);
            V y = value.apply(b);
            return x == null ? (y == null ? 0 : 1) : y == null ? -1 : x.compareTo(y);
        };
    }

    private Div progress(SweepPage.Row r) {
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

    private static String eta(SweepPage.Row r, int left) {
        if (!r.run().status().jsonName().equals("running") || r.metrics().isEmpty() || left <= 0) {
            return "";
        }
        double perEpoch = r.trainSeconds() / r.metrics().size();
        return String.format(Locale.ROOT, " · ETA %.0f s", perEpoch * left);
    }

    /** Reloads the sweep (its metrics only when a run advanced); stops once every run has finished. */
    private void refresh() {
        if (id == 0) {
            return; // no such object: nothing to refresh
        }
        try {
            page = SweepPage.load(sweeps, caller.get(), id, page);
        } catch (NotFoundException e) { // deleted, or the user left its team: the page shows no more of it
            Missing.show(this, "sweep", Long.toString(id));
            id = 0;
            live.stop();
            return;
        }
        render();
    }

    /** Shows the page as loaded. */
    private void render() {
        Sweep s = page.sweep();
        summary.setText(s.status() + " · " + page.finished() + " of " + s.size() + " runs finished"
                + (s.template() == null ? "" : " · template " + s.template()) + " · team " + s.team());
        rerun.setVisible(member && page.canRerun());
        extendBy.setVisible(member && page.canExtend());
        extend.setVisible(member && page.canExtend());
        drawReading();
        fill();
        drawComparison();
        drawCurves();
        artifacts.update(s, selected);
        if (live != null && page.finished() == s.size()) {
            live.stop();
        }
    }

    private void fill() {
        String f = filter.getValue() == null ? "" : filter.getValue().strip().toLowerCase(Locale.ROOT);
        brushInfo.setText(brushed == null ? "" : brushed.size() + " runs within the brushed ranges");
        clearBrush.setVisible(brushed != null);
        List<SweepPage.Row> shown = page.rows().stream()
                .filter(r -> brushed == null || brushed.contains(r.run().id()))
                .filter(r -> f.isEmpty()
                        || r.run().status().jsonName().contains(f)
                        || (r.run().cell() != null
                                && r.run()
                                        .cell()
                                        .toString()
                                        .toLowerCase(Locale.ROOT)
                                        .contains(f)))
                .toList();
        Set<Long> keep = new LinkedHashSet<>(selected);
        filling = true;
        try {
            grid.setItems(shown);
            shown.stream().filter(r -> keep.contains(r.run().id())).forEach(grid::select);
        } finally {
            filling = false;
        }
        Set<Long> now = new LinkedHashSet<>();
        shown.stream().map(r -> r.run().id()).filter(keep::contains).forEach(now::add);
        if (!now.equals(selected)) { // a filter hid selected runs
            selected.clear();
            selected.addAll(now);
            selectionChanged();
        }
    }

    private void selectionChanged() {
        drawCurves();
        if (page != null) {
            artifacts.update(page.sweep(), selected);
        }
    }

    /** A brush on the parallel chart chose these runs (by id), or none when null: the table shows only those. */
    private void brushed(List<String> runs) {
        if (page == null) {
            return;
        }
        brushed = runs == null ? null : page.reading(currentObjective()).runsNamed(runs);
        fill();
    }

    private Objective currentObjective() {
        return objective.getValue() == null ? page.objective() : objective.getValue();
    }

    /** The parallel chart, importance, scatter and (for a search) best so far, by the chosen objective. */
    private void drawReading() {
        if (page == null) {
            return;
        }
        SweepReading reading = page.reading(currentObjective());
        if (parallel.setOption(reading.parallel(), reading.parallelPoints()) && brushed != null) {
            brushed = null; // drawn anew, without the brush: the table shows every run again
            fill();
        }
        importance.setOption(reading.importance(), reading.importancePoints());
        importanceMethod.setText(reading.importanceMethod());
        List<String> paths = reading.analysis().parameters().stream()
                .map(SweepAnalysis.Parameter::path)
                .toList();
        String chosen = scatterParam.getValue();
        if (!paths.equals(scatterItems)) {
            scatterItems = paths;
            scatterParam.setItems(paths);
            scatterParam.setValue(paths.contains(chosen) ? chosen : paths.isEmpty() ? null : paths.get(0));
        }
        drawScatter();
        if (page.sweep().isSearch()) {
            bestSoFar.setOption(reading.bestSoFar(), reading.bestSoFarPoints());
        }
    }

    private List<String> scatterItems = List.of();

    private void drawScatter() {
        if (page == null || scatterParam.getValue() == null) {
            return;
        }
        SweepReading reading = page.reading(currentObjective());
        Map<String, Object> option = reading.scatter(scatterParam.getValue());
        if (option != null) {
            scatter.setOption(option, reading.scatterPoints());
        }
    }

    /** Re-run or extend: the sweep trains again, the page follows it live; a refusal is said in a notification. */
    private void act(Runnable action) {
        try {
            action.run();
        } catch (ConflictException | InvalidInputException | NotFoundException | ForbiddenException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        refresh();
        getUI().ifPresent(live::resume);
    }

    private void drawComparison() {
        SweepPage.Metric metric =
                comparisonMetric.getValue() == null ? SweepPage.Metric.TEST_ACCURACY : comparisonMetric.getValue();
        String label = metric.label();
        comparisonTitle.setText(
                label.substring(0, 1).toUpperCase(Locale.ROOT) + label.substring(1) + " by swept parameters");
        if (page != null) {
            comparison.setOption(page.comparison(metric), page.comparisonPoints(metric));
        }
    }

    private void drawCurves() {
        List<SweepPage.Row> chosen = selected.stream()
                .map(page::row)
                .filter(java.util.Objects::nonNull)
                .toList();
        curvesHint.setVisible(chosen.isEmpty());
        curves.setVisible(!chosen.isEmpty());
        if (chosen.isEmpty()) {
            return;
        }
        List<Map<String, Object>> series = new ArrayList<>();
        int points = 0;
        for (SweepPage.Row r : chosen) {
            String label = "run " + r.run().id()
                    + (r.run().cell() == null ? "" : " " + r.run().cell());
            series.add(Charts.line(label + " train", r.metrics(), EpochMetric::trainAccuracy, true));
            Map<String, Object> val = new java.util.LinkedHashMap<>(
                    Charts.line(label + " val", r.metrics(), EpochMetric::valAccuracy, false));
            if (r.onset() != null) {
                // where this run starts to overfit: validation's best epoch, training still climbing after it
                val.put(
                        "markPoint",
                        Map.of(
                                "symbol",
                                "pin",
                                "symbolSize",
                                36,
                                "label",
                                Map.of("formatter", "overfits"),
                                "data",
                                List.of(Map.of(
                                        "coord",
                                        List.of(
                                                r.fit().onset().getAsInt(),
                                                Charts.round(r.fit().bestValAccuracy()))))));
            }
            series.add(val);
            points += 2 * r.metrics().size();
        }
        curves.setOption(Charts.epochChart("accuracy", series), points);
    }
}
