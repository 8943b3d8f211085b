package io.sweeplab.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * MLflow's REST protocol over {@link HttpClient}: JSON bodies in MLflow's snake_case field names, its error answers
 * ({@code {"error_code": ..., "message": ...}}) turned into {@link SweeplabException}s, and retries of what may pass.
 *
 * <p>A call that got no answer (connection refused or dropped, a timeout), a 429 or a 5xx is retried with
 * exponential backoff and jitter for at most {@code retryFor}; any other answer is final. Every call this client
 * makes may be repeated safely except {@code runs/create} and {@code experiments/create}, whose repetition after a
 * lost answer at worst creates a second run or is answered {@code RESOURCE_ALREADY_EXISTS}, which the caller handles.
 */
final class MlflowHttp {

    private static final System.Logger LOG = System.getLogger(MlflowHttp.class.getName());

    private static final double JITTER = 0.25;

    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final Duration uploadTimeout;
    private final HttpClient http;
    private final RetryPolicy<HttpResponse<String>> retry;
    final ObjectMapper json = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    MlflowHttp(
            URI trackingUri,
            String authorization,
            Duration requestTimeout,
            Duration uploadTimeout,
            Duration retryFor,
            Duration firstDelay,
            Duration maxDelay) {
        String uri = trackingUri.toString();
        this.base = URI.create(uri.endsWith("/") ? uri : uri + "/");
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        this.uploadTimeout = uploadTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        RetryPolicyBuilder<HttpResponse<String>> policy = RetryPolicy.<HttpResponse<String>>builder()
                .handle(IOException.class)
                .handleResultIf(r -> passing(r.statusCode()))
                .onRetry(e -> LOG.log(
                        Level.DEBUG,
                        () -> "retrying after "
                                + (e.getLastException() != null
                                        ? e.getLastException().toString()
                                        : "HTTP " + e.getLastResult().statusCode())));
        if (retryFor.isZero()) {
            policy.withMaxRetries(0);
        } else {
            policy.withBackoff(firstDelay, maxDelay)
                    .withJitter(JITTER)
                    .withMaxRetries(-1)
                    .withMaxDuration(retryFor);
        }
        this.retry = policy.build();
    }

    /** The answers that say "try again": too many requests, and the server or a proxy failing for now. */
    static boolean passing(int status) {
        return status == 429 || status >= 500;
    }

    /** POSTs {@code body} as JSON to {@code api/2.0/mlflow/<endpoint>}; the answer's JSON. */
    JsonNode post(String endpoint, Object body) {
        byte[] content;
        try {
            content = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return parse(send(() -> request("api/2.0/mlflow/" + endpoint, requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                .build()));
    }

    /** GETs {@code api/2.0/mlflow/<endpoint>?<query>}; the answer's JSON. */
    JsonNode get(String endpoint, Map<String, String> query) {
        String q = query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return parse(send(() -> request("api/2.0/mlflow/" + endpoint + "?" + q, requestTimeout)
                .GET()
                .build()));
    }

    /** PUTs a file's bytes to MLflow's artifact proxy, {@code api/2.0/mlflow-artifacts/artifacts/<path>}. */
    void upload(String path, Supplier<HttpRequest.BodyPublisher> body) {
        String encoded = Arrays.stream(path.split("/")).map(MlflowHttp::encode).collect(Collectors.joining("/"));
        send(() -> request("api/2.0/mlflow-artifacts/artifacts/" + encoded, uploadTimeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(body.get())
                .build());
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return r;
    }

    private HttpResponse<String> send(Supplier<HttpRequest> request) {
        HttpResponse<String> response;
        try {
            response = Failsafe.with(retry).get(() -> http.send(request.get(), HttpResponse.BodyHandlers.ofString()));
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new SweeplabException(
                    0, null, "no answer from " + base + " (" + cause + "), given up after retrying", cause);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String code = null;
        String message = response.body();
        try {
            JsonNode error = json.readTree(response.body());
            if (error != null && error.hasNonNull("error_code")) {
                code = error.get("error_code").asText();
                message = error.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // an answer from a proxy, say: its text is the message
        }
        String what =
                response.request().method() + " " + response.request().uri().getPath();
        throw new SweeplabException(
                status,
                code,
                what + " answered " + status + (code != null ? " " + code : "") + ": " + message
                        + (passing(status) ? " (given up after retrying)" : ""),
                null);
    }

    private JsonNode parse(HttpResponse<String> response) {
        try {
            String body = response.body();
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new SweeplabException(response.statusCode(), null, "the answer is not JSON: " + e.getMessage(), e);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
