package io.sweeplab.frontend.runs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.metric.MetricSeries;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.EChart;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every run of the user's teams, newest first: single runs, sweeps' runs and runs logged from outside (MLflow) alike,
 * filtered by words and by source. The runs ticked (one by one, or all those the filter keeps) are compared below: one metric of theirs overlaid on one chart
 * (any name the runs logged), and their latest values side by side. Live.
 */
@Route(value = "runs", layout = MainLayout.class)
@PageTitle("Runs · Sweeplab")
@RolesAllowed("user")
public class RunsView extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final int MAX_ROWS = 2000;
    private static final int VISIBLE_ROWS = 12;
    /** The most runs "Tick all shown" adds: more lines than this make no readable chart. */
    static final int MAX_COMPARED = 50;

    private final RunService runs;
    private final MetricSeries series;
    private final CallerSource caller = CurrentUser.source();
    private final TextField filter = new TextField();
    private final Select<String> source = new Select<>();
    private final Grid<Run> grid = new Grid<>();
    private final Paragraph empty = new Paragraph("No runs in your teams yet: launch a sweep on the Launch page, queue"
            + " a run through the API (POST /api/runs), or log one from outside with an MLflow client.");
    private final Paragraph hint = new Paragraph("Tick runs above to compare them: trained and external runs alike.");
    private final Select<String> metric = new Select<>();
    private final Button clear = new Button("Clear selection");
    private final Button tickShown = new Button("Tick all shown");
    private final EChart overlay = new EChart("360px");
    private final Paragraph without = new Paragraph();
    private final Grid<RunsComparison.Latest> latest = new Grid<>();
    /** The runs ticked, by id, in the order ticked (the grid's rows are new objects at every refresh). */
    private final Set<Long> selected = new LinkedHashSet<>();

    private List<Run> all = List.of();
    private List<Run> shown = List.of();
    private List<String> metricsShown = List.of();
    private final Live live;

    public RunsView(RunService runs, MetricSeries series) {
        this.runs = runs;
        this.series = series;
        setWidthFull();
        filter.setId("runs-filter");
        filter.setPlaceholder("filter: name, run id, architecture, status, team");
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.setWidth("420px");
        filter.addValueChangeListener(e -> showRows());
        source.setId("runs-source");
        source.setLabel("Source");
        source.setItems(RunsComparison.ALL, "trained", "external");
        source.setValue(RunsComparison.ALL);
        source.addValueChangeListener(e -> showRows());
        tickShown.setId("runs-select-shown");
        tickShown.setTooltipText("compare the runs the filter keeps (the first " + MAX_COMPARED + ")");
        tickShown.addClickListener(e -> {
            shown.stream().limit(MAX_COMPARED).forEach(r -> selected.add(r.id()));
            showRows();
            drawComparison();
        });
        HorizontalLayout filters = new HorizontalLayout(filter, source, tickShown);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        grid.setId("runs-grid");
        grid.addComponentColumn(r -> {
                    HorizontalLayout cell =
                            new HorizontalLayout(tick(r), new Anchor("runs/" + r.id(), Long.toString(r.id())));
                    cell.setSpacing(false);
                    cell.getStyle().set("gap", "var(--lumo-space-s)");
                    cell.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
                    return cell;
                })
                .setHeader("Run")
                .setComparator(Run::id)
                .setSortable(true)
                .setWidth("84px")
                .setFlexGrow(0);
        grid.addColumn(Run::source)
                .setHeader("Source")
                .setSortable(true)
                .setWidth("100px")
                .setFlexGrow(0);
        // an external run's name, a trained run's architecture (its spec stands in for one: architecture "external")
        grid.addColumn(r -> r.external() == null
                        ? r.spec().architecture()
                        : r.external().name())
                .setHeader("Name")
                .setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(Run::team)
                .setHeader("Team")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(r -> r.sweep() == null ? "" : "sweep " + r.sweep() + " " + (r.cell() == null ? "" : r.cell()))
                .setHeader("Sweep cell")
                .setWidth("120px")
                .setFlexGrow(1);
        // a trained run's epochs beside its status; an external run's lifecycle (MLflow deletes softly)
        grid.addColumn(r -> r.status().jsonName()
                        + (r.external() == null
                                ? " · " + r.epochsDone() + "/" + r.spec().epochs()
                                : r.external().lifecycle().equals("deleted") ? " · deleted" : ""))
                .setHeader("Status · epochs")
                .setComparator(r -> r.status().jsonName())
                .setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(r -> Charts.pct(r.testAccuracy()))
                .setHeader("Test acc.")
                .setComparator(r -> r.testAccuracy() == null ? -1 : r.testAccuracy())
                .setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(r -> WHEN.format(r.createdAt())).setHeader("Created").setAutoWidth(true);
        empty.setId("runs-empty");

        hint.setId("runs-compare-hint");
        metric.setId("runs-metric");
        metric.setLabel("Metric");
        metric.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                drawComparison();
            }
        });
        clear.setId("runs-clear-selection");
        clear.addClickListener(e -> {
            selected.clear();
            showRows();
            drawComparison();
        });
        HorizontalLayout controls = new HorizontalLayout(metric, clear);
        controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        overlay.setId("runs-overlay");
        without.setId("runs-overlay-without");
        latest.setId("runs-latest");
        latest.setAllRowsVisible(true);
        add(
                new H2("Runs"),
                filters,
                empty,
                grid,
                new H3("Compare selected runs"),
                hint,
                controls,
                without,
                overlay,
                latest);
        refresh();
        drawComparison();
        live = Live.whileAttached(this, 2000, this::refresh);
    }

    private Checkbox tick(Run r) {
        Checkbox box = new Checkbox(selected.contains(r.id()));
        box.setId("runs-select-" + r.id());
        box.setAriaLabel("compare run " + r.id());
        box.setTooltipText("compare below");
        box.addValueChangeListener(e -> {
            if (e.getValue()) {
                selected.add(r.id());
            } else {
                selected.remove(r.id());
            }
            drawComparison();
        });
        return box;
    }

    private void refresh() {
        List<Run> before = chosen();
        all = runs.list(caller.get(), null);
        showRows();
        empty.setVisible(all.isEmpty());
        grid.setVisible(!all.isEmpty());
        List<Run> now = chosen();
        // a chosen run that moved on (or went) is drawn again; an unchanged chart is left as the user zoomed it
        if (!before.equals(now) || now.stream().anyMatch(r -> !r.status().finished())) {
            drawComparison();
        }
    }

    private void showRows() {
        shown = all.stream()
                .filter(r -> RunsComparison.matches(r, filter.getValue(), source.getValue()))
                .limit(MAX_ROWS)
                .toList();
        grid.setItems(shown);
        // a short list takes the room it needs; a long one scrolls in a grid of fixed height
        grid.setAllRowsVisible(shown.size() <= VISIBLE_ROWS);
        grid.setHeight(shown.size() > VISIBLE_ROWS ? "480px" : null);
    }

    /** The runs ticked that are still there, in the order ticked. */
    private List<Run> chosen() {
        List<Run> out = new ArrayList<>();
        for (long id : selected) {
            all.stream().filter(r -> r.id() == id).findFirst().ifPresent(out::add);
        }
        return out;
    }

    private void drawComparison() {
        List<Run> chosen = chosen();
        boolean any = !chosen.isEmpty();
        hint.setVisible(!any);
        metric.setVisible(any);
        clear.setVisible(any);
        overlay.setVisible(any);
        latest.setVisible(any);
        without.setVisible(false);
        if (!any) {
            return;
        }
        Caller now = caller.get();
        List<String> names = RunsComparison.metrics(chosen);
        String pick = RunsComparison.metric(chosen, metric.getValue()).orElse(null);
        if (!names.equals(metricsShown)) {
            metricsShown = names;
            metric.setItems(names);
        }
        if (!Objects.equals(metric.getValue(), pick)) {
            metric.setValue(pick);
        }
        if (pick == null) {
            without.setText("The runs selected have no metrics yet.");
            without.setVisible(true);
            overlay.setVisible(false);
        } else {
            RunsComparison.Overlay o = RunsComparison.overlay(series, now, chosen, pick);
            overlay.setOption(o.option(), o.points());
            if (!o.without().isEmpty()) {
                without.setText("No " + pick + " in "
                        + o.without().stream().map(RunsComparison::label).collect(Collectors.joining(", ")) + ".");
                without.setVisible(true);
            }
        }
        latest.removeAllColumns();
        latest.addColumn(l -> RunsComparison.label(l.run()))
                .setHeader("Latest values")
                .setAutoWidth(true)
                .setFlexGrow(0);
        latest.addColumn(l -> l.run().source()).setHeader("Source").setAutoWidth(true);
        for (String m : names) {
            latest.addColumn(l -> RunsComparison.value(l.values().get(m)))
                    .setHeader(m)
                    .setAutoWidth(true);
        }
        latest.setItems(RunsComparison.latest(series, now, chosen, names));
    }
}
