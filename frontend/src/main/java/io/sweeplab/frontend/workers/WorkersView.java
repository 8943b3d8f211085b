package io.sweeplab.frontend.workers;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.launch.Durations;
import io.sweeplab.core.launch.Launch;
import io.sweeplab.core.launch.LaunchOverview;
import io.sweeplab.core.launch.LauncherSettings;
import io.sweeplab.core.launch.LauncherStatus;
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
 * administrators pause and resume them here, and see the launchers (Slurm, Kubernetes) and the workers they started.
 * Live.
 */
@Route(value = "workers", layout = MainLayout.class)
@PageTitle("Workers · Sweeplab")
@RolesAllowed("user")
public class WorkersView extends VerticalLayout {

    private final WorkerService workers;
    private final LaunchOverview launches;
    private final Supplier<Caller> caller;
    private final Grid<Launch> launched = new Grid<>();
    private final Div launchers = new Div();
    private final VerticalLayout launchSection = new VerticalLayout();
    private final Grid<Seen> grid = new Grid<>();
    private final Grid.Column<Seen> actions;
    private final Paragraph empty = new Paragraph("No worker has registered yet: the platform's own worker is off"
            + " (sweeplab.worker.enabled) and no remote worker has connected.");
    private final Live live;

    @jakarta.inject.Inject // two constructors: the dashboard's, and the tests' with a given user
    public WorkersView(WorkerService workers, LaunchOverview launches) {
        this(workers, launches, CurrentUser.source());
    }

    /** @param caller the page's user as they are now */
    WorkersView(WorkerService workers, LaunchOverview launches, Supplier<Caller> caller) {
        this.workers = workers;
        this.launches = launches;
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
        grid.setAllRowsVisible(true); // the launched workers below it stay in view
        launchers.setId("launchers");
        launched.setId("launches-grid");
        launched.addColumn(Launch::workerName)
                .setHeader("Worker")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.addColumn(Launch::launcher)
                .setHeader("Launcher")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.addColumn(l -> l.kind().name().toLowerCase(java.util.Locale.ROOT))
                .setHeader("Kind")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.addColumn(l -> l.state().jsonName())
                .setHeader("State")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.addColumn(Launch::detail)
                .setHeader("Engine says")
                .setFlexGrow(1)
                .setTooltipGenerator(Launch::detail);
        launched.addColumn(Launch::externalId)
                .setHeader("Engine id")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.addColumn(l -> age(l.createdAt()))
                .setHeader("Launched")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.addColumn(l -> l.endedAt() == null ? "" : age(l.endedAt()))
                .setHeader("Ended")
                .setAutoWidth(true)
                .setFlexGrow(0);
        launched.setAllRowsVisible(true);
        launchSection.setPadding(false);
        launchSection.add(new H3("Launched workers"), launchers, launched);
        add(new H2("Workers"), empty, grid, launchSection);
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
        refreshLaunches(now);
    }

    /** For administrators, when a launcher is configured or launched something: the launchers and their workers. */
    private void refreshLaunches(Caller now) {
        if (!now.admin()) {
            launchSection.setVisible(false);
            return;
        }
        LaunchOverview.Overview o = launches.overview(now);
        List<LauncherStatus> named = o.launchers().stream()
                .filter(l -> l.enabled()
                        || o.launches().stream().anyMatch(x -> x.launcher().equals(l.id())))
                .toList();
        launchSection.setVisible(!named.isEmpty() || !o.launches().isEmpty());
        launchers.removeAll();
        for (LauncherStatus l : named) {
            Paragraph p = new Paragraph(describe(l));
            p.setId("launcher-" + l.id());
            if (!l.problems().isEmpty()) {
                p.getStyle().set("color", "var(--lumo-error-text-color)");
            }
            launchers.add(p);
        }
        launched.setItems(o.launches());
        launched.setVisible(!o.launches().isEmpty());
    }

    /** One line on a launcher: what it may start, or why it does not run. */
    static String describe(LauncherStatus l) {
        if (!l.problems().isEmpty()) {
            return l.id() + ": not run: " + String.join("; ", l.problems());
        }
        if (!l.enabled()) {
            return l.id() + ": off (sweeplab.launchers." + l.id() + ".enabled)";
        }
        LauncherSettings s = l.settings();
        return l.id() + ": on: at most " + s.maxWorkers() + " CPU and " + s.maxGpuWorkers() + " GPU workers"
                + (s.maxGpuWorkers() > 0 ? " (" + s.gpus() + (s.gpus() == 1 ? " GPU" : " GPUs") + " each), " : ", ")
                + s.cpus() + (s.cpus() == 1 ? " core and " : " cores and ") + s.memoryMb()
                + " MiB each"
                + (s.timeLimit() == null ? "" : ", for at most " + Durations.format(s.timeLimit()))
                + "; a worker exits after " + Durations.format(s.idleExit()) + " without a job"
                + (s.team() == null ? "" : "; team " + s.team() + " only");
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
