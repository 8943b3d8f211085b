package io.sweeplab.frontend.sweeps;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The sweeps of the signed-in user's teams, newest first. */
@Route(value = "sweeps", layout = MainLayout.class)
@PageTitle("Sweeps · Sweeplab")
@RolesAllowed("user")
public class SweepsView extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final SweepService sweeps;
    private final CallerSource caller = CurrentUser.source();
    private final Grid<Sweep> grid = new Grid<>(Sweep.class, false);
    private final Paragraph empty;
    private final io.sweeplab.frontend.components.Live live;

    public SweepsView(SweepService sweeps) {
        this.sweeps = sweeps;
        setSizeFull();
        grid.setId("sweeps-grid");
        grid.addColumn(Sweep::id)
                .setHeader("Id")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(Sweep::team).setHeader("Team").setSortable(true).setAutoWidth(true);
        grid.addComponentColumn(s -> new com.vaadin.flow.component.html.Anchor("sweeps/" + s.id(), s.name()))
                .setHeader("Name")
                .setComparator(Sweep::name)
                .setSortable(true)
                .setFlexGrow(1);
        grid.addColumn(SweepsView::kind).setHeader("Kind").setSortable(true).setAutoWidth(true);
        grid.addColumn(s -> s.template() == null ? "" : s.template())
                .setHeader("Template")
                .setAutoWidth(true);
        grid.addColumn(Sweep::status).setHeader("Status").setSortable(true).setAutoWidth(true);
        grid.addColumn(s -> finished(s) + " / " + s.size())
                .setHeader("Runs done")
                .setAutoWidth(true);
        grid.addColumn(s -> WHEN.format(s.createdAt()))
                .setHeader("Created")
                .setSortable(true)
                .setAutoWidth(true);
        empty = new Paragraph("No sweeps in your teams yet: launch one of the lab's exercises on the"
                + " Launch page, or through the API (POST /api/sweeps).");
        empty.setId("sweeps-empty");
        add(new H2("Sweeps"), empty, grid);
        refresh();
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 2000, this::refresh);
    }

    private void refresh() {
        List<Sweep> all = sweeps.list(caller.get(), null);
        grid.setItems(all);
        empty.setVisible(all.isEmpty());
        grid.setVisible(!all.isEmpty());
    }

    /** A grid, or a search with its strategy and budget, for example {@code tpe search, 30 trials}. */
    static String kind(Sweep s) {
        return s.isSearch()
                ? s.search().strategy().id() + " search, " + s.search().budget().maxRuns() + " trials"
                : "grid";
    }

    private static int finished(Sweep s) {
        return s.counts().entrySet().stream()
                .filter(e -> !e.getKey().equals("queued") && !e.getKey().equals("running"))
                .mapToInt(java.util.Map.Entry::getValue)
                .sum();
    }
}
