package io.sweeplab.frontend.runs;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.external.ExternalRunService;
import io.sweeplab.core.metric.MetricSeries;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.artifacts.RunArtifacts;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.components.Missing;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run: what it is and where it ran, the model summary as Keras prints it, training against validation per
 * epoch with the overfitting onset marked, and every artifact its visualizers stored, each drawn by its kind (the
 * lab's activation grid of test images 0, 23 and 28 by the first four layers is the tensors renderer applied to the
 * {@code activations} artifact), optionally beside the same artifacts of a second run picked from the user's runs.
 * A run logged from outside (MLflow) shows its own parts instead ({@link ExternalRunPanel}).
 */
@Route(value = "runs/:id", layout = MainLayout.class)
@PageTitle("Run · Sweeplab")
@RolesAllowed("user")
public class RunView extends VerticalLayout implements BeforeEnterObserver {

    private final RunService runs;
    private final H2 title = new H2();
    private final Paragraph facts = new Paragraph();
    private final Paragraph fit = new Paragraph();
    private final Grid<ModelSummary.Layer> summary = new Grid<>();
    private final EChart accuracy = new EChart("320px");
    private final EChart loss = new EChart("320px");
    private final RunPicker compareWith = new RunPicker("Compare with run");
    private final Div artifacts = new Div();
    private final Paragraph noArtifacts = new Paragraph();
    private boolean pickerLoaded;
    private long id;
    private final CallerSource caller = CurrentUser.source();
    private Run run;
    private int epochsShown = -1;
    private final Live live;

    private final SweepService sweeps;
    private final MetricSeries series;
    private final ExternalRunService external;
    /** The page of a run logged from outside, in place of the trained run's parts; null for a trained run. */
    private ExternalRunPanel externalPanel;

