package io.sweeplab.app.mlflow;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.external.ExternalRunService;
import io.sweeplab.core.metric.MetricSeries;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.team.TeamService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The MLflow protocol's core service, wired to its JDBC store, and the metric curves of any run. */
@ApplicationScoped
public class MlflowBeans {

    @Produces
    @ApplicationScoped
    ExternalRunService externalRunService(JdbcExternalRunStore store, TeamService teams, AuditLog audit, Clock clock) {
        return new ExternalRunService(store, teams, audit, clock);
    }

    /** Any run's metric curves, trained or logged from outside, for the dashboard. */
    @Produces
    @ApplicationScoped
    MetricSeries metricSeries(RunService runs, ExternalRunService external) {
        return new MetricSeries(runs, external);
    }
}
