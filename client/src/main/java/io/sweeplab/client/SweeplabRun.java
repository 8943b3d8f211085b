package io.sweeplab.client;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A started run: what it logs is queued and sent in the background, in order (see {@link SweeplabClient}). Every
 * method but {@link #end} returns at once.
 */
public final class SweeplabRun {

    private final SweeplabClient client;
    private final String id;
    private final String experimentId;
    private final String artifactRoot;

    SweeplabRun(SweeplabClient client, String id, String experimentId, String artifactRoot) {
        this.client = client;
        this.id = id;
        this.experimentId = experimentId;
        this.artifactRoot = artifactRoot;
    }

    /** The run's id (MLflow's {@code run_id}). */
    public String id() {
        return id;
    }

    public String experimentId() {
        return experimentId;
    }

    /** Logs a param (its value as text); MLflow keeps a param's first value. */
    public void logParam(String key, Object value) {
        client.queue().add(new LogQueue.Param(id, Objects.requireNonNull(key, "key"), String.valueOf(value)));
    }

    /** Logs params in their map's order. */
    public void logParams(Map<String, ?> params) {
        params.forEach(this::logParam);
    }

    public void setTag(String key, String value) {
        client.queue().add(new LogQueue.Tag(id, Objects.requireNonNull(key, "key"), Objects.requireNonNull(value)));
    }

    /** Logs a metric point at {@code step}, stamped now. */
    public void logMetric(String key, double value, long step) {
        logMetric(key, value, client.clock().millis(), step);
    }

    /**
     * Logs a metric point: MLflow's (key, value, timestamp, step).
     *
     * @param timestamp milliseconds since the epoch
     */
    public void logMetric(String key, double value, long timestamp, long step) {
        client.queue().add(new LogQueue.Metric(id, Objects.requireNonNull(key, "key"), value, timestamp, step));
    }

    /**
     * Uploads a file to the run's artifacts at {@code artifactPath} (such as {@code model/checkpoint.zip}), through
     * the server's artifact proxy, in its turn: the file is read then, so it must stay until a flush or
     * {@link #end}.
     */
    public void logArtifact(Path file, String artifactPath) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new FileNotFoundException(file.toString()));
        }
        upload(artifactPath, () -> {
            try {
                return HttpRequest.BodyPublishers.ofFile(file);
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Uploads bytes to the run's artifacts at {@code artifactPath} (such as {@code model_summary.txt}). */
    public void logArtifact(String artifactPath, byte[] content) {
        byte[] copy = content.clone();
        upload(artifactPath, () -> HttpRequest.BodyPublishers.ofByteArray(copy));
    }

    private void upload(String artifactPath, java.util.function.Supplier<HttpRequest.BodyPublisher> body) {
        String path = Objects.requireNonNull(artifactPath, "artifactPath").replaceAll("^/+", "");
        if (path.isEmpty() || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException("artifactPath must be a relative path without '..': " + artifactPath);
        }
        client.queue()
                .add(new LogQueue.Task(
                        "upload of " + path, () -> client.http().upload(artifactRoot + "/" + path, body)));
    }

    /**
     * Ends the run with {@code status} once everything logged before is sent, and waits for that for the client's
     * flush timeout.
     *
     * @return whether it all went in the time (if not, it goes on in the background until the client closes)
     * @throws SweeplabException the calls the server refused (or that found no server) since the last report
     */
    public boolean end(RunStatus status) {
        return end(status, client.flushTimeout());
    }

    /** {@link #end(RunStatus)}, waiting at most {@code timeout}. */
    public boolean end(RunStatus status, Duration timeout) {
        Objects.requireNonNull(status, "status");
        long endTime = client.clock().millis();
        client.queue()
                .add(new LogQueue.Task(
                        "runs/update to " + status,
                        () -> client.http()
                                .post(
                                        "runs/update",
                                        Map.of("run_id", id, "status", status.name(), "end_time", endTime))));
        return client.flush(timeout);
    }
}
