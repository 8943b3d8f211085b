package io.sweeplab.app.worker;

import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.RunService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workers")
@RolesAllowed("user")
public class WorkersResource {

    private final WorkerRegistry registry;
    private final InProcessWorker embedded;
    private final RunService runs;
    private final CurrentCaller caller;

    public WorkersResource(WorkerRegistry registry, InProcessWorker embedded, RunService runs, CurrentCaller caller) {
        this.registry = registry;
        this.embedded = embedded;
        this.runs = runs;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "Workers with their device, slots, status, current jobs and last heartbeat",
            description = "jobs lists only the runs of the caller's teams")
    public List<WorkerInfo> list() {
        Caller c = caller.get();
        return registry.workers().stream()
                .map(w -> w.withJobs(runs.visible(c, w.jobs())))
                .toList();
    }

    @POST
    @RolesAllowed("admin")
    @Path("{id}/pause")
    @Operation(summary = "Stop the embedded worker claiming new jobs (the ones it holds go on)")
    public WorkerInfo pause(@PathParam("id") String id) {
        return setPaused(id, true);
    }

    @POST
    @RolesAllowed("admin")
    @Path("{id}/resume")
    @Operation(summary = "Let a paused embedded worker claim jobs again")
    public WorkerInfo resume(@PathParam("id") String id) {
        return setPaused(id, false);
    }

    private WorkerInfo setPaused(String id, boolean paused) {
        caller.get().requireAdmin();
        WorkerInfo w = registry.workers().stream()
                .filter(x -> x.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("no worker '" + id + "'"));
        if (!id.equals(embedded.id())) {
            throw new ConflictException(
                    "id",
                    "only the embedded worker is paused from here; stop a remote worker"
                            + " with SIGTERM, and it hands its jobs back");
        }
        embedded.pause(paused);
        return w;
    }
}
