package io.sweeplab.frontend.workers;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.queue.WorkerCredential;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.queue.WorkerService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Workers page without a browser: its status column and the pause button administrators alone get. */
class WorkersViewTest {

    static final Caller ADMIN = new Caller(1, "root", true, Map.of(), false, "session");
    static final Caller MEMBER = new Caller(2, "ann", false, Map.of("a", Role.OWNER), false, "session");

    /** One remote worker, in memory. */
    final Map<String, WorkerInfo> registered = new LinkedHashMap<>(Map.of(
            "remote@gpu",
            new WorkerInfo(
                    "remote@gpu",
                    "gpu",
                    "remote",
                    "cuda",
                    "cuda: test",
                    4,
                    "test GPU",
                    1024L,
                    1,
                    "online",
                    false,
                    null,
                    null,
                    List.of())));

    final WorkerService service = new WorkerService(
            new WorkerRegistry() {
                @Override
                public void registerEmbedded(WorkerInfo me) {}

                @Override
                public Registration registerRemote(WorkerInfo announced, WorkerCredential credential) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Optional<String> authenticate(WorkerCredential credential, String key) {
                    return Optional.empty();
                }

                @Override
                public List<WorkerInfo> workers() {
                    return List.copyOf(registered.values());
                }

                @Override
                public Optional<WorkerInfo> setPaused(String id, boolean paused) {
                    return Optional.ofNullable(registered.computeIfPresent(id, (k, w) -> w.withPaused(paused)));
                }
            },
            (caller, runs) -> runs,
            new AuditLog() {
                @Override
                public void record(
                        String actor,
                        String action,
                        String team,
                        String target,
                        Map<String, Object> details,
                        String address) {}

                @Override
                public List<Entry> entries(Long before, int limit) {
                    return List.of();
                }
            },
            () -> {});

    /** No launcher configured, nothing launched. */
    static final io.sweeplab.core.launch.LaunchOverview NO_LAUNCHES =
            new io.sweeplab.core.launch.LaunchOverview(List::of, n -> List.of());

    static Grid.Column<?> actionsColumn(WorkersView view) {
        Grid<?> grid = (Grid<?>)
                view.getChildren().filter(c -> c instanceof Grid).findFirst().orElseThrow();
        List<? extends Grid.Column<?>> columns = grid.getColumns();
        return columns.get(columns.size() - 1);
    }

    WorkerInfo worker() {
        return registered.get("remote@gpu");
    }

    @Test
    void an_administrator_pauses_and_resumes_a_worker_and_its_status_says_paused() {
        WorkersView view = new WorkersView(service, NO_LAUNCHES, () -> ADMIN);
        assertThat(actionsColumn(view).isVisible()).isTrue();
        assertThat(WorkersView.status(worker())).isEqualTo("online");

        Component pause = view.actions(worker());
        assertThat(pause)
                .isInstanceOfSatisfying(
                        Button.class, b -> assertThat(b.getText()).isEqualTo("Pause"));
        ((Button) pause).click();
        assertThat(worker().paused()).isTrue();
        assertThat(WorkersView.status(worker())).isEqualTo("online, paused");

        Component resume = view.actions(worker());
        assertThat(resume)
                .isInstanceOfSatisfying(
                        Button.class, b -> assertThat(b.getText()).isEqualTo("Resume"));
        ((Button) resume).click();
        assertThat(worker().paused()).isFalse();
    }

    @Test
    void other_users_see_the_status_and_no_buttons() {
        registered.computeIfPresent("remote@gpu", (k, w) -> w.withPaused(true));
        WorkersView view = new WorkersView(service, NO_LAUNCHES, () -> MEMBER);
        assertThat(actionsColumn(view).isVisible()).isFalse();
        assertThat(view.actions(worker())).isNotInstanceOf(Button.class);
        assertThat(view.actions(worker()).getChildren()).isEmpty();
        assertThat(WorkersView.status(worker())).isEqualTo("online, paused");
    }

    @Test
    void administrators_see_the_launchers_and_what_they_launched_and_others_do_not() {
        var slurm = io.sweeplab.core.launch.LauncherSettings.parse(
                "slurm", Map.of("max-workers", "3", "time-limit", "4h"), io.sweeplab.plugin.api.ParamSchema.empty());
        var statuses = List.of(
                new io.sweeplab.core.launch.LauncherStatus("slurm", true, slurm.settings(), List.of()),
                new io.sweeplab.core.launch.LauncherStatus(
                        "kubernetes", true, null, List.of("sweeplab.launchers.kubernetes.image: is required")));
        var launch = new io.sweeplab.core.launch.Launch(
                7,
                "slurm",
                io.sweeplab.plugin.api.WorkerRequest.Kind.CPU,
                "4242",
                "slurm-4242",
                io.sweeplab.core.launch.LaunchState.PENDING,
                "PENDING (Resources)",
                java.time.Instant.now(),
                null);
        var overview = new io.sweeplab.core.launch.LaunchOverview(() -> statuses, n -> List.of(launch));

        WorkersView admin = new WorkersView(service, overview, () -> ADMIN);
        Component section = admin.getChildren().reduce((a, b) -> b).orElseThrow();
        assertThat(section.isVisible()).isTrue();
        assertThat(WorkersView.describe(statuses.get(0)))
                .isEqualTo("slurm: on: at most 3 CPU and 0 GPU workers, 1 core and 4096 MiB each, for at"
                        + " most 4h; a worker exits after 2m without a job");
        assertThat(WorkersView.describe(statuses.get(1)))
                .isEqualTo("kubernetes: not run: sweeplab.launchers.kubernetes.image: is required");
        @SuppressWarnings("unchecked")
        Grid<io.sweeplab.core.launch.Launch> grid = (Grid<io.sweeplab.core.launch.Launch>)
                section.getChildren().filter(c -> c instanceof Grid).findFirst().orElseThrow();
        assertThat(grid.getId()).hasValue("launches-grid");
        assertThat(grid.getGenericDataView().getItems().toList()).containsExactly(launch);

        WorkersView member = new WorkersView(service, overview, () -> MEMBER);
        assertThat(member.getChildren().reduce((a, b) -> b).orElseThrow().isVisible())
                .isFalse();
    }
}
