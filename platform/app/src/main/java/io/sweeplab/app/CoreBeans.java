package io.sweeplab.app;

import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.core.team.TeamStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the framework-free services of the core module into CDI. */
@ApplicationScoped
public class CoreBeans {

    @Produces
    @ApplicationScoped
    TeamService teamService(TeamStore store) {
        return new TeamService(store);
    }

    @Produces
    @ApplicationScoped
    RunService runService(
            PluginRegistry plugins,
            RunStore runs,
            TeamStore teams,
            InProcessWorker worker,
            @ConfigProperty(name = "sweeplab.plugins.call-timeout", defaultValue = "10s") Duration callLimit) {
        return new RunService(plugins, runs, teams::experimentExists, worker::wake, worker::cancel, callLimit);
    }
}
