package io.sweeplab.app.worker;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sweeplab.core.queue.WorkerRegistry;

/**
 * The worker protocol spoken by hand, as a remote worker (or someone holding a worker token) would. While it holds
 * jobs it renews their leases every half second, as a live worker does (the tests' lease is 3 s).
 */
final class ProtocolClient implements AutoCloseable {

    final String token;
    String id;
    String key;
    private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> jobs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService beat;

    ProtocolClient(String token) {
        this.token = token;
    }

    /** Registers and keeps the id and key the platform answers. */
    ProtocolClient register(String name) {
        JsonPath r = request()
                .contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"device\": \"cpu: test\", \"slots\": 1}")
                .post("/api/worker/register")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        id = r.getString("id");
        key = r.getString("key");
        return this;
    }

    RequestSpecification request() {
        RequestSpecification r = given().auth().none().header("Authorization", "Bearer " + token);
        return key == null ? r : r.header(WorkerRegistry.KEY_HEADER, key);
    }

    Response claim() {
        Response r = request().post("/api/worker/claim");
        if (r.statusCode() == 200) {
            hold(r.jsonPath().getLong("job.run"), r.jsonPath().getInt("job.attempt"));
        }
        return r;
    }

    /** Keeps renewing this job's lease until {@link #close()}. */
    synchronized void hold(long run, int attempt) {
        jobs.add(run + "/" + attempt);
        held.add("{\"run\": " + run + ", \"attempt\": " + attempt + "}");
        if (beat == null) {
            beat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "test-worker-heartbeat");
                t.setDaemon(true);
                return t;
            });
            beat.scheduleWithFixedDelay(
                    () -> {
                        try {
                            post("/api/worker/heartbeat", "{\"jobs\": [" + String.join(",", held) + "]}");
                        } catch (RuntimeException e) {
                            // the next beat tries again
                        }
                    },
                    0,
                    500,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the heartbeats and gives back what it still holds, so that no test leaves a job leased. */
    @Override
    public synchronized void close() {
        if (beat != null) {
            beat.shutdownNow();
        }
        for (String job : jobs) {
            request().post("/api/worker/jobs/" + job + "/release"); // 409 for those it finished: fine
        }
        jobs.clear();
    }

    Response post(String path, String json) {
        return request().contentType(ContentType.JSON).body(json).post(path);
    }

    static String epoch(int n) {
        return "{\"epoch\": " + n + ", \"trainLoss\": 1, \"trainAccuracy\": 0.5, \"valLoss\": 1, \"valAccuracy\": 0.5,"
                + " \"seconds\": 1, \"imagesPerSecond\": 1}";
    }
}
