package io.sweeplab.worker.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.sweeplab.artifacts.ArtifactCodec;
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
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.loop.WorkerChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A remote worker's channel: the platform's worker protocol over HTTP ({@code /api/worker/...}).
 *
 * <p>Every call but {@code claim} is idempotent on the platform (epochs, checkpoints and artifacts are upserts, a
 * repeated {@code finish} of the same attempt is answered as done), so a call that got no answer (connection
 * refused or dropped, a timeout) or a passing one (429, 502, 503, 504) is retried with exponential backoff and
 * jitter, for at most {@code retryFor}, and under a lease for at most half of it: by then the platform has given
 * the job away, and the worker must notice it lost the platform. Any other answer is final: a 409 stops the job
 * at once. {@code claim} is not retried: a claim whose answer was lost has leased a job to nobody, so asking again
 * would lease a second one; the worker's loop asks again on its own, and the lost job returns when its lease
 * expires.
 */
public final class HttpChannel implements WorkerChannel {

    private static final System.Logger LOG = System.getLogger(HttpChannel.class.getName());

    /** The answers that say "try again": too many requests, and a proxy or the platform briefly unavailable. */
    private static final Set<Integer> PASSING = Set.of(429, 502, 503, 504);

    private static final Duration FIRST_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);
    private static final double JITTER = 0.25;

    private final URI server;
    private final String token;
    private final Duration retryFor;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile double leaseSeconds = 30;
    /** The key the platform gave this worker at registration, sent with every later call. */
    private volatile String key;

    /** @param retryFor how long an idempotent call is retried (zero: never) */
    public HttpChannel(URI server, String token, Duration retryFor) {
        if (retryFor.isNegative()) {
            throw new IllegalArgumentException("retryFor must not be negative: " + retryFor);
        }
        this.server = server.toString().endsWith("/") ? server : URI.create(server + "/");
        this.token = token;
        this.retryFor = retryFor;
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
        Map<String, Object> reply =
                call("POST", "api/worker/register", body(announce), new TypeReference<>() {}, null, retryFor);
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
                null,
                Duration.ZERO)); // a claim is not idempotent: a lost answer is never asked again
    }

    @Override
    public Map<Long, JobQueue.JobStatus> heartbeat(List<JobRef> jobs) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("jobs", jobs);
        return call("POST", "api/worker/heartbeat", body(h), new TypeReference<>() {}, null, underLease());
    }

    @Override
    public void started(JobRef job, String device, ModelSummary summary, DatasetProvenance dataset) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("device", device);
        s.put("summary", summary);
        s.put("dataset", dataset);
        call("POST", jobPath(job, "started"), body(s), null, job, underLease());
    }

    @Override
    public void epoch(JobRef job, EpochMetric metric) {
        call("POST", jobPath(job, "epochs"), body(metric), null, job, underLease());
    }

    @Override
    public void checkpoint(JobRef job, int epoch, Path file) throws IOException {
        HttpRequest.Builder r = request(jobPath(job, "checkpoints/" + epoch))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        send(r.build(), HttpResponse.BodyHandlers.ofString(), job, underLease());
    }

    @Override
    public void artifact(JobRef job, Artifact artifact) {
        byte[] content = ArtifactCodec.encode(artifact);
        HttpRequest.Builder r = request(jobPath(
                        job, "artifacts/" + enc(artifact.name()) + "?kind=" + enc(ArtifactCodec.kind(artifact))))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        send(r.build(), HttpResponse.BodyHandlers.ofString(), job, underLease());
    }

    @Override
    public void finish(JobRef job, RunStore.Outcome outcome, int keepEpoch) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("outcome", outcome);
        f.put("keepEpoch", keepEpoch);
        call("POST", jobPath(job, "finish"), body(f), null, job, underLease());
    }

    @Override
    public void release(JobRef job) {
        call("POST", jobPath(job, "release"), HttpRequest.BodyPublishers.noBody(), null, job, underLease());
    }

    @Override
    public void giveBack(JobRef job) {
        call(
                "POST",
                jobPath(job, "release?unstarted=true"),
                HttpRequest.BodyPublishers.noBody(),
                null,
                job,
                underLease());
    }

    /**
     * Downloads a plugin jar into {@code file}.
     *
     * @return false when the platform has no such plugin version
     */
    public boolean pluginJar(String plugin, String version, Path file) {
        HttpRequest r = request("api/worker/plugins/" + enc(plugin) + "/" + enc(version))
                .GET()
                .build();
        try {
            send(
                    r,
                    HttpResponse.BodyHandlers.ofFile(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING),
                    null,
                    retryFor);
            return true;
        } catch (NotFound e) {
            return false;
        }
    }

    /** The platform answered 404. */
    static final class NotFound extends IllegalStateException {
        NotFound(String message) {
            super(message);
        }
    }

    @Override
    public Path resumeCheckpoint(Assignment a, Path workDir) throws IOException {
        Path dir = checkpointDir(a.job().run(), workDir);
        Files.createDirectories(dir);
        Path file = dir.resolve("resume-epoch-" + a.resumeEpoch() + ".zip");
        HttpRequest r = request(jobPath(a.job(), "checkpoint?epoch=" + a.resumeEpoch()))
                .GET()
                .build();
        // a retried download starts the file afresh
        send(
                r,
                HttpResponse.BodyHandlers.ofFile(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING),
                a.job(),
                underLease());
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

    /** How long a call made under a lease is retried: the budget, and at most half the lease. */
    private Duration underLease() {
        Duration half = lease().dividedBy(2);
        return retryFor.compareTo(half) < 0 ? retryFor : half;
    }

    private <T> T call(
            String method,
            String path,
            HttpRequest.BodyPublisher body,
            TypeReference<T> type,
            JobRef job,
            Duration retry) {
        HttpRequest r = request(path)
                .header("Content-Type", "application/json")
                .method(method, body)
                .build();
        HttpResponse<byte[]> response = send(r, HttpResponse.BodyHandlers.ofByteArray(), job, retry);
        if (type == null || response.statusCode() == 204 || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from " + path, e);
        }
    }

    /** Sends {@code r}, retrying it for {@code retry} while it gets no answer or a passing one. */
    private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler, JobRef job, Duration retry) {
        String what = r.method() + " " + r.uri().getPath();
        int[] attempts = {0};
        HttpResponse<T> response;
        try {
            if (retry.isZero()) {
                attempts[0] = 1;
                response = http.send(r, handler);
            } else {
                RetryPolicy<HttpResponse<T>> policy = retryPolicy(what, retry);
                CheckedSupplier<HttpResponse<T>> attempt = () -> {
                    attempts[0]++;
                    return http.send(r, handler);
                };
                response = Failsafe.with(policy).get(attempt);
            }
        } catch (FailsafeException e) {
            throw unreachable(e.getCause(), attempts[0], retry);
        } catch (IOException | InterruptedException e) {
            throw unreachable(e, 1, retry);
        }
        int status = response.statusCode();
        if (attempts[0] > 1 && !PASSING.contains(status)) {
            LOG.log(Level.INFO, "SWL-WORKER-044 {0} went through at attempt {1}", what, attempts[0]);
        }
        if (status == 409 && job != null) {
            throw new LeaseLostException(job);
        }
        if (status >= 300) {
            Object body = response.body();
            String text = body instanceof byte[] b
                    ? new String(b, StandardCharsets.UTF_8)
                    : body instanceof Path p && Files.isRegularFile(p) ? readQuietly(p) : String.valueOf(body);
            if (status == 404) {
                throw new NotFound("SWL-WORKER-041 " + what + " answered 404: " + text);
            }
            throw new IllegalStateException("SWL-WORKER-041 " + what + " answered " + status
                    + (attempts[0] > 1 ? " (attempt " + attempts[0] + ")" : "") + ": " + text);
        }
        return response;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return p.toString();
        }
    }

    private <T> RetryPolicy<HttpResponse<T>> retryPolicy(String what, Duration retry) {
        boolean[] warned = {false}; // once per call, not at every attempt
        // a budget shorter than the usual first delay (a short lease) still gets a few tries
        Duration first = retry.dividedBy(4).compareTo(FIRST_DELAY) < 0 ? retry.dividedBy(4) : FIRST_DELAY;
        return RetryPolicy.<HttpResponse<T>>builder()
                .handle(IOException.class) // refused, reset, closed before the answer, timed out
                .handleResultIf(response -> PASSING.contains(response.statusCode()))
                .withBackoff(first, MAX_DELAY.compareTo(retry) < 0 ? MAX_DELAY : retry)
                .withJitter(JITTER)
                .withDelayFn(c -> retryAfter(c.getLastResult()))
                .withMaxRetries(-1)
                .withMaxDuration(retry)
                .onRetry(e -> {
                    if (!warned[0]) {
                        warned[0] = true;
                        LOG.log(
                                Level.WARNING,
                                "SWL-WORKER-043 {0}: {1}; retrying for up to {2}",
                                what,
                                e.getLastException() != null
                                        ? e.getLastException().toString()
                                        : "answered " + e.getLastResult().statusCode(),
                                seconds(retry));
                    }
                })
                .build();
    }

    /**
     * The delay a 429 or 503 asks for in {@code Retry-After} (seconds or an HTTP date), raised by the jitter's
     * factor so that no jittered delay is shorter; negative (the backoff's own) when there is none.
     */
    static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> header =
                response == null ? Optional.empty() : response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Duration.ofMillis(-1);
        }
        String v = header.get().strip();
        Duration d;
        try {
            d = v.chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(v))
                    : Duration.between(
                            ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (RuntimeException e) {
            return Duration.ofMillis(-1);
        }
        return d.isNegative() ? Duration.ZERO : Duration.ofMillis((long) (d.toMillis() / (1 - JITTER)));
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }

    private RuntimeException unreachable(Throwable cause, int attempts, Duration retry) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted", cause);
        }
        String tried = attempts > 1 ? " (" + attempts + " attempts in up to " + seconds(retry) + ")" : "";
        String message = "SWL-WORKER-040 cannot reach the platform at " + server + tried + ": " + cause;
        return cause instanceof IOException io
                ? new UncheckedIOException(message, io)
                : new IllegalStateException(message, cause);
    }
}
