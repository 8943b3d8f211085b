package io.sweeplab.frontend.workers;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerService;
import io.sweeplab.core.queue.WorkerService.Seen;
import io.sweeplab.frontend.components.Live;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The workers: status (paused or not), device, slots, the runs they train now (of the user's teams), heartbeat age;
 * administrators pause and resume them here. Live.
 */
@Route(value = "workers", layout = MainLayout.class)
@PageTitle("Workers · Sweeplab")
@RolesAllowed("user")
public class WorkersView extends VerticalLayout {

    private final WorkerService workers;
    private final Supplier<Caller> caller;
    private final Grid<Seen> grid = new Grid<>();
    private final Grid.Column<Seen> actions;
    private final Paragraph empty = new Paragraph("No worker has registered yet: the platform's own worker is off"
            + " (sweeplab.worker.enabled) and no remote worker has connected.");
    private final Live live;

    @jakarta.inject.Inject // two constructors: the dashboard's, and the tests' with a given user
    public WorkersView(WorkerService workers) {
        this(workers, CurrentUser.source());
    }

    /** @param caller the page's user as they are now */
    WorkersView(WorkerService workers, Supplier<Caller> caller) {
        this.workers = workers;
        this.caller = caller;
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
        grid.addColumn(s -> status(s.worker()))
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
        actions = grid.addComponentColumn(s -> actions(s.worker()))
                .setHeader("")
                .setAutoWidth(true)
                .setFlexGrow(0);
        empty.setId("workers-empty");
        add(new H2("Workers"), empty, grid);
        refresh();
        live = io.sweeplab.frontend.components.Live.whileAttached(this, 2000, this::refresh);
    }

    private void refresh() {
        Caller now = caller.get();
        List<Seen> all = workers.list(now);
        actions.setVisible(now.admin()); // the API refuses the others: they get no buttons
        grid.setItems(all);
        empty.setVisible(all.isEmpty());
        grid.setVisible(!all.isEmpty());
    }

    /** Online or offline, and paused. */
    static String status(WorkerInfo w) {
        return w.paused() ? w.status() + ", paused" : w.status();
    }

    /** For administrators, the button that pauses or resumes the worker; nothing for other users. */
    Component actions(WorkerInfo w) {
        if (!caller.get().admin()) {
            return new Span();
        }
        Button b = new Button(w.paused() ? "Resume" : "Pause", e -> {
            try {
                workers.pause(caller.get(), w.id(), !w.paused());
            } catch (ForbiddenException | NotFoundException ex) {
                Notification.show(ex.getMessage());
            }
            refresh();
        });
        b.setId((w.paused() ? "resume-" : "pause-") + w.id());
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return b;
    }

    /** The runs a worker trains now: those of the user's teams by id, the others counted. */
    static String jobs(Seen s) {
        List<Long> mine = s.worker().jobs();
        if (mine.isEmpty() && s.otherJobs() == 0) {
            return "idle";
        }
        String shown = mine.stream().map(id -> "run " + id).collect(Collectors.joining(", "));
        return shown + (s.otherJobs() > 0 ? (shown.isEmpty() ? "" : ", ") + s.otherJobs() + " of other teams" : "");
    }

    private static String age(Instant at) {
        if (at == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(at, Instant.now()).toSeconds());
        return s < 120 ? s + " s ago" : s / 60 + " min ago";
    }
}
