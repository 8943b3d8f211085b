package io.sweeplab.frontend.sweeps;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.function.SerializableComparator;
import com.vaadin.flow.function.ValueProvider;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.artifacts.ArtifactComparison;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.components.Missing;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One sweep: its runs with their swept values, progress, results and overfitting, a comparison of test accuracy (or
 * an overfitting result) grouped by the swept parameters, overlaid curves of the selected runs, and any artifact
 * compared across runs along the grid. Updates itself while runs train.
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
    private boolean filling;
    private SweepPage page;
    private long id;
    private final CallerSource caller = CurrentUser.source();
    private List<String> keys = List.of();
    private final Live live;

    private final ArtifactComparison artifacts;

    public SweepView(SweepService sweeps, RunService runs) {
        this.sweeps = sweeps;
        this.artifacts = new ArtifactComparison(sweeps, runs, caller::get);
        setSizeFull();
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
        add(
                title,
                summary,
                filter,
                grid,
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
        grid.removeAllColumns();
        grid.addComponentColumn(r ->
                        new Anchor("runs/" + r.run().id(), Long.toString(r.run().id())))
                .setHeader("Run")
                .setSortable(true)
                .setWidth("80px")
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
                .setWidth("110px")
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
        List<SweepPage.Row> shown = page.rows().stream()
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
