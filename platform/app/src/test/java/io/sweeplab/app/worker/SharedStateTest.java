package io.sweeplab.app.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.queue.JdbcJobQueue;
import io.sweeplab.app.security.JdbcLoginFailureStore;
import io.sweeplab.core.access.LoginThrottle;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.WorkerRegistry;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What several platform instances share through the database, seen from one: a cancel sent by another instance
 * (a bare {@code NOTIFY}) reaches this one's waiting workers, also after the listening connection was lost; the
 * reaper stands aside while another instance holds its lock; the sign-in throttle's counts are one for all.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class SharedStateTest {

    @Inject
    CancelNotifier waiters;

    @Inject
    DataSource db;

    @Inject
    JobQueue queue;

    @Inject
    WorkerRegistry registry;

    @Inject
    InProcessWorker embedded;

    @Inject
    JdbcLoginFailureStore failures;

    @Inject
    LoginThrottle throttle;

    static long experiment;

    @BeforeEach
    void setUp() {
        embedded.pause(true);
        if (experiment == 0) {
            experiment = TestPlatform.experiment("shared-team", "Shared", "Instances");
        }
    }

    @AfterEach
    void tearDown() {
        embedded.pause(false);
        throttle.clear();
    }

    long sql(String statement, Object... args) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = io.sweeplab.app.db.Jdbc.prepare(c, statement, args)) {
            if (!ps.execute()) {
                return ps.getUpdateCount();
            }
            try (ResultSet rs = ps.getResultSet()) {
                Object first = rs.next() ? rs.getObject(1) : null;
                return first instanceof Number n ? n.longValue() : -1; // pg_notify answers void
            }
        }
    }

    /** A run leased to a worker the test drives by hand (another instance's, say). */
    long leasedRun() {
        String worker = TestPlatform.registerTestWorker(registry);
        long run = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 3}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        assertThat(queue.claim(worker).orElseThrow().job().run()).isEqualTo(run);
        return run;
    }

    long listenerBackend() throws SQLException {
        return sql(
                "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE application_name = ?",
                CancelBroadcast.APPLICATION_NAME);
    }

    @Test
    void a_cancel_notified_by_another_instance_answers_a_long_poll_here_at_once() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listenerBackend() > 0);
        CompletableFuture<List<Long>> poll = waiters.await("elsewhere", Set.of(912_345L), Duration.ofSeconds(30));
        sql("SELECT pg_notify(?, ?)", CancelBroadcast.CHANNEL, "912345");
        assertThat(poll.get(3, TimeUnit.SECONDS)).containsExactly(912_345L);
    }

    @Test
    void a_listener_that_lost_its_connection_comes_back_and_delivers_the_cancels_it_missed() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listenerBackend() > 0);
        long run = leasedRun();
        CompletableFuture<List<Long>> poll = waiters.await("elsewhere", Set.of(run), Duration.ofSeconds(30));
        // cancelled while this instance could not hear it: no notification will ever come
        sql("UPDATE runs SET cancel_requested = true WHERE id = ?", run);
        long before = listenerBackend();
        assertThat(sql("SELECT count(*) FROM (SELECT pg_terminate_backend(?)) t", (int) before))
                .isEqualTo(1);
        assertThat(poll.get(10, TimeUnit.SECONDS)).containsExactly(run);
        assertThat(listenerBackend()).as("a new connection").isNotIn(0L, before);

        CompletableFuture<List<Long>> next = waiters.await("elsewhere", Set.of(912_346L), Duration.ofSeconds(30));
        sql("SELECT pg_notify(?, ?)", CancelBroadcast.CHANNEL, "912346");
        assertThat(next.get(3, TimeUnit.SECONDS)).as("listening again").containsExactly(912_346L);
    }

    @Test
    void the_reaper_stands_aside_while_another_instance_reaps() throws Exception {
        long run = leasedRun();
        try (Connection other = db.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, JdbcJobQueue.REAPER_LOCK);
            lock.execute();
            sql("UPDATE jobs SET lease_expires_at = now() - interval '1 minute' WHERE run_id = ?", run);
            assertThat(queue.reapExpired(3)).as("another instance is reaping").isEmpty();
            assertThat(sql("SELECT count(*) FROM jobs WHERE run_id = ? AND state = 'leased'", run))
                    .isEqualTo(1);
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, JdbcJobQueue.REAPER_LOCK);
                unlock.execute();
            }
        }
        // then this instance's reaper (or the call here) puts the job back in the queue
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> queue.reapExpired(3).contains(run)
                        || sql("SELECT count(*) FROM jobs WHERE run_id = ? AND state = 'queued'", run) == 1);
        given().post("/api/runs/" + run + "/cancel").then().statusCode(200);
    }

    @Test
    void failures_counted_by_one_instance_slow_sign_ins_on_another_and_none_is_lost_when_they_race() throws Exception {
        LoginThrottle a = new LoginThrottle(failures, Clock.systemUTC());
        LoginThrottle b = new LoginThrottle(failures, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            a.failed("ada", "10.9.0.1");
        }
        assertThat(b.waitFor("ada", "10.9.0.1")).as("the other instance").isPresent();
        b.succeeded("ada", "10.9.0.1");
        assertThat(a.waitFor("ada", "10.9.0.1"))
                .as("a success on the other clears it")
                .isEmpty();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> all = java.util.stream.IntStream.range(0, 16)
                    .mapToObj(i ->
                            CompletableFuture.runAsync(() -> (i % 2 == 0 ? a : b).failed("bob", "10.9.0.2"), pool))
                    .toList();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures.find(List.of("address:10.9.0.2"))
                        .get("address:10.9.0.2")
                        .level())
                .as("all 16 failures counted")
                .isBetween(15.9, 16.0);
    }
}
