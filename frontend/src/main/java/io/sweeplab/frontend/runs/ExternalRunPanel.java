package io.sweeplab.frontend.runs;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.external.ExternalRunService;
import io.sweeplab.core.external.ExternalRunStore;
import io.sweeplab.core.metric.Curve;
import io.sweeplab.core.metric.MetricSeries;
import io.sweeplab.core.run.ExternalDetails;
import io.sweeplab.core.run.Run;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The page of a run logged from outside (MLflow): its name, status and MLflow run id, its params and tags as tables,
 * one chart per metric it logged (whatever the name, over steps), and its files with download links through the
 * MLflow artifact proxy (the dashboard's session may read it). A trained run's parts (model summary, device,
 * artifacts of visualizers) do not apply and are not shown.
 */
final class ExternalRunPanel extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    /** A running run's charts are read again every this many refreshes of the page (each reads every history). */
    private static final int REDRAW_EVERY = 5;

    private final MetricSeries series;
    private final ExternalRunService external;
    private final H2 title = new H2();
    private final Paragraph facts = new Paragraph();
    private final Grid<Map.Entry<String, String>> params = table("run-params");
    private final Grid<Map.Entry<String, String>> tags = table("run-tags");
    private final Paragraph noParams = new Paragraph("No params logged.");
    private final Paragraph noMetrics = new Paragraph("No metrics logged yet.");
    private final Div metrics = new Div();
    private final Paragraph noFiles = new Paragraph("No files uploaded (MLflow's log_artifact puts them here).");
    private final UnorderedList files = new UnorderedList();
    private final Map<String, EChart> charts = new LinkedHashMap<>();
    private Run shown;
    private int ticks;

    ExternalRunPanel(MetricSeries series, ExternalRunService external) {
        this.series = series;
        this.external = external;
        setPadding(false);
        setWidthFull();
        title.setId("run-title");
        facts.setId("run-facts");
        noParams.setId("run-params-none");
        noMetrics.setId("run-metrics-none");
        metrics.setId("run-metrics");
        metrics.setWidthFull();
        metrics.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "repeat(auto-fill, minmax(420px, 1fr))")
                .set("gap", "var(--lumo-space-m)");
        noFiles.setId("run-files-none");
        files.setId("run-files");
        add(
                title,
                facts,
                new H3("Metrics"),
                noMetrics,
                metrics,
                new H3("Params"),
                noParams,
                params,
                new H3("Tags"),
                tags,
                new H3("Files"),
                noFiles,
                files);
    }

    private static Grid<Map.Entry<String, String>> table(String id) {
        Grid<Map.Entry<String, String>> g = new Grid<>();
        g.setId(id);
        g.addColumn(Map.Entry::getKey).setHeader("Key").setAutoWidth(true).setFlexGrow(0);
        g.addColumn(Map.Entry::getValue).setHeader("Value").setFlexGrow(1);
        g.setAllRowsVisible(true);
        g.setWidth("720px");
        return g;
    }

    /** Shows the run as it is now; its charts and files are read again only when it moved on. */
    void show(Caller caller, Run run) {
        ExternalDetails x = run.external();
        title.setText(
                "Run " + run.id() + " · " + x.name() + " · " + run.status().jsonName());
        List<String> f = new ArrayList<>();
        f.add("logged from outside (MLflow)");
        f.add("MLflow run id " + x.mlflowRunId());
        f.add("team " + run.team());
        f.add("experiment " + run.experiment());
        if (run.startedAt() != null) {
            f.add("started " + WHEN.format(run.startedAt()));
        }
        if (run.finishedAt() != null) {
            f.add("ended " + WHEN.format(run.finishedAt()));
        }
        if (x.lifecycle().equals("deleted")) {
            f.add("deleted in MLflow (restore it with runs/restore)");
        }
        facts.setText(String.join(" · ", f));
        boolean moved = shown == null || !Objects.equals(shown, run);
        boolean live = !run.status().finished() && ++ticks % REDRAW_EVERY == 0;
        if (!moved && !live) {
            return;
        }
        shown = run;
        params.setItems(new ArrayList<>(x.params().entrySet()));
        params.setVisible(!x.params().isEmpty());
        noParams.setVisible(x.params().isEmpty());
        tags.setItems(new ArrayList<>(x.tags().entrySet()));
        drawMetrics(caller, run);
        listFiles(caller, run);
    }

    private void drawMetrics(Caller caller, Run run) {
        List<String> keys = run.external().metricKeys();
        noMetrics.setVisible(keys.isEmpty());
        if (!keys.equals(new ArrayList<>(charts.keySet()))) { // a new metric: the charts again, in name order
            charts.clear();
            metrics.removeAll();
            for (String key : keys) {
                EChart c = new EChart("300px");
                c.addClassName("run-metric");
                c.getElement().setAttribute("data-metric", key);
                charts.put(key, c);
                metrics.add(c);
            }
        }
        for (String key : keys) {
            EChart chart = charts.get(key);
            Curve c = series.curve(caller, run, key, Charts.MAX_POINTS);
            Map<String, Object> option =
                    new LinkedHashMap<>(Charts.chart(c.axis(), "", List.of(Charts.line(key, c)))); // titled instead
            option.put(
                    "title",
                    Map.of(
                            "text",
                            key,
                            "subtext",
                            String.format(Locale.ROOT, "%,d points", c.total())
                                    + (c.thinned()
                                            ? String.format(
                                                    Locale.ROOT,
                                                    ", %,d drawn",
                                                    c.points().size())
                                            : ""),
                            "left",
                            "center",
                            "top",
                            0,
                            "textStyle",
                            Map.of("fontSize", 14)));
            option.put("legend", Map.of("show", false));
            option.put("grid", Map.of("left", 60, "right", 20, "top", 50, "bottom", 40));
            chart.getElement().setAttribute("data-total", Integer.toString(c.total()));
            chart.setOption(option, c.points().size());
        }
    }

    private void listFiles(Caller caller, Run run) {
        files.removeAll();
        List<String> paths = new ArrayList<>();
        collect(caller, run.external().mlflowRunId(), "", paths);
        noFiles.setVisible(paths.isEmpty());
        files.setVisible(!paths.isEmpty());
        for (String path : paths) {
            Anchor a = new Anchor(download(run, path), path);
            a.getElement().setAttribute("download", path.substring(path.lastIndexOf('/') + 1));
            a.addClassName("run-file");
            files.add(new ListItem(a));
        }
    }

    /** Every file under {@code dir}, depth first, by its path from the run's artifact root. */
    private void collect(Caller caller, String mlflowRunId, String dir, List<String> out) {
        for (ExternalRunStore.FileEntry e : external.list(caller, mlflowRunId, dir)) {
            String path = dir.isEmpty() ? e.path() : dir + "/" + e.path();
            if (path.endsWith("/")) {
                collect(caller, mlflowRunId, path.substring(0, path.length() - 1), out);
            } else {
                out.add(path);
            }
        }
    }

    /** The file's address in MLflow's artifact proxy, relative to the dashboard's root. */
    static String download(Run run, String path) {
        StringBuilder s = new StringBuilder("api/2.0/mlflow-artifacts/artifacts/")
                .append(run.experiment())
                .append('/')
                .append(run.external().mlflowRunId())
                .append("/artifacts");
        for (String part : path.split("/")) {
            s.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return s.toString();
    }
}