    public RunView(RunService runs, SweepService sweeps, MetricSeries series, ExternalRunService external) {
        this.runs = runs;
        this.sweeps = sweeps;
        this.series = series;
        this.external = external;
        setWidthFull();
        title.setId("run-title");
        facts.setId("run-facts");
        fit.setId("run-overfitting");
        summary.setId("run-summary");
        summary.addColumn(l -> l.name() + " (" + l.type() + ")")
                .setHeader("Layer (type)")
                .setFlexGrow(2);
        summary.addColumn(l -> "(None, "
                        + l.outputShape().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
                .setHeader("Output shape")
                .setFlexGrow(1);
        summary.addColumn(l -> String.format(Locale.ROOT, "%,d", l.params()))
                .setHeader("Param #")
                .setAutoWidth(true);
        summary.setAllRowsVisible(true);
        summary.setWidth("720px");
        accuracy.setId("run-accuracy");
        loss.setId("run-loss");
        compareWith.setId("artifact-compare");
        compareWith.addValueChangeListener(e -> drawArtifacts());
        artifacts.setId("run-artifacts");
        artifacts.setWidthFull();
        noArtifacts.setId("artifacts-none");
        HorizontalLayout charts = new HorizontalLayout(accuracy, loss);
        charts.setWidthFull();
        add(
                title,
                facts,
                new H3("Training against validation"),
                fit,
                charts,
                new H3("Model summary"),
                summary,
                new H3("Artifacts"),
                compareWith,
                noArtifacts,
                artifacts);
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 1000, this::refresh);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            id = Long.parseLong(event.getRouteParameters().get("id").orElse(""));
            refresh();
            if (externalPanel == null) {
                loadPicker();
                drawArtifacts();
            }
        } catch (NumberFormatException | NotFoundException e) {
            Missing.show(this, "run", event.getRouteParameters().get("id").orElse(""));
            id = 0;
        }
    }

    private void refresh() {
        if (id == 0) {
            return; // no such object: nothing to refresh
        }
        Run before = run;
        Caller now = caller.get();
        try {
            run = runs.get(now, id);
        } catch (NotFoundException e) { // deleted, or the user left its team: the page shows no more of it
            Missing.show(this, "run", Long.toString(id));
            id = 0;
            live.stop();
            return;
        }
        if (run.external() != null) {
            showExternal(now);
            return;
        }
        title.setText("Run " + run.id() + " · " + run.spec().architecture() + " · "
                + run.status().jsonName());
        List<String> f = new ArrayList<>();
        f.add("epoch " + run.epochsDone() + "/" + run.spec().epochs());
        if (run.testAccuracy() != null) {
            f.add("test accuracy " + Charts.pct(run.testAccuracy()));
        }
        if (run.stopReason() != null) {
            f.add("stopped: " + run.stopReason());
        }
        if (run.error() != null) {
            f.add("failed: " + run.error());
        }
        f.add("device: " + (run.device() == null ? "not started yet" : run.device()));
        f.add("params " + run.spec().params());
        if (run.cell() != null) {
            f.add("cell " + run.cell());
        }
        if (run.sweep() != null) {
            f.add("sweep " + run.sweep());
        }
        facts.setText(String.join(" · ", f));
        if (run.summary() != null && (before == null || before.summary() == null)) {
            summary.setItems(run.summary().layers());
            summary.getColumns()
                    .get(2)
                    .setFooter(String.format(
                            Locale.ROOT, "Total: %,d", run.summary().totalParams()));
        }
        if (run.epochsDone() != epochsShown) {
            epochsShown = run.epochsDone();
            drawCurves(runs.metrics(now, id));
        }
        if (before != null && !before.status().finished() && run.status().finished()) {
            drawArtifacts();
        }
    }

    /** A run logged from outside has its own page: none of a trained run's parts apply to it. */
    private void showExternal(Caller now) {
        if (externalPanel == null) {
            externalPanel = new ExternalRunPanel(series, external);
            removeAll();
            add(externalPanel);
        }
        externalPanel.show(now, run);
    }

    private void drawCurves(List<EpochMetric> m) {
        Overfitting o = Overfitting.of(m);
        fit.setText(
                m.isEmpty()
                        ? "No epoch has finished yet."
                        : "best validation accuracy " + Charts.pct(o.bestValAccuracy()) + " at epoch "
                                + o.bestValEpoch()
                                + " · train-validation gap at the end "
                                + String.format(Locale.ROOT, "%+.2f", o.finalGap() * 100)
                                + " points"
                                + (o.onset().isPresent()
                                        ? " · overfitting: validation stops improving after epoch "
                                                + o.onset().getAsInt() + " while training still improves"
                                        : ""));
        fit.getElement()
                .setAttribute(
                        "data-onset",
                        o.onset().isPresent() ? Integer.toString(o.onset().getAsInt()) : "");
        accuracy.setOption(
                withOnset(
                        Charts.epochChart(
                                "accuracy",
                                List.of(
                                        Charts.line("train", m, EpochMetric::trainAccuracy, false),
                                        Charts.line("validation", m, EpochMetric::valAccuracy, false))),
                        o),
                2 * m.size());
        loss.setOption(
                withOnset(
                        Charts.epochChart(
                                "loss",
                                List.of(
                                        Charts.line("train", m, EpochMetric::trainLoss, false),
                                        Charts.line("validation", m, EpochMetric::valLoss, false))),
                        o),
                2 * m.size());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withOnset(Map<String, Object> option, Overfitting o) {
        if (o.onset().isEmpty()) {
            return option;
        }
        List<Map<String, Object>> series = new ArrayList<>((List<Map<String, Object>>) option.get("series"));
        Map<String, Object> val = new LinkedHashMap<>(series.get(1));
        val.put(
                "markLine",
                Map.of(
                        "symbol", "none",
                        "label",
                                Map.of(
                                        "formatter",
                                        "overfitting from epoch " + o.onset().getAsInt()),
                        "lineStyle", Map.of("color", "#d32f2f", "type", "dashed"),
                        "data", List.of(Map.of("xAxis", o.onset().getAsInt()))));
        series.set(1, val);
        Map<String, Object> out = new LinkedHashMap<>(option);
        out.put("series", series);
        return out;
    }

    private void loadPicker() {
        if (!pickerLoaded && id != 0) {
            pickerLoaded = true;
            compareWith.load(runs, sweeps, caller.get(), id);
        }
    }

    /** Every artifact of the run drawn by its kind; beside each, the same artifact of the run compared with. */
    private void drawArtifacts() {
        artifacts.removeAll();
        if (id == 0 || run == null) {
            return;
        }
        Caller now = caller.get();
        List<RunArtifacts.Read> mine = RunArtifacts.of(runs, now, run);
        Run other = compareWith.getValue();
        if (mine.isEmpty() && other == null) {
            noArtifacts.setText(
                    !run.status().finished()
                            ? "Artifacts appear when the run has finished."
                            : "This run has no artifacts (it lists no visualizers, or they produced none).");
            noArtifacts.setVisible(true);
            return;
        }
        noArtifacts.setVisible(false);
        if (other == null) {
            mine.forEach(r -> artifacts.add(RunArtifacts.view(id, r, "")));
            return;
        }
        List<RunArtifacts.Read> theirs;
        try {
            theirs = RunArtifacts.of(runs, now, runs.get(now, other.id()));
        } catch (NotFoundException e) {
            artifacts.add(new Paragraph("Run " + other.id() + " is no longer in your teams."));
            mine.forEach(r -> artifacts.add(RunArtifacts.view(id, r, "")));
            return;
        }
        long[] ids = {id, other.id()};
        RunArtifacts.byName(List.of(mine, theirs)).forEach((name, pair) -> {
            HorizontalLayout row = new HorizontalLayout();
            row.addClassName("artifact-pair");
            row.setWidthFull();
            for (int i = 0; i < 2; i++) {
                Div side = new Div(new H4("Run " + ids[i]));
                side.getStyle().set("flex", "1 1 0").set("min-width", "0").set("overflow-x", "auto");
                side.add(
                        pair.get(i) == null
                                ? new Paragraph("Run " + ids[i] + " has no artifact '" + name + "'.")
                                : RunArtifacts.view(ids[i], pair.get(i), i == 0 ? "" : "other-"));
                row.add(side);
            }
            artifacts.add(row);
        });
    }
}
