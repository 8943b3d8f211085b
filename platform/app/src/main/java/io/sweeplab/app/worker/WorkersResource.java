package io.sweeplab.app.worker;

import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerService;
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

    private final WorkerService workers;
    private final CurrentCaller caller;

    public WorkersResource(WorkerService workers, CurrentCaller caller) {
        this.workers = workers;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "Workers with their device, slots, status, whether paused, current jobs and last heartbeat",
            description = "jobs lists only the runs of the caller's teams")
    public List<WorkerInfo> list() {
        return workers.list(caller.get()).stream()
                .map(WorkerService.Seen::worker)
                .toList();
    }

    @POST
    @RolesAllowed("admin")
    @Path("{id}/pause")
    @Operation(
            summary = "Stop a worker, embedded or remote, claiming new jobs (the ones it holds go on); administrators",
            description = "Answers the worker with paused true. The pause lasts until it is resumed or the worker"
                    + " registers again (a restart).")
    public WorkerInfo pause(@PathParam("id") String id) {
        return workers.pause(caller.get(), id, true);
    }

    @POST
    @RolesAllowed("admin")
    @Path("{id}/resume")
    @Operation(summary = "Let a paused worker claim jobs again; administrators")
    public WorkerInfo resume(@PathParam("id") String id) {
        return workers.pause(caller.get(), id, false);
    }
}
