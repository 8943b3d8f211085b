package io.sweeplab.app.worker;

import io.sweeplab.app.queue.JdbcJobQueue;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.queue.WorkerInfo;
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
public class WorkersResource {

    private final JdbcJobQueue queue;
    private final InProcessWorker embedded;

    public WorkersResource(JdbcJobQueue queue, InProcessWorker embedded) {
        this.queue = queue;
        this.embedded = embedded;
    }

    @GET
    @Operation(summary = "Workers with their device, slots, status, current jobs and last heartbeat")
    public List<WorkerInfo> list() {
        return queue.workers();
    }

    @POST
    @Path("{id}/pause")
    @Operation(summary = "Stop the embedded worker claiming new jobs (the ones it holds go on)")
    public WorkerInfo pause(@PathParam("id") String id) {
        return setPaused(id, true);
    }

    @POST
    @Path("{id}/resume")
    @Operation(summary = "Let a paused embedded worker claim jobs again")
    public WorkerInfo resume(@PathParam("id") String id) {
        return setPaused(id, false);
    }

    private WorkerInfo setPaused(String id, boolean paused) {
        WorkerInfo w = queue.workers().stream()
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
