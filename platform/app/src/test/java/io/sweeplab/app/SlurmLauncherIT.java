package io.sweeplab.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code slurm} launcher on a real one-node Slurm cluster ({@code .ci/slurm-up} starts one; {@code SLURM_CONF}
 * names it): a sweep launched with no other worker is trained by workers Slurm started; {@code scancel} of a worker
 * mid-run makes its run resume from its checkpoint in another Slurm job, each epoch once; once the queue is empty the
 * workers exit and their launches end. Skipped where Slurm is not installed, unless {@code SWEEPLAB_REQUIRE_SLURM} is
 * set (CI sets it).
 */
class SlurmLauncherIT {

    private static final Pattern SLURM_WORKER = Pattern.compile("remote@slurm-(\\d+)-.*");

    PackagedPlatform platform;
    String session;

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (slurmAnswers()) {
            run("scancel", "--name=sweeplab-worker"); // leave no worker behind for the next test
        }
    }

    @Test
    void a_sweep_is_trained_by_slurm_workers_a_cancelled_one_s_run_resumes_and_idle_workers_exit() throws Exception {
        boolean required = System.getenv("SWEEPLAB_REQUIRE_SLURM") != null;
        if (required) {
            assertThat(slurmAnswers())
                    .as("Slurm answers (SLURM_CONF=%s)", System.getenv("SLURM_CONF"))
                    .isTrue();
        }
        assumeTrue(slurmAnswers(), "no Slurm cluster answers here: run .ci/slurm-up and export SLURM_CONF");
        Path jar = Path.of(System.getProperty("sweeplab.worker.jar"));
        assertThat(jar).as("the worker jar of this build").isRegularFile();

        Path scratch = Files.createTempDirectory("sweeplab-slurm-it");
        platform = new PackagedPlatform(
                        "sweeplab-slurm",
                        Map.ofEntries(
                                Map.entry("sweeplab.worker.enabled", "false"), // Slurm's workers only
                                Map.entry("sweeplab.queue.lease", "6s"),
                                Map.entry("sweeplab.launchers.interval", "1s"),
                                Map.entry("sweeplab.launchers.worker-jar", jar.toString()),
                                Map.entry("sweeplab.launchers.slurm.enabled", "true"),
                                Map.entry("sweeplab.launchers.slurm.max-workers", "2"),
                                Map.entry("sweeplab.launchers.slurm.cpus", "1"),
                                Map.entry("sweeplab.launchers.slurm.memory-mb", "1500"),
                                Map.entry("sweeplab.launchers.slurm.idle-exit", "8s"),
                                Map.entry("sweeplab.launchers.slurm.time-limit", "30m"),
                                Map.entry("sweeplab.launchers.slurm.output", scratch + "/worker-%j.out"),
                                Map.entry("sweeplab.launchers.slurm.work-dir", scratch + "/work-%j"),
                                Map.entry(
                                        "sweeplab.launchers.slurm.worker-args",
                                        "--dataset-dir /usr/share/datasets/fashion-mnist")))
                .start();
        signIn();
        JsonPath launchers =
                api().get("/api/launchers").then().statusCode(200).extract().jsonPath();
        assertThat(launchers.getList("launchers.findAll { it.id == 'slurm' }.problems.flatten()"))
                .isEmpty();
        api().contentType(ContentType.JSON)
                .body("{\"slug\": \"hpc\", \"name\": \"HPC\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        api().contentType(ContentType.JSON)
                .body("{\"name\": \"On Slurm\"}")
                .post("/api/teams/hpc/experiments")
                .then()
                .statusCode(201);
        api().contentType(ContentType.JSON).body("""
                        {"experiment": 1, "name": "slurm sweep",
                         "base": {"architecture": "cnn", "epochs": 3, "data": {"trainLimit": 6000, "testLimit": 300}},
                         "grid": {"seed": [1, 2, 3]}}""").post("/api/sweeps").then().statusCode(201);

        // a run with an epoch (and so a checkpoint) behind it and more to go: cancel its Slurm job
        long[] victim = new long[2]; // run, Slurm job
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (Map<String, Object> r : api().get("/api/sweeps/1")
                            .then()
                            .extract()
                            .jsonPath()
                            .<Map<String, Object>>getList("runs")) {
                        int done = (Integer) r.get("epochsDone");
                        Object worker = r.get("worker");
                        if ("running".equals(r.get("status")) && done >= 1 && done < 3 && worker != null) {
                            Matcher m = SLURM_WORKER.matcher(worker.toString());
                            assertThat(m.matches()).as("worker %s", worker).isTrue();
                            victim[0] = ((Number) r.get("id")).longValue();
                            victim[1] = Long.parseLong(m.group(1));
                            return true;
                        }
                    }
                    return false;
                });
        // operators see the launcher's workers in the metrics
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> platform.http()
                        .get("/q/metrics")
                        .asString()
                        .lines()
                        .filter(l -> l.startsWith("sweeplab_launcher_workers{launcher=\"slurm\",state=\"running\"}"))
                        .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1));
        assertThat(run("scancel", String.valueOf(victim[1])).exit).isZero();

        Awaitility.await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status = api().get("/api/sweeps/1").then().extract().path("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        JsonPath sweep = api().get("/api/sweeps/1").then().extract().jsonPath();
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        Set<Long> jobs = new TreeSet<>();
        for (Map<String, Object> r : sweep.<Map<String, Object>>getList("runs")) {
            List<Integer> epochs = api().get("/api/runs/" + r.get("id") + "/metrics")
                    .then()
                    .extract()
                    .path("epoch");
            assertThat(epochs).as("run %s: each epoch once", r.get("id")).containsExactly(1, 2, 3);
            Matcher m = SLURM_WORKER.matcher(String.valueOf(r.get("worker")));
            assertThat(m.matches())
                    .as("run %s was trained by a Slurm worker: %s", r.get("id"), r.get("worker"))
                    .isTrue();
            jobs.add(Long.parseLong(m.group(1)));
            if (((Number) r.get("id")).longValue() == victim[0]) {
                assertThat(Long.parseLong(m.group(1)))
                        .as("the cancelled job's run finished in another job")
                        .isNotEqualTo(victim[1]);
                assertThat((Integer) r.get("attempts")).isGreaterThanOrEqualTo(2);
            }
        }
        // it resumed from its checkpoint: the new worker's output says so
        String resumed = "SWL-WORKER-021 run " + victim[0] + " resumes after epoch";
        try (Stream<Path> outs = Files.list(scratch)) {
            assertThat(outs.filter(f -> f.getFileName().toString().startsWith("worker-"))
                            .filter(f -> !f.getFileName().toString().equals("worker-" + victim[1] + ".out"))
                            .anyMatch(f -> read(f).contains(resumed)))
                    .as("a worker log says: %s", resumed)
                    .isTrue();
        }

        // nothing waits: the workers exit by themselves and every launch ends (its token revoked)
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api()
                                .get("/api/launchers")
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("launches.state", String.class)
                                .stream()
                                .allMatch("ended"::equals));
        JsonPath after = api().get("/api/launchers").then().extract().jsonPath();
        List<String> ids = after.getList("launches.externalId", String.class);
        assertThat(ids).hasSizeGreaterThanOrEqualTo(2).contains(String.valueOf(victim[1]));
        assertThat(after.getList("launches.workerName", String.class)).allMatch(n -> n.matches("slurm-\\d+"));
        assertThat(run("squeue", "-h", "--name=sweeplab-worker", "-t", "pending,running")
                        .out
                        .strip())
                .as("no worker job left in Slurm's queue")
                .isEmpty();
        List<String> idle = new ArrayList<>();
        for (String id : ids) {
            if (!id.equals(String.valueOf(victim[1]))) {
                idle.add(read(scratch.resolve("worker-" + id + ".out")));
            }
        }
        assertThat(idle).as("the workers left idle exited by themselves").anyMatch(o -> o.contains("SWL-WORKER-051"));
        assertThat(jobs)
                .as("the runs were trained in Slurm jobs the platform launched")
                .isSubsetOf(ids.stream().map(Long::parseLong).toList());
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    RequestSpecification api() {
        RequestSpecification r = platform.http();
        return session == null ? r : r.cookie("sweeplab-session", session);
    }

    void signIn() throws IOException {
        session = platform.signIn("admin", platform.oneTimePassword());
    }

    record Out(int exit, String out) {}

    static Out run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Out(-1, out);
        }
        return new Out(p.exitValue(), out);
    }

    static boolean slurmAnswers() {
        try {
            return run("sinfo", "-h").exit == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
