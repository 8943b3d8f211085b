package io.sweeplab.worker.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.loop.ArtifactJson;
import io.sweeplab.worker.loop.WorkerChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A remote worker's channel: the platform's worker protocol over HTTP ({@code /api/worker/...}). */
public final class HttpChannel implements WorkerChannel {

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile double leaseSeconds = 30;
    /** The key the platform gave this worker at registration, sent with every later call. */
    private volatile String key;

    public HttpChannel(URI server, String token) {
        this.server = server.toString().endsWith("/") ? server : URI.create(server + "/");
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** The platform's lease, learned at registration. */
    @Override
    public Duration lease() {
        return Duration.ofMillis((long) (leaseSeconds * 1000));
    }

    @Override
    public WorkerInfo register(WorkerInfo me) {
        Map<String, Object> announce = new LinkedHashMap<>();
        announce.put("name", me.name());
        announce.put("backend", me.backend());
        announce.put("device", me.device());
        announce.put("cpuThreads", me.cpuThreads());
        announce.put("gpuName", me.gpuName());
        announce.put("gpuMemoryMb", me.gpuMemoryMb());
        announce.put("slots", me.slots());
        Map<String, Object> reply = call("POST", "api/worker/register", body(announce), new TypeReference<>() {}, null);
        leaseSeconds = ((Number) reply.get("leaseSeconds")).doubleValue();
        key = (String) reply.get("key");
        return WorkerInfo.announce(
                (String) reply.get("id"),
                me.name(),
                me.kind(),
                me.backend(),
                me.device(),
                me.cpuThreads(),
                me.gpuName(),
                me.gpuMemoryMb(),
                me.slots());
    }

    @Override
    public Optional<Assignment> claim() {
        return Optional.ofNullable(call(
                "POST",
                "api/worker/claim",
                HttpRequest.BodyPublishers.noBody(),
                new TypeReference<Assignment>() {},
                null));
    }

    @Override
    public Map<Long, JobQueue.JobStatus> heartbeat(List<JobRef> jobs) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("jobs", jobs);
        return call("POST", "api/worker/heartbeat", body(h), new TypeReference<>() {}, null);
    }

    @Override
    public void started(JobRef job, String device, ModelSummary summary) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("device", device);
        s.put("summary", summary);
        call("POST", jobPath(job, "started"), body(s), null, job);
    }

    @Override
    public void epoch(JobRef job, EpochMetric metric) {
        call("POST", jobPath(job, "epochs"), body(metric), null, job);
    }

    @Override
    public void checkpoint(JobRef job, int epoch, Path file) throws IOException {
        HttpRequest.Builder r = request(jobPath(job, "checkpoints/" + epoch))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        send(r.build(), HttpResponse.BodyHandlers.ofString(), job);
    }

    @Override
    public void artifact(JobRef job, Artifact artifact) {
        byte[] content = ArtifactJson.write(json, artifact);
        HttpRequest.Builder r = request(
                        jobPath(job, "artifacts/" + enc(artifact.name()) + "?kind=" + enc(ArtifactJson.kind(artifact))))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        send(r.build(), HttpResponse.BodyHandlers.ofString(), job);
    }

    @Override
    public void finish(JobRef job, RunStore.Outcome outcome, int keepEpoch) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("outcome", outcome);
        f.put("keepEpoch", keepEpoch);
        call("POST", jobPath(job, "finish"), body(f), null, job);
    }

    @Override
    public void release(JobRef job) {
        call("POST", jobPath(job, "release"), HttpRequest.BodyPublishers.noBody(), null, job);
    }

    @Override
    public Path resumeCheckpoint(Assignment a, Path workDir) throws IOException {
        Path dir = checkpointDir(a.job().run(), workDir);
        Files.createDirectories(dir);
        Path file = dir.resolve("resume-epoch-" + a.resumeEpoch() + ".zip");
        HttpRequest r = request(jobPath(a.job(), "checkpoint?epoch=" + a.resumeEpoch()))
                .GET()
                .build();
        send(r, HttpResponse.BodyHandlers.ofFile(file), a.job());
        return file;
    }

    @Override
    public boolean pushesCancels() {
        return true;
    }

    @Override
    public java.util.concurrent.CompletableFuture<List<Long>> awaitCancels(List<Long> runs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runs", runs);
        HttpRequest r = request("api/worker/cancels")
                .timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json")
                .POST(body(p))
                .build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("SWL-WORKER-042 cancel poll answered " + response.statusCode());
            }
            try {
                return json.readValue(response.body(), new TypeReference<List<Long>>() {});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Path checkpointDir(long run, Path workDir) {
        return workDir.resolve("run-" + run);
    }

    private static String jobPath(JobRef job, String rest) {
        return "api/worker/jobs/" + job.run() + "/" + job.attempt() + "/" + rest;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token);
        String k = key;
        return k == null ? b : b.header(WorkerRegistry.KEY_HEADER, k);
    }

    private HttpRequest.BodyPublisher body(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T call(String method, String path, HttpRequest.BodyPublisher body, TypeReference<T> type, JobRef job) {
        HttpRequest r = request(path)
                .header("Content-Type", "application/json")
                .method(method, body)
                .build();
        HttpResponse<byte[]> response = send(r, HttpResponse.BodyHandlers.ofByteArray(), job);
        if (type == null || response.statusCode() == 204 || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from " + path, e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler, JobRef job) {
        HttpResponse<T> response;
        try {
            response = http.send(r, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("SWL-WORKER-040 cannot reach the platform at " + server + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 409 && job != null) {
            throw new LeaseLostException(job);
        }
        if (status >= 300) {
            Object body = response.body();
            String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(body);
            throw new IllegalStateException(
                    "SWL-WORKER-041 " + r.method() + " " + r.uri().getPath() + " answered " + status + ": " + text);
        }
        return response;
    }
}
