package io.sweeplab.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.access.Authenticator;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.UserService;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepRequest;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.frontend.runs.RunsView;
import io.sweeplab.frontend.security.SignedOutException;
import io.sweeplab.frontend.sweeps.SweepsView;
import io.sweeplab.frontend.teams.TeamsView;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dashboard pages stay open while an administrator or an owner changes who may do what. A page must act as its user
 * is now, in its handlers (requests of the same session, signed in as before) and in its live refreshes (run by a
 * timer, outside any request). The views are built the way the router builds them, in a request of the user's
 * session; the handlers and refreshes are then run as the browser and the timer run them.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class StaleCallerTest {

    static final AtomicInteger SEQ = new AtomicInteger();
    static final String PASSWORD = "stale-caller-password";

    @Inject
    TeamService teams;

    @Inject
    UserService users;

    @Inject
    Authenticator auth;

    @Inject
    RunService runs;

    @Inject
    SweepService sweeps;

    @Inject
    io.sweeplab.core.metric.MetricSeries series;

    @Inject
    InProcessWorker embedded;

    Caller admin;
    String team;

    @BeforeEach
    void team() {
        embedded.pause(true); // the runs stay queued: nothing here needs training
        admin = auth.user("admin").orElseThrow();
        team = "stale-" + System.nanoTime() % 1_000_000 + "-" + SEQ.incrementAndGet();
        teams.createTeam(admin, team, "Stale " + team);
    }

    @AfterEach
    void resume() {
        // the team's queued runs must not wait for the next test class's workers
        for (var e : teams.experiments(admin, team)) {
            teams.deleteExperiment(admin, team, e.id());
        }
        embedded.pause(false);
    }

    String user(String role) {
        String name = "u" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        users.create(admin, name, null, PASSWORD, false);
        users.setRole(admin, team, name, role);
        return name;
    }

    @Test
    void an_owner_demoted_while_the_teams_page_is_open_cannot_change_roles_with_it() {
        String owner = user("owner");
        String viewer = user("viewer");
        TeamsView page = asSignedIn(owner, () -> new TeamsView(teams, users));

        users.setRole(admin, team, owner, "member"); // an administrator demotes the owner

        inRequestOf(owner, () -> {
            find(page, TextField.class, "member-name").setValue(viewer);
            select(page).setValue("owner");
            find(page, Button.class, "add-member").click();
            return null;
        });
        assertThat(role(viewer))
                .as("the viewer's role after the demoted owner's click")
                .isEqualTo("viewer");
        assertThat(find(page, TextField.class, "member-name").isInvalid()).isTrue();
        assertThat(find(page, TextField.class, "member-name").getErrorMessage()).contains("owner");
    }

    @Test
    void a_member_removed_from_the_team_sees_none_of_its_work_on_the_next_live_refresh() throws Exception {
        String member = user("member");
        long experiment = teams.createExperiment(admin, team, null, "e", null).id();
        Run before = runs.submit(admin, run(experiment));
        RunsView runsPage = asSignedIn(member, () -> new RunsView(runs, series));
        SweepsView sweepsPage = asSignedIn(member, () -> new SweepsView(sweeps));
        assertThat(items(runsPage, "runs-grid", Run.class)).extracting(Run::id).contains(before.id());

        users.removeMember(admin, team, member);
        Run after = runs.submit(admin, run(experiment));
        Sweep sweep = sweeps.launch(
                admin,
                new SweepRequest(
                        experiment,
                        "after removal",
                        Map.of("architecture", "dense", "epochs", 1),
                        Map.of("epochs", List.of(1, 2))));

        liveRefresh(runsPage);
        liveRefresh(sweepsPage);
        assertThat(items(runsPage, "runs-grid", Run.class))
                .extracting(Run::team)
                .doesNotContain(team);
        assertThat(items(runsPage, "runs-grid", Run.class)).extracting(Run::id).doesNotContain(before.id(), after.id());
        assertThat(items(sweepsPage, "sweeps-grid", Sweep.class))
                .extracting(Sweep::id)
                .doesNotContain(sweep.id());
    }

    @Test
    void a_user_disabled_while_a_live_page_is_open_gets_nothing_more() {
        String member = user("member");
        RunsView page = asSignedIn(member, () -> new RunsView(runs, series));

        users.setDisabled(admin, member, true);

        // Live stops the page, empties it and sends the browser to sign out on this exception
        assertThatThrownBy(() -> liveRefresh(page)).hasRootCauseInstanceOf(SignedOutException.class);
    }

    static RunRequest run(Long experiment) {
        return new RunRequest(
                experiment,
                "dense",
                Map.of(),
                1,
                null,
                null,
                null,
                List.of(),
                List.of(),
                new RunRequest.DataRequest(100, 100, null, null),
                null,
                null);
    }

    String role(String username) {
        return users.members(admin, team).stream()
                .filter(m -> m.username().equals(username))
                .map(m -> m.role().jsonName())
                .findFirst()
                .orElse("none");
    }

    /** A request of the user's session: Quarkus has authenticated the session cookie (roles read as they are now). */
    <T> T inRequestOf(String username, Supplier<T> work) {
        ManagedContext request = Arc.container().requestContext();
        boolean activated = !request.isActive();
        if (activated) {
            request.activate();
        }
        try {
            Caller caller = auth.user(username).orElseThrow();
            Arc.container()
                    .instance(CurrentIdentityAssociation.class)
                    .get()
                    .setIdentity(QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(username))
                            .addRole("user")
                            .addAttribute(Caller.ATTRIBUTE, caller)
                            .build());
            return work.get();
        } finally {
            if (activated) {
                request.terminate();
            }
        }
    }

    <T> T asSignedIn(String username, Supplier<T> view) {
        return inRequestOf(username, view);
    }

    /** What the live timer runs: the view's refresh, on a thread of its own, outside any request. */
    static void liveRefresh(Component view) throws Exception {
        Method refresh = view.getClass().getDeclaredMethod("refresh");
        refresh.setAccessible(true);
        CompletableFuture.runAsync(() -> {
                    try {
                        refresh.invoke(view);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                })
                .get();
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> items(Component view, String id, Class<T> type) {
        return find(view, Grid.class, id).getGenericDataView().getItems().toList();
    }

    @SuppressWarnings("unchecked")
    static Select<String> select(Component view) {
        return descendants(view)
                .filter(Select.class::isInstance)
                .map(c -> (Select<String>) c)
                .findFirst()
                .orElseThrow();
    }

    static <T> T find(Component view, Class<T> type, String id) {
        return descendants(view)
                .filter(c -> c.getId().orElse("").equals(id))
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " on the page"));
    }

    static Stream<Component> descendants(Component c) {
        return Stream.concat(Stream.of(c), c.getChildren().flatMap(StaleCallerTest::descendants));
    }
}
