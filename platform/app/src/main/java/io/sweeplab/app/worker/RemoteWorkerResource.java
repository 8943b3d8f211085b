package io.sweeplab.app.worker;

import io.sweeplab.app.db.CheckpointFiles;
import io.sweeplab.app.problem.Problem;
import io.sweeplab.app.queue.JdbcJobQueue;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.worker.train.CheckpointArchive;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The protocol remote workers speak: the job queue over HTTP, with checkpoints uploaded and downloaded as files.
 * Every call carries a worker token ({@code Authorization: Bearer <token>}: {@code sweeplab.worker.token}, or a token
 * of scope {@code worker} an administrator created); nothing else is open to that token. Workers
 * never touch the database.
 */
@Path("/api/worker")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Worker protocol")
@RolesAllowed("worker")
public class RemoteWorkerResource {

    public record Claim(String worker, boolean gpu) {}

    public record Heartbeat(String worker, List<JobRef> jobs) {}

    /** A long-poll for cancels of the runs a worker trains. */
    public record CancelPoll(String worker, List<Long> runs) {}

    public record Started(String device, ModelSummary summary) {}

    public record Finish(RunStore.Outcome outcome, int keepEpoch) {}

    /** What a worker learns when it registers: how long a lease lasts, so it knows how often to renew. */
    public record Registered(double leaseSeconds) {}

    private final JdbcJobQueue queue;
    private final CancelNotifier cancels;
    private final java.time.Duration cancelPoll;
    private final java.nio.file.Path checkpoints;

    public RemoteWorkerResource(
            JdbcJobQueue queue,
            CancelNotifier cancels,
            @ConfigProperty(name = "sweeplab.worker.cancel-poll", defaultValue = "20s") java.time.Duration cancelPoll,
            @ConfigProperty(name = "sweeplab.home") Optional<String> home) {
        this.queue = queue;
        this.cancels = cancels;
        this.cancelPoll = cancelPoll;
        this.checkpoints = home.map(java.nio.file.Path::of)
                .orElse(java.nio.file.Path.of(System.getProperty("user.home"), ".sweeplab"))
                .resolve("checkpoints");
    }

    /** Not this worker's (any more): it must stop the job. */
    @ServerExceptionMapper
    public Response leaseLost(LeaseLostException e) {
        return Problem.response(409, "lease-lost", "Lease lost", e.getMessage(), null);
    }

    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A remote worker announces itself and its device")
    public Registered register(WorkerInfo me) {
        if (me == null || me.id() == null || me.id().isBlank() || me.slots() < 1 || me.device() == null) {
            throw new InvalidInputException("body", "a worker needs an id, a device and at least one slot");
        }
        queue.register(WorkerInfo.announce(
                me.id(),
                me.name() == null ? me.id() : me.name(),
                "remote",
                "cuda".equals(me.backend()) ? "cuda" : "cpu",
                me.device(),
                me.cpuThreads(),
                me.gpuName(),
                me.gpuMemoryMb(),
                me.slots()));
        return new Registered(queue.lease().toMillis() / 1000.0);
    }

    @POST
    @Path("claim")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response claim(Claim c) {
        Optional<Assignment> a = queue.claim(c.worker(), c.gpu());
        return a.map(x -> Response.ok(x).build()).orElse(Response.noContent().build());
    }

    @POST
    @Path("heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<Long, JobQueue.JobStatus> heartbeat(Heartbeat h) {
        return queue.heartbeat(h.worker(), h.jobs() == null ? List.of() : h.jobs());
    }

    @POST
    @Path("cancels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Long-poll: answers the worker's runs that are cancelled, at once when one is")
    public java.util.concurrent.CompletionStage<List<Long>> cancels(CancelPoll p) {
        if (p == null || p.worker() == null || p.runs() == null) {
            throw new InvalidInputException("body", "needs worker and runs");
        }
        List<Long> already = queue.cancelRequested(p.runs());
        if (!already.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(already);
        }
        java.util.concurrent.CompletableFuture<List<Long>> answer =
                cancels.await(p.worker(), new java.util.HashSet<>(p.runs()), cancelPoll);
        // a cancel between the check above and the registration is not missed: check once more
        List<Long> raced = queue.cancelRequested(p.runs());
        if (!raced.isEmpty()) {
            answer.complete(raced);
        }
        return answer;
    }

    @POST
    @Path("jobs/{run}/{attempt}/started")
    @Consumes(MediaType.APPLICATION_JSON)
    public void started(@PathParam("run") long run, @PathParam("attempt") int attempt, Started s) {
        queue.started(new JobRef(run, attempt), s.device(), s.summary());
    }

    @POST
    @Path("jobs/{run}/{attempt}/epochs")
    @Consumes(MediaType.APPLICATION_JSON)
    public void epoch(@PathParam("run") long run, @PathParam("attempt") int attempt, EpochMetric m) {
        queue.epoch(new JobRef(run, attempt), m);
    }

    @PUT
    @Path("jobs/{run}/{attempt}/checkpoints/{epoch}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public void checkpoint(
            @PathParam("run") long run,
            @PathParam("attempt") int attempt,
            @PathParam("epoch") int epoch,
            InputStream zip)
            throws IOException {
        JobRef job = new JobRef(run, attempt);
        java.nio.file.Path target = CheckpointFiles.file(checkpoints, run, epoch);
        Files.createDirectories(target.getParent());
        java.nio.file.Path tmp = Files.createTempFile(target.getParent(), "upload-", ".part");
        try {
            Files.copy(zip, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                CheckpointArchive.validate(tmp); // the embedded worker may resume from it: nothing unchecked is kept
            } catch (CheckpointArchive.InvalidCheckpointException e) {
                throw new InvalidInputException("body", "not a checkpoint Sweeplab reads: " + e.getMessage());
            }
            // record first: a worker that lost its lease must not replace its successor's file
            queue.checkpoint(job, epoch, target.toString());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @GET
    @Path("jobs/{run}/{attempt}/checkpoint")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response resumeFrom(
            @PathParam("run") long run, @PathParam("attempt") int attempt, @QueryParam("epoch") int epoch) {
        if (!queue.holds(new JobRef(run, attempt))) {
            throw new LeaseLostException(new JobRef(run, attempt));
        }
        java.nio.file.Path file = CheckpointFiles.file(checkpoints, run, epoch);
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("run " + run + " has no checkpoint of epoch " + epoch);
        }
        return Response.ok(file.toFile()).build();
    }

    @PUT
    @Path("jobs/{run}/{attempt}/artifacts/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public void artifact(
            @PathParam("run") long run,
            @PathParam("attempt") int attempt,
            @PathParam("name") String name,
            @QueryParam("kind") String kind,
            byte[] content) {
        if (kind == null || !io.sweeplab.worker.loop.ArtifactJson.kinds().contains(kind)) {
            throw new InvalidInputException("kind", "must be one of " + io.sweeplab.worker.loop.ArtifactJson.kinds());
        }
        queue.artifact(new JobRef(run, attempt), name, kind, content);
    }

    @POST
    @Path("jobs/{run}/{attempt}/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    public void finish(@PathParam("run") long run, @PathParam("attempt") int attempt, Finish f) {
        CheckpointFiles.delete(queue.finish(new JobRef(run, attempt), f.outcome(), f.keepEpoch()));
    }

    @POST
    @Path("jobs/{run}/{attempt}/release")
    public void release(@PathParam("run") long run, @PathParam("attempt") int attempt) {
        queue.release(new JobRef(run, attempt));
    }
}
