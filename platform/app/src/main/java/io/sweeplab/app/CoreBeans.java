package io.sweeplab.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.sweeplab.app.problem.JsonErrors;
import io.sweeplab.app.security.BcryptHasher;
import io.sweeplab.app.security.JdbcLoginFailureStore;
import io.sweeplab.app.worker.CancelBroadcast;
import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Authenticator;
import io.sweeplab.core.access.LoginThrottle;
import io.sweeplab.core.access.PasswordHasher;
import io.sweeplab.core.access.TokenService;
import io.sweeplab.core.access.UserService;
import io.sweeplab.core.access.UserStore;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.queue.WorkerService;
import io.sweeplab.core.run.RunLimits;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.core.sweep.SearchDriver;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.core.sweep.SweepStore;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.core.team.TeamStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the framework-free services of the core module into CDI. */
@ApplicationScoped
public class CoreBeans {

    @Produces
    @ApplicationScoped
    TeamService teamService(TeamStore store, AuditLog audit) {
        return new TeamService(store, audit);
    }

    @Produces
    @ApplicationScoped
    PasswordHasher passwordHasher() {
        return new BcryptHasher();
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    LoginThrottle loginThrottle(JdbcLoginFailureStore failures, Clock clock) {
        return new LoginThrottle(failures, clock);
    }

    @Produces
    @ApplicationScoped
    Authenticator authenticator(
            UserStore users, PasswordHasher hasher, LoginThrottle throttle, AuditLog audit, Clock clock) {
        return new Authenticator(users, hasher, throttle, audit, clock);
    }

    @Produces
    @ApplicationScoped
    UserService userService(UserStore users, PasswordHasher hasher, AuditLog audit, TeamStore teams) {
        return new UserService(users, hasher, audit, slug -> teams.team(slug).isPresent());
    }

    @Produces
    @ApplicationScoped
    TokenService tokenService(UserStore users, AuditLog audit) {
        return new TokenService(users, audit);
    }

    @Produces
    @ApplicationScoped
    RunService runService(
            PluginCatalog plugins,
            RunStore runs,
            TeamStore teams,
            InProcessWorker worker,
            CancelBroadcast cancels,
            AuditLog audit,
            @ConfigProperty(name = "sweeplab.plugins.call-timeout", defaultValue = "10s") Duration callLimit,
            @ConfigProperty(name = "sweeplab.runs.max-memory") Optional<MemorySize> maxMemory,
            @ConfigProperty(name = "sweeplab.team.max-queued-runs", defaultValue = "1000") int maxQueued) {
        return new RunService(
                plugins::registry,
                runs,
                teams::experimentTeam,
                worker::wake,
                cancels::cancelled,
                callLimit,
                audit,
                new RunLimits(
                        maxMemory.map(MemorySize::asLongValue).orElseGet(CoreBeans::embeddedWorkerMemory), maxQueued));
    }

    @Produces
    @ApplicationScoped
    WorkerService workerService(WorkerRegistry registry, RunService runs, AuditLog audit, InProcessWorker worker) {
        return new WorkerService(registry, runs::visible, audit, worker::wake);
    }

    /**
     * What one run may need when no limit is configured: half the heap of this JVM, where the embedded worker
     * trains (the fast engine keeps its arrays on the heap; half leaves room for a second slot and the platform).
     */
    static long embeddedWorkerMemory() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    @Produces
    @ApplicationScoped
    SweepService sweepService(
            RunService runs,
            RunStore runStore,
            SweepStore sweeps,
            ObjectMapper json,
            InProcessWorker worker,
            CancelBroadcast cancels,
            AuditLog audit,
            SearchDriver search,
            @ConfigProperty(name = "sweeplab.sweeps.max-runs", defaultValue = "500") int maxRuns) {
        return new SweepService(
                runs,
                sweeps,
                map -> readRunRequest(json, map),
                maxRuns,
                worker::wake,
                cancels::cancelled,
                audit,
                runStore,
                search);
    }

    @Produces
    @ApplicationScoped
    SearchDriver searchDriver(
            RunService runs,
            RunStore runStore,
            SweepStore sweeps,
            ObjectMapper json,
            InProcessWorker worker,
            CancelBroadcast cancels,
            Clock clock) {
        return new SearchDriver(
                sweeps, runStore, runs, map -> readRunRequest(json, map), worker::wake, cancels::cancelled, clock);
    }

    /** Reads one cell's request as strictly as a request body, naming the field at fault. */
    static RunRequest readRunRequest(ObjectMapper json, Map<String, Object> tree) {
        try {
            return json.readValue(json.writeValueAsBytes(tree), RunRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(List.of(JsonErrors.fieldError(e, "")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
