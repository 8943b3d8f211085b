package io.sweeplab.frontend.runs;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Every run of the user's teams, newest first, single runs and sweeps' runs alike. Live. */
@Route(value = "runs", layout = MainLayout.class)
@PageTitle("Runs · Sweeplab")
@RolesAllowed("user")
public class RunsView extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final RunService runs;
    private final CallerSource caller = CurrentUser.source();
    private final Grid<Run> grid = new Grid<>();
    private final Paragraph empty = new Paragraph("No runs in your teams yet: launch a sweep on the Launch page, or"
            + " queue a run through the API (POST /api/runs).");
    private final Live live;

    public RunsView(RunService runs) {
        this.runs = runs;
        setSizeFull();
        grid.setId("runs-grid");
        grid.addComponentColumn(r -> new Anchor("runs/" + r.id(), Long.toString(r.id())))
                .setHeader("Run")
                .setComparator(Run::id)
                .setSortable(true)
                .setWidth("80px")
                .setFlexGrow(0);
        grid.addColumn(Run::team)
                .setHeader("Team")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(r -> r.spec().architecture())
                .setHeader("Architecture")
                .setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(r -> r.sweep() == null ? "" : "sweep " + r.sweep() + " " + (r.cell() == null ? "" : r.cell()))
                .setHeader("Sweep cell")
                .setFlexGrow(1);
        grid.addColumn(r -> r.status().jsonName())
                .setHeader("Status")
                .setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(r -> r.epochsDone() + "/" + r.spec().epochs())
                .setHeader("Epochs")
                .setAutoWidth(true);
        grid.addColumn(r -> Charts.pct(r.testAccuracy()))
                .setHeader("Test acc.")
                .setComparator(r -> r.testAccuracy() == null ? -1 : r.testAccuracy())
                .setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(r -> WHEN.format(r.createdAt())).setHeader("Created").setAutoWidth(true);
        empty.setId("runs-empty");
        add(new H2("Runs"), empty, grid);
        refresh();
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 2000, this::refresh);
    }

    private void refresh() {
        List<Run> all = runs.list(caller.get(), null);
        grid.setItems(all.size() > 2000 ? all.subList(0, 2000) : all);
        empty.setVisible(all.isEmpty());
        grid.setVisible(!all.isEmpty());
    }
}
