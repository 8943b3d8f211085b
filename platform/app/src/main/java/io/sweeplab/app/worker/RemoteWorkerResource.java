package io.sweeplab.app.worker;

import io.sweeplab.app.db.CheckpointFiles;
import io.sweeplab.app.problem.Problem;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.error.PayloadTooLargeException;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.worker.train.CheckpointArchive;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The protocol remote workers speak: the job queue over HTTP, with checkpoints uploaded and downloaded as files.
 * Every call carries a worker token ({@code Authorization: Bearer <token>}: {@code sweeplab.worker.token}, or a token
 * of scope {@code worker} an administrator created); nothing else is open to that token. A worker registers first
 * and from then on sends the key it was given ({@value WorkerRegistry#KEY_HEADER}): every job call is checked against
 * the worker that claimed the job, so one worker (or token) can never write to another's job. Workers never touch
 * the database.
 */
@Path("/api/worker")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Worker protocol")
@RolesAllowed("worker")
public class RemoteWorkerResource {

    /** Limits on what a worker may send; beyond them a call is refused (400, or 413 for sizes). */
    static final int MAX_JOBS = 256;

    static final int MAX_TEXT = 200;
    static final int MAX_LAYERS = 1_000;
    static final int MAX_REASON = 2_000;
    static final int MAX_ERROR = 20_000;
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** A long-poll for cancels of the runs a worker trains. */
    public record CancelPoll(List<Long> runs) {}

    public record Heartbeat(List<JobRef> jobs) {}

    /** @param dataset null from a worker that predates dataset plugins */
    public record Started(String device, ModelSummary summary, DatasetProvenance dataset) {}

    public record Finish(RunStore.Outcome outcome, int keepEpoch) {}

    /**
     * What a worker learns when it registers: its id, the key it sends with every later call (shown this once), and
     * how long a lease lasts, so it knows how often to renew.
     */
    public record Registered(String id, String key, double leaseSeconds) {}

    private final JobQueue queue;
    private final PluginCatalog plugins;
    private final WorkerRegistry registry;
    private final CurrentWorker me;
    private final CancelNotifier cancels;
    private final Duration cancelPoll;
    private final java.nio.file.Path checkpoints;
    private final io.sweeplab.app.launch.JdbcLaunchStore launches;
    private final long maxCheckpointBytes;
    private final long maxArtifactBytes;

    public RemoteWorkerResource(
            JobQueue queue,
            PluginCatalog plugins,
            WorkerRegistry registry,
            CurrentWorker me,
            CancelNotifier cancels,
            io.sweeplab.app.launch.JdbcLaunchStore launches,
            @ConfigProperty(name = "sweeplab.worker.cancel-poll", defaultValue = "20s") Duration cancelPoll,
            @ConfigProperty(name = "sweeplab.worker.max-checkpoint-mb", defaultValue = "512") long maxCheckpointMb,
            @ConfigProperty(name = "sweeplab.worker.max-artifact-mb", defaultValue = "8") long maxArtifactMb,
            @ConfigProperty(name = "sweeplab.home") Optional<String> home) {
        this.queue = queue;
        this.plugins = plugins;
        this.registry = registry;
        this.me = me;
        this.cancels = cancels;
        this.launches = launches;
        this.cancelPoll = cancelPoll;
        this.maxCheckpointBytes = maxCheckpointMb << 20;
        this.maxArtifactBytes = maxArtifactMb << 20;
        this.checkpoints = home.map(java.nio.file.Path::of)
                .orElse(java.nio.file.Path.of(System.getProperty("user.home"), ".sweeplab"))
                .resolve("checkpoints");
    }

    /** Not this worker's (any more), or never was: it must stop the job. */
    @ServerExceptionMapper
    public Response leaseLost(LeaseLostException e) {
        return Problem.response(409, "lease-lost", "Lease lost", e.getMessage(), null);
    }

    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "A remote worker announces itself and its device",
            description = "Answers the worker's id and its key: every later call sends the key in the "
                    + WorkerRegistry.KEY_HEADER + " header, with the same token.")
    public Registered register(WorkerInfo announced) {
        WorkerInfo a = checkAnnouncement(announced);
        checkLaunchKind(a, me.credential());
        WorkerRegistry.Registration r = registry.registerRemote(a, me.credential());
        return new Registered(r.worker().id(), r.key(), queue.lease().toMillis() / 1000.0);
    }

    /**
     * A worker launched for GPU jobs must be able to run them: a CPU build there would take CPU jobs only, and the
     * GPU queue would never drain while the launcher kept starting GPU allocations for it.
     */
    private void checkLaunchKind(WorkerInfo a, io.sweeplab.core.queue.WorkerCredential credential) {
        if (!credential.id().startsWith("launch:")) {
            return;
        }
        long id = Long.parseLong(credential.id().substring("launch:".length()));
        launches.launch(id)
                .filter(l -> l.kind() == io.sweeplab.plugin.api.WorkerRequest.Kind.GPU && !"cuda".equals(a.backend()))
                .ifPresent(l -> {
                    throw new io.sweeplab.core.error.ConflictException(
                            "backend",
                            "launch " + id + " (" + l.launcher() + ") is for GPU jobs and this worker computes on "
                                    + a.backend() + ": give the launcher a CUDA build of the worker (gpu-command, or"
                                    + " the kubernetes launcher's gpu-image)");
                });
    }

    private static WorkerInfo checkAnnouncement(WorkerInfo w) {
        if (w == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        String name = w.name() == null ? "worker" : w.name().strip();
        text("name", name, 1, 100);
        text("device", w.device(), 1, MAX_TEXT);
        if (w.gpuName() != null) {
            text("gpuName", w.gpuName(), 0, MAX_TEXT);
        }
        if (w.backend() != null && !w.backend().equals("cpu") && !w.backend().equals("cuda")) {
            throw new InvalidInputException("backend", "must be cpu or cuda");
        }
        if (w.slots() < 1 || w.slots() > 64) {
            throw new InvalidInputException("slots", "must be 1..64");
        }
        if (w.cpuThreads() != null && (w.cpuThreads() < 1 || w.cpuThreads() > 4096)) {
            throw new InvalidInputException("cpuThreads", "must be 1..4096");
        }
        if (w.gpuMemoryMb() != null && w.gpuMemoryMb() < 0) {
            throw new InvalidInputException("gpuMemoryMb", "must not be negative");
        }
        return WorkerInfo.announce(
                null,
                name,
                "remote",
                "cuda".equals(w.backend()) ? "cuda" : "cpu",
                w.device(),
                w.cpuThreads(),
                w.gpuName(),
                w.gpuMemoryMb(),
                w.slots());
    }

    private static void text(String field, String value, int min, int max) {
        if (value == null
                || value.length() < min
                || value.length() > max
                || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(
                    field, "must be " + min + " to " + max + " characters, without control" + " characters");
        }
    }

    @POST
    @Path("claim")
    @Operation(
            summary = "Lease the next job this worker may run",
            description = "Which jobs a worker may run comes from its registration (CUDA workers also take GPU"
                    + " jobs), never from the request. 204 when there is none.")
    public Response claim() {
        Optional<Assignment> a = queue.claim(me.id());
        return a.map(x -> Response.ok(x).build()).orElse(Response.noContent().build());
    }

    @POST
    @Path("heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew the leases of the worker's jobs; answers, per run, whether it still holds it")
    public Map<Long, JobQueue.JobStatus> heartbeat(Heartbeat h) {
        List<JobRef> jobs = h == null || h.jobs() == null ? List.of() : h.jobs();
        bounded("jobs", jobs);
        return queue.heartbeat(me.id(), jobs);
    }

    @POST
    @Path("cancels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Long-poll: answers the worker's runs that are cancelled, at once when one is")
    public CompletionStage<List<Long>> cancels(CancelPoll p) {
        if (p == null || p.runs() == null) {
            throw new InvalidInputException("runs", "is required: the runs this worker trains");
        }
        bounded("runs", p.runs());
        String worker = me.id();
        List<Long> already = queue.cancelRequested(worker, p.runs());
        if (!already.isEmpty()) {
            return CompletableFuture.completedFuture(already);
        }
        // only its own runs: a worker learns nothing of the cancels of runs it does not hold
        HashSet<Long> runs = new HashSet<>(p.runs());
        runs.retainAll(queue.leasedRuns(worker));
        CompletableFuture<List<Long>> answer = cancels.await(worker, runs, cancelPoll);
        // a cancel between the check above and the registration is not missed: check once more
        List<Long> raced = queue.cancelRequested(worker, p.runs());
        if (!raced.isEmpty()) {
            answer.complete(raced);
        }
        return answer;
    }

    private static void bounded(String field, List<?> list) {
        if (list.size() > MAX_JOBS) {
            throw new PayloadTooLargeException(field, "at most " + MAX_JOBS + " entries");
        }
        if (list.stream().anyMatch(java.util.Objects::isNull)) { // List.of().contains(null) would throw
            throw new InvalidInputException(field, "must not contain null");
        }
    }

    @POST
    @Path("jobs/{run}/{attempt}/started")
    @Consumes(MediaType.APPLICATION_JSON)
    public void started(@PathParam("run") String run, @PathParam("attempt") String attempt, Started s) {
        if (s == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        text("device", s.device(), 1, 500);
        ModelSummary summary = s.summary();
        if (summary != null && summary.layers() != null) {
            if (summary.layers().size() > MAX_LAYERS) {
                throw new PayloadTooLargeException("summary.layers", "at most " + MAX_LAYERS + " layers");
            }
            for (ModelSummary.Layer l : summary.layers()) {
                if (l == null
                        || tooLong(l.name(), MAX_TEXT)
                        || tooLong(l.type(), MAX_TEXT)
                        || (l.outputShape() != null && l.outputShape().size() > 8)) {
                    throw new InvalidInputException(
                            "summary.layers",
                            "each layer needs a name and type of at most " + MAX_TEXT
                                    + " characters and an output shape of at most 8 dimensions");
                }
            }
        }
        DatasetProvenance dataset = s.dataset();
        if (dataset != null) {
            text("dataset.id", dataset.id(), 1, 64);
            text("dataset.version", dataset.version(), 1, 64);
            if (dataset.sha256() == null || !dataset.sha256().matches("[0-9a-f]{64}")) {
                throw new InvalidInputException("dataset.sha256", "must be 64 lower-case hexadecimal digits");
            }
        }
        queue.started(me.id(), job(run, attempt), s.device(), summary, dataset);
    }

    @POST
    @Path("jobs/{run}/{attempt}/epochs")
    @Consumes(MediaType.APPLICATION_JSON)
    public void epoch(@PathParam("run") String run, @PathParam("attempt") String attempt, EpochMetric m) {
        if (m == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        queue.epoch(me.id(), job(run, attempt), m);
    }

    @PUT
    @Path("jobs/{run}/{attempt}/checkpoints/{epoch}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary = "Upload the checkpoint of an epoch (a DL4J model zip), at most sweeplab.worker.max-checkpoint-mb")
    public void checkpoint(
            @PathParam("run") String run,
            @PathParam("attempt") String attempt,
            @PathParam("epoch") String epochText,
            @HeaderParam("Content-Length") Long length,
            InputStream zip)
            throws IOException {
        JobRef job = job(run, attempt);
        String worker = me.id();
        JobQueue.Lease lease = queue.held(worker, job); // before a byte is stored
        int epoch = number("epoch", epochText);
        if (epoch < 1 || epoch > lease.epochs()) {
            throw new InvalidInputException("epoch", "must be 1.." + lease.epochs() + " (the run's epochs)");
        }
        if (length != null && length > maxCheckpointBytes) {
            throw tooLargeCheckpoint();
        }
        java.nio.file.Path target = CheckpointFiles.file(checkpoints, job.run(), epoch);
        Files.createDirectories(target.getParent());
        java.nio.file.Path tmp = Files.createTempFile(target.getParent(), "upload-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                copyAtMost(zip, out, maxCheckpointBytes);
            }
            try {
                CheckpointArchive.validate(tmp); // the embedded worker may resume from it: nothing unchecked is kept
            } catch (CheckpointArchive.InvalidCheckpointException e) {
                throw new InvalidInputException("body", "not a checkpoint Sweeplab reads: " + e.getMessage());
            }
            // record first: a worker that lost its lease must not replace its successor's file
            queue.checkpoint(worker, job, epoch, target.toString());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                throw tooLargeCheckpoint();
            }
            out.write(buffer, 0, n);
        }
    }

    private PayloadTooLargeException tooLargeCheckpoint() {
        return new PayloadTooLargeException(
                "body",
                "a checkpoint may be at most " + (maxCheckpointBytes >> 20)
                        + " MB (sweeplab.worker.max-checkpoint-mb)");
    }

    @GET
    @Path("jobs/{run}/{attempt}/checkpoint")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download the checkpoint a claimed job resumes from")
    public Response resumeFrom(
            @PathParam("run") String run, @PathParam("attempt") String attempt, @QueryParam("epoch") String epochText) {
        JobRef job = job(run, attempt);
        queue.held(me.id(), job);
        int epoch = number("epoch", epochText);
        java.nio.file.Path file = CheckpointFiles.file(checkpoints, job.run(), epoch);
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("run " + job.run() + " has no checkpoint of epoch " + epoch);
        }
        return Response.ok(file.toFile()).build();
    }

    @PUT
    @Path("jobs/{run}/{attempt}/artifacts/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store what a visualizer produced, at most sweeplab.worker.max-artifact-mb")
    public void artifact(
            @PathParam("run") String run,
            @PathParam("attempt") String attempt,
            @PathParam("name") String name,
            @QueryParam("kind") String kind,
            @HeaderParam("Content-Length") Long length,
            InputStream body)
            throws IOException {
        JobRef job = job(run, attempt);
        String worker = me.id();
        queue.held(worker, job);
        if (name == null || !ArtifactCodec.NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "name", "must be 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (kind != null && !ArtifactCodec.KIND.matcher(kind).matches()) {
            throw new InvalidInputException("kind", "must match " + ArtifactCodec.KIND.pattern());
        }
        if (length != null && length > maxArtifactBytes) {
            throw tooLargeArtifact();
        }
        byte[] content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxArtifactBytes + 1));
        if (content.length > maxArtifactBytes) {
            throw tooLargeArtifact();
        }
        queue.artifact(worker, job, name, kind, content); // which reads it with the artifact codec
    }

    private PayloadTooLargeException tooLargeArtifact() {
        return new PayloadTooLargeException(
                "body",
                "an artifact may be at most " + (maxArtifactBytes >> 20) + " MB (sweeplab.worker.max-artifact-mb)");
    }

    @POST
    @Path("jobs/{run}/{attempt}/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "End a job with its outcome; sending the same finish again changes nothing")
    public void finish(@PathParam("run") String run, @PathParam("attempt") String attempt, Finish f) {
        if (f == null || f.outcome() == null || f.outcome().status() == null) {
            throw new InvalidInputException("outcome.status", "is required");
        }
        RunStore.Outcome o = f.outcome();
        if (!o.status().finished()) {
            throw new InvalidInputException(
                    "outcome.status", "must be one of succeeded, stopped, failed, cancelled (how a run ends)");
        }
        if (tooLong(o.stopReason(), MAX_REASON) || tooLong(o.stoppedBy(), MAX_TEXT)) {
            throw new PayloadTooLargeException(
                    "outcome.stopReason",
                    "stopReason at most " + MAX_REASON + ", stoppedBy " + MAX_TEXT + " characters");
        }
        if (tooLong(o.error(), MAX_ERROR)) {
            throw new PayloadTooLargeException("outcome.error", "at most " + MAX_ERROR + " characters");
        }
        CheckpointFiles.delete(queue.finish(me.id(), job(run, attempt), o, f.keepEpoch()));
    }

    @POST
    @Path("jobs/{run}/{attempt}/release")
    @Operation(
            summary = "Give a job back to the queue",
            description = "The worker is shutting down; or, with unstarted=true, it lacks a plugin the job needs and"
                    + " could not get it: that claim does not count as an attempt.")
    public void release(
            @PathParam("run") String run,
            @PathParam("attempt") String attempt,
            @QueryParam("unstarted") boolean unstarted) {
        if (unstarted) {
            queue.giveBack(me.id(), job(run, attempt));
        } else {
            queue.release(me.id(), job(run, attempt));
        }
    }

    @GET
    @Path("plugins/{plugin}/{version}")
    @Produces({"application/java-archive", "application/problem+json"})
    @Operation(
            summary = "Download a plugin jar a job needs",
            description = "Any version the platform holds (loaded, superseded or disabled); the worker checks it"
                    + " against the SHA-256 its job records. The checksum is in the X-Sweeplab-Sha256 header.")
    public Response pluginJar(@PathParam("plugin") String plugin, @PathParam("version") String version) {
        PluginEntry e = plugins.registry()
                .jar(plugin, version)
                .orElseThrow(() -> new NotFoundException("no plugin '" + plugin + "' version " + version));
        java.nio.file.Path file = java.nio.file.Path.of(e.location());
        return Response.ok(file.toFile(), "application/java-archive")
                .header("X-Sweeplab-Sha256", e.sha256())
                .header("Content-Disposition", "attachment; filename=\"" + plugin + "-" + e.pluginVersion() + ".jar\"")
                .build();
    }

    private static boolean tooLong(String s, int max) {
        return s != null && s.length() > max;
    }

    /** A job named in the path; ids are plain decimal numbers, anything else names no job. */
    private static JobRef job(String run, String attempt) {
        if (run == null
                || attempt == null
                || !NUMBER.matcher(run).matches()
                || !NUMBER.matcher(attempt).matches()) {
            throw new NotFoundException("no such job");
        }
        long a = Long.parseLong(attempt);
        return new JobRef(Long.parseLong(run), a > Integer.MAX_VALUE ? -1 : (int) a);
    }

    private static int number(String field, String value) {
        if (value == null || !NUMBER.matcher(value).matches() || value.length() > 9) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return Integer.parseInt(value);
    }
}
