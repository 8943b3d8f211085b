package io.sweeplab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the network in tests: a local HTTP server that records every request and answers as an MLflow
 * tracking server would (an experiment and a run that exist once created, {@code {}} for everything else), or as a
 * test scripts it per endpoint: a status and body, a dropped connection, a hang.
 */
public final class RecordingServer implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(
            String method, String path, String query, Map<String, List<String>> headers, byte[] body, long nanos) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** How to answer one request. */
    public interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Answer>> scripts = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean experimentExists;

    public RecordingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next answers to requests whose path ends with {@code endpoint}, in order; then the usual answer. */
    public RecordingServer script(String endpoint, Answer... answers) {
        scripts.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    public static Answer status(int status, String body) {
        return exchange -> reply(exchange, status, body);
    }

    /** Closes the connection without an answer. */
    public static Answer dropConnection() {
        return exchange -> {
            throw new IOException("dropping the connection on purpose");
        };
    }

    /** Answers only once {@link #release()} is called (or after a minute). */
    public Answer hang() {
        return exchange -> {
            try {
                released.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "{}");
        };
    }

    public void release() {
        released.countDown();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String endpoint) {
        List<Request> found = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().endsWith(endpoint)) {
                found.add(r);
            }
        }
        return found;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(
                exchange.getRequestMethod(),
                path,
                exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()),
                exchange.getRequestBody().readAllBytes(),
                System.nanoTime()));
        for (Map.Entry<String, Queue<Answer>> script : scripts.entrySet()) {
            if (path.endsWith(script.getKey())) {
                Answer next;
                synchronized (script.getValue()) {
                    next = script.getValue().poll();
                }
                if (next != null) {
                    next.answer(exchange);
                    return;
                }
            }
        }
        usual(exchange, path);
    }

    private void usual(HttpExchange exchange, String path) throws IOException {
        if (path.endsWith("/experiments/get-by-name")) {
            if (experimentExists) {
                reply(exchange, 200, "{\"experiment\": {\"experiment_id\": \"7\", \"name\": \"team/exp\"}}");
            } else {
                reply(
                        exchange,
                        404,
                        "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Could not find experiment\"}");
            }
        } else if (path.endsWith("/experiments/create")) {
            experimentExists = true;
            reply(exchange, 200, "{\"experiment_id\": \"7\"}");
        } else if (path.endsWith("/runs/create")) {
            reply(exchange, 200, """
                    {"run": {"info": {"run_id": "r1", "run_uuid": "r1", "experiment_id": "7", "status": "RUNNING",
                     "artifact_uri": "mlflow-artifacts:/7/r1/artifacts", "lifecycle_stage": "active"},
                     "data": {}}}""");
        } else {
            reply(exchange, 200, "{}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
