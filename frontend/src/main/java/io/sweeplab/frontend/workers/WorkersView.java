package io.sweeplab.frontend.workers;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.RunService;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The workers: device, slots, the runs they train now (of the user's teams), heartbeat age. Live. */
@Route(value = "workers", layout = MainLayout.class)
@PageTitle("Workers · Sweeplab")
@RolesAllowed("user")
public class WorkersView extends VerticalLayout {

    private final WorkerRegistry queue;
    private final RunService runs;
    private final CallerSource caller = CurrentUser.source();
    private final Grid<Shown> grid = new Grid<>();
    private final Paragraph empty = new Paragraph("No worker has registered yet: the platform's own worker is off"
            + " (sweeplab.worker.enabled) and no remote worker has connected.");
    private final Live live;

    public WorkersView(WorkerRegistry queue, RunService runs) {
        this.queue = queue;
        this.runs = runs;
        setSizeFull();
        grid.setId("workers-grid");
        grid.addColumn(s -> s.worker().name())
                .setHeader("Name")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(s -> s.worker().kind())
                .setHeader("Kind")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(s -> s.worker().status())
                .setHeader("Status")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(s -> s.worker().backend())
                .setHeader("Backend")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(s -> s.worker().device())
                .setHeader("Device")
                .setFlexGrow(1)
                .setTooltipGenerator(s -> s.worker().device());
        grid.addColumn(s -> s.worker().slots())
                .setHeader("Slots")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(WorkersView::jobs)
                .setHeader("Training now")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(s -> age(s.worker().lastHeartbeat()))
                .setHeader("Last heartbeat")
                .setAutoWidth(true)
                .setFlexGrow(0);
        empty.setId("workers-empty");
        add(new H2("Workers"), empty, grid);
        refresh();
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 2000, this::refresh);
    }

    private void refresh() {
        Caller now = caller.get();
        List<WorkerInfo> all = queue.workers();
        grid.setItems(all.stream()
                .map(w -> new Shown(w, runs.visible(now, w.jobs())))
                .toList());
        empty.setVisible(all.isEmpty());
        grid.setVisible(!all.isEmpty());
    }

    /** A worker with the jobs the user may see (read as the user is at this refresh). */
    private record Shown(WorkerInfo worker, List<Long> mine) {}

    private static String jobs(Shown s) {
        List<Long> all = s.worker().jobs();
        if (all == null || all.isEmpty()) {
            return "idle";
        }
        int others = all.size() - s.mine().size();
        String shown = s.mine().stream().map(id -> "run " + id).collect(Collectors.joining(", "));
        return shown + (others > 0 ? (shown.isEmpty() ? "" : ", ") + others + " of other teams" : "");
    }

    private static String age(Instant at) {
        if (at == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(at, Instant.now()).toSeconds());
        return s < 120 ? s + " s ago" : s / 60 + " min ago";
    }
}
