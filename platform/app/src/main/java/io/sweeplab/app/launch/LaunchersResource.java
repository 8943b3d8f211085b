package io.sweeplab.app.launch;

import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.launch.Durations;
import io.sweeplab.core.launch.Launch;
import io.sweeplab.core.launch.LaunchOverview;
import io.sweeplab.core.launch.LauncherSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The launchers and the workers they started, for administrators. */
@Path("/api/launchers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workers")
@RolesAllowed("admin")
public class LaunchersResource {

    /** A launcher as the API shows it: its settings (no secrets: a launcher's params hold none) or its problems. */
    public record LauncherView(
            String id,
            boolean enabled,
            List<String> problems,
            Integer maxWorkers,
            Integer maxGpuWorkers,
            Integer cpus,
            Long memoryMb,
            Integer gpus,
            String timeLimit,
            String idleExit,
            String team,
            Map<String, Object> params) {}

    public record LaunchView(
            long id,
            String launcher,
            String kind,
            String externalId,
            String workerName,
            String state,
            String detail,
            Instant createdAt,
            Instant endedAt) {}

    public record Launchers(List<LauncherView> launchers, List<LaunchView> launches) {}

    private final LaunchOverview overview;
    private final CurrentCaller caller;

    public LaunchersResource(LaunchOverview overview, CurrentCaller caller) {
        this.overview = overview;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "The launchers (enabled or not, with their settings or what is wrong with them) and the latest"
                    + " 100 workers they started, newest first; administrators")
    public Launchers list() {
        LaunchOverview.Overview o = overview.overview(caller.get());
        List<LauncherView> launchers = o.launchers().stream()
                .map(s -> {
                    LauncherSettings c = s.settings();
                    return c == null
                            ? new LauncherView(
                                    s.id(),
                                    s.enabled(),
                                    s.problems(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    Map.of())
                            : new LauncherView(
                                    s.id(),
                                    s.enabled(),
                                    s.problems(),
                                    c.maxWorkers(),
                                    c.maxGpuWorkers(),
                                    c.cpus(),
                                    c.memoryMb(),
                                    c.gpus(),
                                    c.timeLimit() == null ? null : Durations.format(c.timeLimit()),
                                    Durations.format(c.idleExit()),
                                    c.team(),
                                    new LinkedHashMap<>(c.params().asMap()));
                })
                .toList();
        List<LaunchView> launches =
                o.launches().stream().map(LaunchersResource::view).toList();
        return new Launchers(launchers, launches);
    }

    static LaunchView view(Launch l) {
        return new LaunchView(
                l.id(),
                l.launcher(),
                l.kind().name().toLowerCase(Locale.ROOT),
                l.externalId(),
                l.workerName(),
                l.state().jsonName(),
                l.detail(),
                l.createdAt(),
                l.endedAt());
    }
}
