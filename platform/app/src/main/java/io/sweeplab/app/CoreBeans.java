package io.sweeplab.app;

import io.sweeplab.core.team.TeamService;
import io.sweeplab.core.team.TeamStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the framework-free services of the core module into CDI. */
@ApplicationScoped
public class CoreBeans {

    @Produces
    @ApplicationScoped
    TeamService teamService(TeamStore store) {
        return new TeamService(store);
    }
}
