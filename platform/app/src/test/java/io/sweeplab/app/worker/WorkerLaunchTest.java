package io.sweeplab.app.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.launch.JdbcLaunchStore;
import io.sweeplab.core.access.Tokens;
import io.sweeplab.core.launch.Launch;
import io.sweeplab.core.launch.LaunchService;
import io.sweeplab.core.launch.LaunchState;
import io.sweeplab.core.launch.LauncherSettings;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamStore;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.api.WorkerRequest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Launch rounds on the real database and worker protocol, through an engine the test plays (it records what it is
 * asked and answers the states the test sets): how many workers are launched, what a launch's token is worth and
 * when it stops working.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class WorkerLaunchTest {

    /** A cluster engine played by the test. */
    static final class Engine implements WorkerLauncher {
        final List<WorkerRequest> requests = new ArrayList<>();
        final Map<String, WorkerStatus> states = new ConcurrentHashMap<>();
        volatile boolean refuse;

        @Override
        public String id() {
            return "played";
        }

        @Override
        public String label() {
            return "Played";
        }

        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public Launched launch(Params params, WorkerRequest request) {
            requests.add(request);
            if (refuse) {
                throw new IllegalStateException("sbatch: error: Batch job submission failed: Invalid account");
            }
            String id = "job-" + request.launch();
            states.put(id, new WorkerStatus(State.PENDING, "PENDING (Resources)"));
            return new Launched(id, "played-" + request.launch());
        }

        @Override
        public Map<String, WorkerStatus> status(Params params, List<String> ids) {
            Map<String, WorkerStatus> out = new java.util.HashMap<>();
            for (String id : ids) {
                if (states.containsKey(id)) {
                    out.put(id, states.get(id));
                }
            }
            return out;
        }

        @Override
        public void cancel(Params params, String id) {
            states.remove(id);
        }
    }

    @Inject
    JdbcLaunchStore store;

    @Inject
    TeamStore teams;

    @Inject
    InProcessWorker embedded;

    Engine engine;
    LaunchService service;
    LaunchService.Configured configured;
    long experiment;
    final List<Long> submitted = new ArrayList<>();

    /** The time as the test moves it: now, plus what it skipped. */
    final class TestClock extends java.time.Clock {
        volatile java.time.Duration ahead = java.time.Duration.ZERO;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(ahead);
        }
    }

    final TestClock clock = new TestClock();

    @BeforeEach
    void setUp() {
        embedded.pause(true); // the queue stays as the test makes it
        String slug = "launch-" + System.nanoTime();
        experiment = TestPlatform.experiment(slug, "Launch team", "Launched");
        engine = new Engine();
        // a launcher of its own per test: one test's failed launches are no other's streak
        LauncherSettings.Parsed p = LauncherSettings.parse(
                "played-" + System.nanoTime(),
                Map.of(
                        "max-workers",
                        "2",
                        "team",
                        slug,
                        "idle-exit",
                        "30s",
                        "cpus",
                        "3",
                        "worker-args",
                        "--engine fast"),
                engine.params());
        assertThat(p.errors()).isEmpty();
        configured = new LaunchService.Configured(p.settings(), engine);
        service = new LaunchService(
                store,
                clock,
                List.of("java", "-jar", "worker.jar"),
                "http://platform:8080",
                s -> teams.team(s).map(Team::id).orElse(null));
        for (Launch l : store.active()) {
            store.end(l.id(), "another test's", true); // rounds see every active launch
        }
    }

    @AfterEach
    void tearDown() {
        for (Launch l : store.active()) {
            store.end(l.id(), "test over", true);
        }
        for (long run : submitted) {
            given().post("/api/runs/" + run + "/cancel"); // no test leaves runs queued
        }
        embedded.pause(false);
    }

    long submit() {
        long id = ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "architecture": "dense", "epochs": 1,
                         "data": {"trainLimit": 200, "testLimit": 64}}""".formatted(experiment))
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        submitted.add(id);
        return id;
    }

    static String token(WorkerRequest r) {
        return r.environment().get(WorkerRequest.TOKEN_ENV);
    }

    @Test
    void three_queued_jobs_and_at_most_two_workers_launch_two_each_with_a_token_of_its_own() {
        submit();
        submit();
        submit();

        LaunchService.Round r = service.round(List.of(configured));

        assertThat(r.launched()).hasSize(2);
        assertThat(engine.requests).hasSize(2);
        WorkerRequest first = engine.requests.get(0);
        assertThat(first.kind()).isEqualTo(WorkerRequest.Kind.CPU);
        assertThat(first.cpus()).isEqualTo(3);
        assertThat(first.gpus()).isZero();
        assertThat(first.program()).containsExactly("java", "-jar", "worker.jar");
        assertThat(first.arguments())
                .containsExactly(
                        "--server",
                        "http://platform:8080",
                        "--idle-exit",
                        "30s",
                        "--slots",
                        "1",
                        "--threads",
                        "3",
                        "--engine",
                        "fast");
        assertThat(token(first)).startsWith(Tokens.PREFIX).isNotEqualTo(token(engine.requests.get(1)));
        assertThat(first.command()).noneMatch(a -> a.contains(token(first)));
        assertThat(store.active())
                .extracting(Launch::state, Launch::workerName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LaunchState.PENDING, "played-" + first.launch()),
                        org.assertj.core.groups.Tuple.tuple(
                                LaunchState.PENDING,
                                "played-" + engine.requests.get(1).launch()));

        // the most are running or waiting: a second round launches nothing more
        assertThat(service.round(List.of(configured)).launched()).isEmpty();
    }

    @Test
    void a_launch_s_token_registers_a_worker_of_the_launcher_s_team_and_is_revoked_when_the_launch_ends() {
        submit();
        service.round(List.of(configured));
        WorkerRequest req = engine.requests.get(0);
        String jobId = "job-" + req.launch();
        engine.states.put(jobId, new WorkerLauncher.WorkerStatus(WorkerLauncher.State.RUNNING, "RUNNING"));
        service.round(List.of(configured));
        assertThat(store.active()).extracting(Launch::state).containsExactly(LaunchState.RUNNING);

        try (ProtocolClient worker = new ProtocolClient(token(req)).register("played-" + req.launch())) {
            io.restassured.response.Response claim = worker.claim();
            assertThat(claim.statusCode()).isEqualTo(200); // the team's queued run
            long run = claim.jsonPath().getLong("job.run");
            assertThat(run).isEqualTo(submitted.get(0));
            List<String> names =
                    given().get("/api/workers").then().extract().path("findAll { it.id == '" + worker.id + "' }.name");
            assertThat(names).containsExactly("played-" + req.launch());
            assertThat(given().get("/api/runs/" + run).then().extract().<String>path("status"))
                    .isEqualTo("running");

            // Slurm (here: the test) says the job is over: the launch ends and its token stops working, and the run
            // its dead worker held is back in the queue well before its lease would have run out
            engine.states.put(jobId, new WorkerLauncher.WorkerStatus(WorkerLauncher.State.ENDED, "CANCELLED by 0"));
            LaunchService.Round r = service.round(List.of(configured));
            assertThat(r.ended()).containsExactly(req.launch());
            assertThat(store.recent(5))
                    .filteredOn(l -> l.id() == req.launch())
                    .extracting(Launch::state, Launch::detail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(LaunchState.ENDED, "CANCELLED by 0"));
            worker.request().post("/api/worker/heartbeat").then().statusCode(401);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofMillis(2500)) // the tests' lease is 3 s, the reaper's tick 1 s
                    .pollInterval(java.time.Duration.ofMillis(100))
                    .until(
                            () -> given().get("/api/runs/" + run)
                                    .then()
                                    .extract()
                                    .path("status"),
                            "queued"::equals);
        }
        given().auth()
                .none()
                .header("Authorization", "Bearer " + token(req))
                .contentType(ContentType.JSON)
                .body("{\"name\": \"again\", \"device\": \"cpu: test\", \"slots\": 1}")
                .post("/api/worker/register")
                .then()
                .statusCode(401);
    }

    @Test
    void workers_still_pending_when_the_jobs_went_elsewhere_are_cancelled() {
        submit();
        submit();
        service.round(List.of(configured));
        assertThat(engine.requests).hasSize(2);
        String kept = "job-" + engine.requests.get(0).launch();
        String newest = "job-" + engine.requests.get(1).launch();
        engine.states.put(kept, new WorkerLauncher.WorkerStatus(WorkerLauncher.State.RUNNING, "RUNNING"));
        given().post("/api/runs/" + submitted.get(1) + "/cancel").then().statusCode(200);

        service.round(List.of(configured));

        assertThat(engine.states).containsKey(kept).doesNotContainKey(newest); // cancelled in the engine
        assertThat(store.active()).extracting(Launch::externalId).containsExactly(kept);
        assertThat(store.recent(5))
                .filteredOn(l -> l.externalId() != null && l.externalId().equals(newest))
                .extracting(Launch::detail)
                .containsExactly("cancelled while pending: 1 job(s) wait for its queue");
    }

    @Test
    void a_launch_s_token_works_only_for_the_worker_protocol() {
        submit();
        service.round(List.of(configured));
        String t = token(engine.requests.get(0));
        given().auth()
                .none()
                .header("Authorization", "Bearer " + t)
                .get("/api/runs")
                .then()
                .statusCode(403);
        given().auth()
                .none()
                .header("Authorization", "Bearer " + t)
                .get("/api/teams")
                .then()
                .statusCode(403);
    }

    @Test
    void a_refused_submission_revokes_its_token_and_the_next_round_tries_again() {
        submit();
        engine.refuse = true;
        LaunchService.Round r = service.round(List.of(configured));
        assertThat(r.launched()).isEmpty();
        WorkerRequest refused = engine.requests.get(0);
        assertThat(store.recent(1).get(0).detail()).contains("not submitted").contains("Invalid account");
        given().auth()
                .none()
                .header("Authorization", "Bearer " + token(refused))
                .contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"device\": \"cpu: test\", \"slots\": 1}")
                .post("/api/worker/register")
                .then()
                .statusCode(401);

        engine.refuse = false;
        assertThat(service.round(List.of(configured)).launched()).hasSize(1);
    }

    @Test
    void a_launch_left_mid_submission_ends_once_it_is_older_than_a_submission_and_a_job_gone_twice_ends() {
        Launch orphan = store.create("played", WorkerRequest.Kind.CPU, null, Tokens.hash(Tokens.newSecret()));
        submit();
        service.round(List.of(configured));
        // young, it may be another instance's submission in progress: left alone
        assertThat(store.active()).extracting(Launch::id).contains(orphan.id());
        WorkerRequest req = engine.requests.get(0);
        engine.states.remove("job-" + req.launch()); // the engine does not list it

        // missing from one answer: the engine's hiccup, perhaps
        assertThat(service.round(List.of(configured)).launched()).isEmpty();
        assertThat(store.active())
                .filteredOn(l -> l.id() == req.launch())
                .extracting(Launch::detail)
                .containsExactly("missing from the engine's last answer");

        clock.ahead = java.time.Duration.ofMinutes(5); // longer than any submission takes
        LaunchService.Round r = service.round(List.of(configured));

        assertThat(store.recent(10))
                .filteredOn(l -> l.id() == orphan.id())
                .extracting(Launch::state, Launch::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        LaunchState.ENDED, "the platform stopped while submitting it"));
        assertThat(store.recent(10))
                .filteredOn(l -> l.id() == req.launch())
                .extracting(Launch::detail)
                .containsExactly("unknown to the engine");
        assertThat(r.launched()).as("its job still waits: a new worker for it").hasSize(1);
    }

    @Test
    void a_disabled_launcher_cancels_its_workers_and_a_missing_one_leaves_them_as_they_are() {
        submit();
        service.round(List.of(configured));
        WorkerRequest req = engine.requests.get(0);
        String job = "job-" + req.launch();
        engine.states.put(job, new WorkerLauncher.WorkerStatus(WorkerLauncher.State.RUNNING, "RUNNING"));

        // on an instance without the launcher (not installed, bad settings): nothing changes, the token works
        service.round(List.of());
        assertThat(store.active()).extracting(Launch::id).containsExactly(req.launch());
        try (ProtocolClient worker = new ProtocolClient(token(req)).register("played-" + req.launch())) {
            assertThat(worker.id).isNotBlank();
        }

        // disabled: its worker is cancelled in the engine and the launch ends
        service.round(List.of(new LaunchService.Configured(configured.settings(), engine, false)));
        assertThat(engine.states).doesNotContainKey(job);
        assertThat(store.active()).isEmpty();
        assertThat(store.recent(1).get(0).detail()).isEqualTo("its launcher was disabled");
    }

    @Test
    void a_launcher_whose_workers_keep_ending_without_registering_waits_before_launching_again() {
        submit();
        for (int i = 0; i < 3; i++) {
            assertThat(service.round(List.of(configured)).launched())
                    .as("launch %d", i + 1)
                    .hasSize(1);
            String job = "job-" + engine.requests.get(i).launch();
            // a wrong image or command: the engine's job ends before the worker ever registers
            engine.states.put(
                    job, new WorkerLauncher.WorkerStatus(WorkerLauncher.State.ENDED, "FAILED (NonZeroExitCode)"));
        }
        assertThat(service.round(List.of(configured)).launched())
                .as("after three such ends: it waits")
                .isEmpty();
        assertThat(service.round(List.of(configured)).launched()).isEmpty();
        assertThat(engine.requests).hasSize(3);

        clock.ahead = java.time.Duration.ofSeconds(31); // the first wait is 30 s
        assertThat(service.round(List.of(configured)).launched()).hasSize(1);
        engine.states.put(
                "job-" + engine.requests.get(3).launch(),
                new WorkerLauncher.WorkerStatus(WorkerLauncher.State.ENDED, "FAILED (NonZeroExitCode)"));
        // the fourth in a row (it ends in the next round, now): it waits 60 s from then
        clock.ahead = java.time.Duration.ofSeconds(50);
        assertThat(service.round(List.of(configured)).launched()).isEmpty();
        clock.ahead = java.time.Duration.ofSeconds(61);
        assertThat(service.round(List.of(configured)).launched()).hasSize(1);

        // a worker that registers ends the streak
        WorkerRequest fifth = engine.requests.get(4);
        engine.states.put("job-" + fifth.launch(), new WorkerLauncher.WorkerStatus(WorkerLauncher.State.RUNNING, ""));
        try (ProtocolClient worker = new ProtocolClient(token(fifth)).register("played-" + fifth.launch())) {
            assertThat(worker.id).isNotBlank();
        }
        engine.states.put(
                "job-" + fifth.launch(), new WorkerLauncher.WorkerStatus(WorkerLauncher.State.ENDED, "COMPLETED"));
        assertThat(service.round(List.of(configured)).launched()).hasSize(1);
    }

    @Test
    void a_worker_launched_for_gpu_jobs_registers_only_with_a_cuda_backend() {
        LauncherSettings gpuOnly = LauncherSettings.parse(
                        configured.id() + "-gpu",
                        Map.of(
                                "max-workers",
                                "0",
                                "max-gpu-workers",
                                "1",
                                "team",
                                configured.settings().team()),
                        engine.params())
                .settings();
        LaunchService.Configured gpu = new LaunchService.Configured(gpuOnly, engine);
        long run = ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "architecture": "dense", "epochs": 1, "gpu": true,
                         "data": {"trainLimit": 200, "testLimit": 64}}""".formatted(experiment))
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        submitted.add(run);

        assertThat(service.round(List.of(gpu)).launched())
                .extracting(Launch::kind)
                .containsExactly(WorkerRequest.Kind.GPU);
        WorkerRequest req = engine.requests.get(0);
        assertThat(req.gpus()).isEqualTo(1);
        String body = "{\"name\": \"g\", \"device\": \"%s\", \"backend\": \"%s\", \"slots\": 1}";
        given().auth()
                .none()
                .header("Authorization", "Bearer " + token(req))
                .contentType(ContentType.JSON)
                .body(body.formatted("cpu: a CPU build", "cpu"))
                .post("/api/worker/register")
                .then()
                .statusCode(409)
                .body(
                        "detail",
                        org.hamcrest.Matchers.containsString("is for GPU jobs and this worker computes on cpu"));
        given().auth()
                .none()
                .header("Authorization", "Bearer " + token(req))
                .contentType(ContentType.JSON)
                .body(body.formatted("cuda: test GPU", "cuda"))
                .post("/api/worker/register")
                .then()
                .statusCode(200);
    }

    @Test
    void a_launch_long_past_its_time_limit_ends_even_when_the_engine_cannot_be_asked() {
        LauncherSettings limited = LauncherSettings.parse(
                        configured.id(),
                        Map.of("max-workers", "1", "team", configured.settings().team(), "time-limit", "10m"),
                        engine.params())
                .settings();
        LaunchService.Configured c = new LaunchService.Configured(limited, engine);
        submit();
        service.round(List.of(c));
        WorkerRequest req = engine.requests.get(0);
        assertThat(req.timeLimit()).isEqualTo(java.time.Duration.ofMinutes(10));

        clock.ahead = java.time.Duration.ofMinutes(20); // within the limit and its 15 min of grace
        service.round(List.of(c));
        assertThat(store.active()).extracting(Launch::id).contains(req.launch());

        clock.ahead = java.time.Duration.ofMinutes(26);
        service.round(List.of(c));
        assertThat(store.recent(5))
                .filteredOn(l -> l.id() == req.launch())
                .extracting(Launch::state, Launch::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LaunchState.ENDED, "past its time limit"));
        assertThat(engine.states).doesNotContainKey("job-" + req.launch()); // cancelled in the engine
    }

    @Test
    void bad_launcher_settings_are_refused_by_key() {
        LauncherSettings.Parsed p = LauncherSettings.parse(
                "slurm",
                Map.of(
                        "max-workers",
                        "lots",
                        "idle-exit",
                        "0",
                        "server",
                        "platform:8080",
                        "partitoin",
                        "gpu",
                        "worker-args",
                        "--engine fast --token-file /tmp/t"),
                new io.sweeplab.launcher.slurm.SlurmLauncher().params());
        assertThat(p.settings()).isNull();
        assertThat(p.errors())
                .anyMatch(e -> e.startsWith("sweeplab.launchers.slurm.max-workers: must be a whole number"))
                .anyMatch(e -> e.startsWith("sweeplab.launchers.slurm.idle-exit: must be more than 0"))
                .anyMatch(e -> e.startsWith("sweeplab.launchers.slurm.server: must be the platform's http(s) address"))
                .anyMatch(e -> e.startsWith("sweeplab.launchers.slurm.partitoin: unknown parameter"))
                .anyMatch(e -> e.startsWith("sweeplab.launchers.slurm.worker-args: --token-file is the platform's"));
    }
}
