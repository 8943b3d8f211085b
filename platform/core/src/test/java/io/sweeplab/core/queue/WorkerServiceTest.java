package io.sweeplab.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Pausing and listing workers, with the registry and the audit log in memory. */
class WorkerServiceTest {

    /** The workers by id, each paused or not. */
    static final class Registry implements WorkerRegistry {
        final Map<String, WorkerInfo> workers = new LinkedHashMap<>();

        Registry add(String id, String kind, List<Long> jobs) {
            workers.put(
                    id,
                    new WorkerInfo(
                            id, id, kind, "cpu", "cpu: test", 1, null, null, 1, "online", false, null, null, jobs));
            return this;
        }

        @Override
        public void registerEmbedded(WorkerInfo me) {
            throw new UnsupportedOperationException();
        }

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
            return List.copyOf(workers.values());
        }

        @Override
        public Optional<WorkerInfo> setPaused(String id, boolean paused) {
            return Optional.ofNullable(workers.computeIfPresent(id, (k, w) -> w.withPaused(paused)));
        }
    }

    static final class Audit implements AuditLog {
        final List<String> actions = new ArrayList<>();

        @Override
        public void record(
                String actor, String action, String team, String target, Map<String, Object> details, String address) {
            actions.add(actor + " " + action + " " + target);
        }

        @Override
        public List<Entry> entries(Long before, int limit) {
            return List.of();
        }
    }

    static final Caller ADMIN = new Caller(1, "root", true, Map.of(), false, "session");
    static final Caller MEMBER = new Caller(2, "ann", false, Map.of("a", Role.OWNER), false, "session");

    final Registry registry =
            new Registry().add("embedded@host", "embedded", List.of()).add("remote@gpu", "remote", List.of(7L, 8L));
    final Audit audit = new Audit();
    final AtomicInteger wakes = new AtomicInteger();
    final WorkerService service = new WorkerService(
            registry,
            (caller, runs) ->
                    caller.admin() ? runs : runs.stream().filter(r -> r == 7L).toList(),
            audit,
            wakes::incrementAndGet);

    @Test
    void an_administrator_pauses_and_resumes_any_worker_embedded_or_remote() {
        assertThat(service.pause(ADMIN, "remote@gpu", true).paused()).isTrue();
        assertThat(service.list(ADMIN))
                .extracting(s -> s.worker().id(), s -> s.worker().paused())
                .containsExactly(Tuple.tuple("embedded@host", false), Tuple.tuple("remote@gpu", true));
        assertThat(wakes).hasValue(0);

        assertThat(service.pause(ADMIN, "remote@gpu", false).paused()).isFalse();
        assertThat(wakes).as("resumed workers are woken to claim at once").hasValue(1);
        assertThat(service.pause(ADMIN, "embedded@host", true).paused()).isTrue();
        assertThat(audit.actions)
                .containsExactly(
                        "root worker-pause worker remote@gpu",
                        "root worker-resume worker remote@gpu",
                        "root worker-pause worker embedded@host");
    }

    @Test
    void only_administrators_pause_and_an_unknown_worker_is_404() {
        assertThatThrownBy(() -> service.pause(MEMBER, "remote@gpu", true)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(
                        () -> service.pause(new Caller(1, "root", true, Map.of(), true, "token"), "remote@gpu", true))
                .as("a read-only token")
                .isInstanceOf(ForbiddenException.class);
        assertThat(registry.workers()).noneMatch(WorkerInfo::paused);
        assertThatThrownBy(() -> service.pause(ADMIN, "nobody", true))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no worker 'nobody'");
        assertThat(audit.actions).isEmpty();
    }

    @Test
    void the_list_shows_each_user_only_the_jobs_of_their_teams() {
        assertThat(service.list(MEMBER))
                .extracting(s -> s.worker().jobs(), WorkerService.Seen::otherJobs)
                .containsExactly(Tuple.tuple(List.of(), 0), Tuple.tuple(List.of(7L), 1));
        assertThat(service.list(ADMIN))
                .extracting(s -> s.worker().jobs(), WorkerService.Seen::otherJobs)
                .containsExactly(Tuple.tuple(List.of(), 0), Tuple.tuple(List.of(7L, 8L), 0));
    }
}
