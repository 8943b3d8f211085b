package io.sweeplab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A client of the MLflow tracking protocol for Sweeplab (or any MLflow tracking server): experiments, runs, and what
 * a run logs, from a program that trains elsewhere.
 *
 * <pre>{@code
 * try (var client = SweeplabClient.builder().build()) {          // MLFLOW_TRACKING_URI and credentials
 *     var run = client.startRun(client.experimentId("vision/fashion"), "dense 128", Map.of());
 *     run.logParam("learning_rate", 0.01);
 *     run.logMetric("loss", 0.42, step);                         // queued; returns at once
 *     run.end(RunStatus.FINISHED);                               // after everything logged before it
 * }
 * }</pre>
 *
 * <p>Finding or creating an experiment and starting a run are calls that wait for the server's answer (they give
 * ids). Everything a run logs afterwards is queued and sent by one background thread, batched into
 * {@code runs/log-batch} calls within MLflow's limits; the caller never waits for the network. When the server is
 * slower than the logging and the queue ({@link Builder#queueCapacity}) is full, the oldest unsent metric points are
 * dropped and counted ({@link #droppedPoints()}); params, tags, uploads and status changes are kept. Calls that get no
 * answer, a 429 or a 5xx are retried with exponential backoff and jitter for {@link Builder#retryFor}; calls the
 * server refuses (4xx, with MLflow's {@code error_code}) are not retried, and are thrown once from the next
 * {@link #flush}, {@link SweeplabRun#end} or {@link #close}.
 *
 * <p>Thread-safe: one client serves any number of runs and threads.
 */
public final class SweeplabClient implements AutoCloseable {

    private final MlflowHttp http;
    private final LogQueue queue;
    private final Clock clock;
    private final Duration flushTimeout;
    private final URI trackingUri;

    private SweeplabClient(Builder b, URI trackingUri, String authorization) {
        this.trackingUri = trackingUri;
        this.http = new MlflowHttp(
                trackingUri, authorization, b.requestTimeout, b.uploadTimeout, b.retryFor, b.firstDelay, b.maxDelay);
        this.queue = new LogQueue(http, b.queueCapacity, b.linger);
        this.clock = b.clock;
        this.flushTimeout = b.flushTimeout;
    }

    /** A builder that takes what it is not told from MLflow's environment variables. */
    public static Builder builder() {
        return new Builder(System::getenv);
    }

    static Builder builder(Function<String, String> environment) {
        return new Builder(environment);
    }

    /** The server this client logs to. */
    public URI trackingUri() {
        return trackingUri;
    }

    /**
     * The id of the experiment of this name, created when there is none. On Sweeplab the name is
     * {@code <team-slug>/<experiment name>}.
     */
    public String experimentId(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return byName(name);
        } catch (SweeplabException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
        }
        try {
            return http.post("experiments/create", Map.of("name", name))
                    .path("experiment_id")
                    .asText();
        } catch (SweeplabException e) {
            if (!e.errorCode().filter("RESOURCE_ALREADY_EXISTS"::equals).isPresent()) {
                throw e;
            }
            return byName(name); // created meanwhile by someone else
        }
    }

    private String byName(String name) {
        return http.get("experiments/get-by-name", Map.of("experiment_name", name))
                .path("experiment")
                .path("experiment_id")
                .asText();
    }

    /**
     * Starts a run (status {@code RUNNING}) in an experiment; waits for the server's answer.
     *
     * @param runName the run's name, or null for one the server picks
     * @param tags the run's tags; MLflow's {@code mlflow.user} and {@code mlflow.source.*} are added unless given
     */
    public SweeplabRun startRun(String experimentId, String runName, Map<String, String> tags) {
        Objects.requireNonNull(experimentId, "experimentId");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("mlflow.user", System.getProperty("user.name", "unknown"));
        all.put("mlflow.source.type", "LOCAL");
        String command = System.getProperty("sun.java.command", "");
        if (!command.isBlank()) {
            all.put("mlflow.source.name", command.split(" ", 2)[0]);
        }
        all.putAll(tags);
        List<Map<String, String>> wireTags = new ArrayList<>();
        all.forEach((k, v) -> wireTags.add(Map.of("key", k, "value", v)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experimentId);
        if (runName != null) {
            body.put("run_name", runName);
        }
        body.put("start_time", clock.millis());
        body.put("tags", wireTags);
        JsonNode info = http.post("runs/create", body).path("run").path("info");
        String runId = info.path("run_id").asText(info.path("run_uuid").asText());
        if (runId.isEmpty()) {
            throw new SweeplabException(200, null, "runs/create answered no run_id: " + info, null);
        }
        return new SweeplabRun(
                this,
                runId,
                experimentId,
                artifactRoot(info.path("artifact_uri").asText(null), experimentId, runId));
    }

    /**
     * Where the run's artifacts go under the artifact proxy: the path of its {@code mlflow-artifacts:} URI, or
     * MLflow's default layout {@code <experiment_id>/<run_id>/artifacts}.
     */
    static String artifactRoot(String artifactUri, String experimentId, String runId) {
        String scheme = "mlflow-artifacts:";
        if (artifactUri == null || !artifactUri.startsWith(scheme)) {
            return experimentId + "/" + runId + "/artifacts";
        }
        String path = artifactUri.substring(scheme.length());
        if (path.startsWith("//")) { // mlflow-artifacts://host:port/path
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        return path.replaceAll("^/+|/+$", "");
    }

    /** Waits, for the {@link Builder#flushTimeout}, until everything logged so far is sent. */
    public boolean flush() {
        return flush(flushTimeout);
    }

    /**
     * Waits, for at most {@code timeout}, until everything logged before this call is sent.
     *
     * @return whether it all went in the time
     * @throws SweeplabException the calls the server refused (or that found no server) since the last report
     */
    public boolean flush(Duration timeout) {
        return queue.flush(timeout);
    }

    /** Metric points dropped because the queue was full (the server slower than the logging, or away). */
    public long droppedPoints() {
        return queue.dropped();
    }

    /**
     * Sends what is still queued, for at most the {@link Builder#flushTimeout}, and stops the background thread;
     * what could not be sent in the time is logged ({@code SWL-CLIENT-004}) and lost.
     *
     * @throws SweeplabException the calls the server refused since the last report
     */
    @Override
    public void close() {
        queue.close(flushTimeout);
    }

    LogQueue queue() {
        return queue;
    }

    MlflowHttp http() {
        return http;
    }

    Clock clock() {
        return clock;
    }

    Duration flushTimeout() {
        return flushTimeout;
    }

    /** How to reach the server, and how patient and how big the client is. */
    public static final class Builder {

        private final Function<String, String> environment;
        private URI trackingUri;
        private String authorization;
        private int queueCapacity = 100_000;
        private Duration linger = Duration.ofMillis(500);
        private Duration retryFor = Duration.ofMinutes(1);
        private Duration firstDelay = Duration.ofMillis(200);
        private Duration maxDelay = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration uploadTimeout = Duration.ofMinutes(10);
        private Duration flushTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(Function<String, String> environment) {
            this.environment = environment;
        }

        /** The server, such as {@code http://sweeplab:8080}; default {@code MLFLOW_TRACKING_URI}. */
        public Builder trackingUri(String uri) {
            this.trackingUri = URI.create(uri);
            return this;
        }

        /**
         * HTTP basic credentials (a Sweeplab user); default {@code MLFLOW_TRACKING_USERNAME} and
         * {@code MLFLOW_TRACKING_PASSWORD}.
         */
        public Builder credentials(String username, String password) {
            this.authorization = basic(username, password);
            return this;
        }

        /** A bearer token (a Sweeplab API token); default {@code MLFLOW_TRACKING_TOKEN}. */
        public Builder token(String token) {
            this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
            return this;
        }

        /** The most items the queue holds before it drops the oldest metric points; default 100,000. */
        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /** How long logged points may wait to be sent with later ones (fewer, fuller calls); default 500 ms. */
        public Builder linger(Duration linger) {
            this.linger = nonNegative(linger, "linger");
            return this;
        }

        /** How long one call is retried when it gets no answer, a 429 or a 5xx; default 1 minute (zero: never). */
        public Builder retryFor(Duration retryFor) {
            this.retryFor = nonNegative(retryFor, "retryFor");
            return this;
        }

        /** The first wait between two tries, doubled after each up to {@code max}; default 200 ms and 10 s. */
        public Builder backoff(Duration first, Duration max) {
            this.firstDelay = nonNegative(first, "first");
            this.maxDelay = nonNegative(max, "max");
            return this;
        }

        /** How long one JSON call may take; default 30 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How long one artifact upload may take; default 10 minutes. */
        public Builder uploadTimeout(Duration timeout) {
            this.uploadTimeout = positive(timeout, "uploadTimeout");
            return this;
        }

        /** How long {@link #flush()}, {@link SweeplabRun#end} and {@link #close()} wait; default 30 s. */
        public Builder flushTimeout(Duration timeout) {
            this.flushTimeout = nonNegative(timeout, "flushTimeout");
            return this;
        }

        /** The clock of timestamps (metric points without one, run start and end). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalStateException when no tracking URI is given nor in {@code MLFLOW_TRACKING_URI}, or it is not
         *     an http(s) URL
         */
        public SweeplabClient build() {
            URI uri = trackingUri;
            if (uri == null) {
                String env = environment.apply("MLFLOW_TRACKING_URI");
                if (env == null || env.isBlank()) {
                    throw new IllegalStateException(
                            "no tracking URI: call trackingUri(...) or set MLFLOW_TRACKING_URI, e.g. http://sweeplab:8080");
                }
                uri = URI.create(env.trim());
            }
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalStateException("the tracking URI must be an http(s) URL: " + uri);
            }
            String auth = authorization;
            if (auth == null) {
                String user = environment.apply("MLFLOW_TRACKING_USERNAME");
                String password = environment.apply("MLFLOW_TRACKING_PASSWORD");
                String token = environment.apply("MLFLOW_TRACKING_TOKEN");
                if (user != null && password != null) { // MLflow's order: basic credentials first
                    auth = basic(user, password);
                } else if (token != null) {
                    auth = "Bearer " + token;
                }
            }
            return new SweeplabClient(this, uri, auth);
        }

        private static String basic(String username, String password) {
            String pair =
                    Objects.requireNonNull(username, "username") + ":" + Objects.requireNonNull(password, "password");
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String name) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be zero or more: " + d);
            }
            return d;
        }
    }
}
