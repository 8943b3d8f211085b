package io.sweeplab.frontend.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Heatmaps;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.components.Missing;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One run: what it is and where it ran, the model summary as Keras prints it, training against validation per
 * epoch with the overfitting onset marked, and the lab's activation grid (test images 0, 23 and 28 by the first
 * four layers) for a chosen filter, beside the same grid of a second run.
 */
@Route(value = "runs/:id", layout = MainLayout.class)
@PageTitle("Run · Sweeplab")
@RolesAllowed("user")
public class RunView extends VerticalLayout implements BeforeEnterObserver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunService runs;
    private final H2 title = new H2();
    private final Paragraph facts = new Paragraph();
    private final Paragraph fit = new Paragraph();
    private final Grid<ModelSummary.Layer> summary = new Grid<>();
    private final EChart accuracy = new EChart("320px");
    private final EChart loss = new EChart("320px");
    private final IntegerField filterIndex = new IntegerField("Filter");
    private final IntegerField compareWith = new IntegerField("Compare with run");
    private final HorizontalLayout grids = new HorizontalLayout();
    private final Paragraph noActivations = new Paragraph();
    private long id;
    private final CallerSource caller = CurrentUser.source();
    private Run run;
    private int epochsShown = -1;
    private final Live live;

    public RunView(RunService runs) {
        this.runs = runs;
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
        filterIndex.setId("activation-filter");
        filterIndex.setValue(0);
        filterIndex.setMin(0);
        filterIndex.setStepButtonsVisible(true);
        filterIndex.addValueChangeListener(e -> drawActivations());
        compareWith.setId("activation-compare");
        compareWith.setHelperText("a run id of your teams");
        compareWith.addValueChangeListener(e -> drawActivations());
        grids.setId("activation-grids");
        noActivations.setId("activations-none");
        HorizontalLayout controls = new HorizontalLayout(filterIndex, compareWith);
        controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
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
                new H3("Activation maps"),
                controls,
                noActivations,
                grids);
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 1000, this::refresh);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            id = Long.parseLong(event.getRouteParameters().get("id").orElse(""));
            refresh();
            drawActivations();
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
            drawActivations();
        }
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

    private void drawActivations() {
        grids.removeAll();
        Optional<JsonNode> mine = activations(id);
        if (mine.isEmpty()) {
            noActivations.setText(
                    run != null && !run.status().finished()
                            ? "Activation maps appear when the run has finished."
                            : "This run has no activation maps (no activations visualizer, or no convolution layers).");
            noActivations.setVisible(true);
            return;
        }
        noActivations.setVisible(false);
        grids.add(grid("Run " + id, mine.get()));
        Integer other = compareWith.getValue();
        if (other != null && other != id) {
            try {
                activations(other)
                        .ifPresentOrElse(
                                a -> grids.add(grid("Run " + other, a)),
                                () -> grids.add(new Paragraph("Run " + other + " has no activation maps.")));
            } catch (NotFoundException e) {
                grids.add(new Paragraph("There is no run " + other + " in your teams."));
            }
        }
    }

    private Optional<JsonNode> activations(long run) {
        return runs.artifact(caller.get(), run, "activations").map(bytes -> {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable activations of run " + run, e);
            }
        });
    }

    /** The lab's picture: one row per test image, one column per layer (the first four), for the chosen filter. */
    private Div grid(String caption, JsonNode artifact) {
        Div box = new Div();
        box.addClassName("activation-grid");
        box.add(new Span(caption));
        String[] images =
                artifact.path("attributes").path("images").asText("0,23,28").split(",");
        List<JsonNode> layers = new ArrayList<>();
        artifact.path("tensors").forEach(layers::add);
        layers = layers.subList(0, Math.min(4, layers.size()));
        int filter = filterIndex.getValue() == null ? 0 : filterIndex.getValue();
        Div table = new Div();
        table.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "auto repeat(" + layers.size() + ", auto)")
                .set("gap", "4px")
                .set("align-items", "center");
        table.add(new Span(""));
        for (JsonNode l : layers) {
            table.add(new Span(l.path("name").asText()));
        }
        List<float[]> data = new ArrayList<>();
        for (JsonNode l : layers) {
            ByteBuffer b = ByteBuffer.wrap(
                            Base64.getDecoder().decode(l.path("data").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            data.add(v);
        }
        for (int i = 0; i < images.length; i++) {
            table.add(new Span("image " + images[i].strip()));
            for (int j = 0; j < layers.size(); j++) {
                JsonNode shape = layers.get(j).path("shape");
                int channels = shape.get(1).asInt();
                int h = shape.get(2).asInt();
                int w = shape.get(3).asInt();
                int c = Math.min(filter, channels - 1);
                int scale = Math.max(1, 84 / Math.max(h, w));
                Image img = new Image(
                        Heatmaps.png(data.get(j), (i * channels + c) * h * w, h, w, scale),
                        "image " + images[i].strip() + ", "
                                + layers.get(j).path("name").asText() + ", filter " + c);
                img.addClassName("activation-map");
                table.add(img);
            }
        }
        box.add(table);
        return box;
    }
}
