package io.sweeplab.worker.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.run.EpochMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote worker's channel against a scripted platform on the loopback interface: which calls are retried, on
 * which answers, for how long, and which token it sends.
 */
class HttpChannelTest {

    /** One scripted answer: a status (with an optional Retry-After), or 0 to close the connection unanswered. */
    record Answer(int status, String retryAfter, String body) {
        static Answer of(int status) {
            return new Answer(status, null, "");
        }
    }

    static final Answer DROP = Answer.of(0);
    static final WorkerInfo ME = WorkerInfo.announce("w1", "w1", "remote", "cpu", "cpu: test", 1, null, null, 1);
    static final JobRef JOB = new JobRef(7, 1);
    static final EpochMetric EPOCH = new EpochMetric(1, 0.5, 0.8, 0.6, 0.75, 1.0, 100);

    HttpServer server;
    URI url;
    final Deque<Answer> script = new ArrayDeque<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Long> times = Collections.synchronizedList(new ArrayList<>());
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void answer(HttpExchange x) throws IOException {
        x.getRequestBody().readAllBytes();
        requests.add(x.getRequestMethod() + " " + x.getRequestURI().getPath());
        times.add(System.nanoTime());
        authorizations.add(x.getRequestHeaders().getFirst("Authorization"));
        Answer a;
        synchronized (script) {
            a = script.isEmpty() ? Answer.of(204) : script.poll();
        }
        if (a.status() == 0) {
            throw new IOException("the test drops this connection"); // the server closes it unanswered
        }
        if (a.retryAfter() != null) {
            x.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    void answers(Answer... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
    }

    HttpChannel channel(Duration retryFor) {
        return new HttpChannel(url, "swl_test", retryFor);
    }

    @Test
    void an_epoch_whose_answer_was_lost_or_refused_for_now_is_sent_again() {
        answers(DROP, Answer.of(503), Answer.of(502), Answer.of(204));
        channel(Duration.ofSeconds(10)).epoch(JOB, EPOCH);
        assertThat(requests).containsOnly("POST /api/worker/jobs/7/1/epochs").hasSize(4);
    }

    @Test
    void a_lost_lease_stops_at_once_and_a_refused_token_is_final() {
        answers(Answer.of(409));
        assertThatThrownBy(() -> channel(Duration.ofSeconds(10)).epoch(JOB, EPOCH))
                .isInstanceOf(LeaseLostException.class);
        assertThat(requests).hasSize(1);

        answers(Answer.of(401));
        assertThatThrownBy(() -> channel(Duration.ofSeconds(10)).heartbeat(List.of(JOB)))
                .hasMessageContaining("SWL-WORKER-041")
                .hasMessageContaining("401");
        answers(Answer.of(500));
        assertThatThrownBy(() -> channel(Duration.ofSeconds(10)).finish(JOB, null, 1))
                .hasMessageContaining("500");
        assertThat(requests).hasSize(3);
    }

    @Test
    void a_claim_is_never_sent_twice() {
        answers(DROP);
        assertThatThrownBy(() -> channel(Duration.ofSeconds(10)).claim())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("SWL-WORKER-040");
        answers(Answer.of(503));
        assertThatThrownBy(() -> channel(Duration.ofSeconds(10)).claim()).hasMessageContaining("503");
        assertThat(requests).containsExactly("POST /api/worker/claim", "POST /api/worker/claim");
    }

    @Test
    void a_429_is_retried_no_sooner_than_its_retry_after() {
        answers(new Answer(429, "1", ""), Answer.of(204));
        channel(Duration.ofSeconds(10)).started(JOB, "cpu: test", null, null);
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retries_end_when_the_budget_is_spent() {
        for (int i = 0; i < 200; i++) {
            answers(Answer.of(503));
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> channel(Duration.ofSeconds(1)).register(ME))
                .hasMessageContaining("SWL-WORKER-041")
                .hasMessageContaining("503");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(requests.size()).isBetween(3, 20);
    }

    @Test
    void an_unreachable_platform_is_retried_for_the_budget_and_then_reported() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        HttpChannel channel =
                new HttpChannel(URI.create("http://127.0.0.1:" + port), "swl_test", Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> channel.register(ME))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("SWL-WORKER-040")
                .hasMessageContaining("attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900))
                .isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void no_retries_when_the_budget_is_zero() {
        answers(Answer.of(503));
        assertThatThrownBy(() -> channel(Duration.ZERO).epoch(JOB, EPOCH)).hasMessageContaining("503");
        assertThat(requests).hasSize(1);
    }

    @Test
    void the_token_from_the_environment_or_a_file_is_what_the_platform_sees(@TempDir Path dir) throws IOException {
        answers(new Answer(200, null, "{\"leaseSeconds\": 3}"), new Answer(200, null, "{\"leaseSeconds\": 3}"));
        RemoteWorker.Options fromEnv = RemoteWorker.parse(
                new String[] {"--server", url.toString()}, Map.of(RemoteWorker.TOKEN_ENV, "swl_from_env"));
        new HttpChannel(URI.create(fromEnv.get("server")), fromEnv.token(), fromEnv.retryFor()).register(ME);

        Path file = Files.writeString(dir.resolve("token"), "swl_from_file\n");
        RemoteWorker.Options fromFile = RemoteWorker.parse(
                new String[] {"--server", url.toString(), "--token-file", file.toString()},
                Map.of(RemoteWorker.TOKEN_ENV, "swl_from_env"));
        new HttpChannel(URI.create(fromFile.get("server")), fromFile.token(), fromFile.retryFor()).register(ME);

        assertThat(authorizations).containsExactly("Bearer swl_from_env", "Bearer swl_from_file");
    }
}
