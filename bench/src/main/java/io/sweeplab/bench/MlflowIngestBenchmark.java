package io.sweeplab.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric ingest through MLflow's log-batch (1,000 points a call, several clients at once, each its own run) and the
 * read of a long history (metrics/get-history), against a running platform, with nothing but the JDK: what an MLflow
 * client sends, over HTTP/1.1. The history's server time is the {@code Server-Timing} header the platform adds.
 *
 * <p>Usage: {@code java MlflowIngestBenchmark.java <url> <user> <password> [clients 4] [batches per client 100]
 * [history reads 5] [team]}; an empty user sends the password as a bearer token, as MLflow clients send
 * {@code MLFLOW_TRACKING_TOKEN}; each client's run ends with batches x 1,000 points of one metric, and the first run's history
 * is read.
 */
public final class MlflowIngestBenchmark {

    static HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static String base;
    static String auth;

    public static void main(String[] args) throws Exception {
        base = args[0].replaceAll("/$", "") + "/api/2.0/mlflow/";
        auth = args[1].isEmpty()
                ? "Bearer " + args[2] // MLFLOW_TRACKING_TOKEN
                : "Basic " + Base64.getEncoder()
                        .encodeToString((args[1] + ":" + args[2]).getBytes(StandardCharsets.UTF_8));
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int batches = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        int reads = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        String team = args.length > 6 ? args[6] : "bench";

        String exp = field(post("experiments/create", "{\"name\": \"" + team + "/ingest " + System.currentTimeMillis()
                + "\"}"), "experiment_id");
        List<String> runs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            runs.add(field(post("runs/create", "{\"experiment_id\": \"" + exp + "\", \"run_name\": \"client " + c
                    + "\", \"start_time\": " + System.currentTimeMillis() + "}"), "run_id"));
        }
        // warm-up: a few batches each, into a metric of their own
        ingest(runs, 5, "warmup");
        long start = System.nanoTime();
        long points = ingest(runs, batches, "loss");
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "ingest: %d clients x %d log-batch calls of 1000 points: %d points in %.2f s ="
                + " %.0f points/s%n", clients, batches, points, secs, points / secs);

        List<Double> server = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        int size = 0;
        String timing = "";
        for (int i = 0; i < reads; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "metrics/get-history?run_id=" + runs.get(0)
                                    + "&metric_key=loss"))
                            .header("Authorization", auth)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            wall.add((System.nanoTime() - t) / 1e6);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("get-history: " + r.statusCode() + " " + r.body());
            }
            Matcher m = Pattern.compile("app;dur=([0-9.]+)")
                    .matcher(r.headers().firstValue("Server-Timing").orElse(""));
            server.add(m.find() ? Double.parseDouble(m.group(1)) : Double.NaN);
            timing = r.headers().firstValue("Server-Timing").orElse("");
            size = r.body().split("\"step\"", -1).length - 1;
        }
        System.out.printf(Locale.ROOT, "history: %d points; server time median %.1f ms (min %.1f), client wall median"
                + " %.1f ms, over %d reads (the first included)%n", size, median(server), Collections.min(server),
                median(wall), reads);
        System.out.println("history: the last read's Server-Timing: " + timing);
    }

    static long ingest(List<String> runs, int batches, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(runs.size());
        List<Future<Long>> done = new ArrayList<>();
        for (String run : runs) {
            done.add(pool.submit(() -> {
                long n = 0;
                long ts = System.currentTimeMillis();
                for (int b = 0; b < batches; b++) {
                    StringBuilder body = new StringBuilder(80_000).append("{\"run_id\": \"").append(run)
                            .append("\", \"metrics\": [");
                    for (int i = 0; i < 1000; i++) {
                        long step = (long) b * 1000 + i;
                        if (i > 0) {
                            body.append(", ");
                        }
                        body.append("{\"key\": \"").append(key).append("\", \"value\": ")
                                .append(1.0 / (1 + step)).append(", \"timestamp\": ").append(ts + step)
                                .append(", \"step\": ").append(step).append('}');
                    }
                    post("runs/log-batch", body.append("]}").toString());
                    n += 1000;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> f : done) {
            total += f.get();
        }
        pool.shutdown();
        return total;
    }

    static String post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
