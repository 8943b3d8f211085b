package io.sweeplab.app.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.run.RunStore;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's overfitting results are stored as its epochs are recorded through the job queue, shown by the API while it
 * trains and after, and filled in for runs recorded before they were kept.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class OverfittingStoreTest {

    /** Training climbs to the end; validation peaks at epoch 3 and never recovers: it overfits from epoch 3. */
    static final double[] TRAIN = {0.80, 0.86, 0.89, 0.92, 0.95, 0.97};

    static final double[] VAL = {0.84, 0.87, 0.89, 0.885, 0.888, 0.884};

    @Inject
    JobQueue queue;

    @Inject
    WorkerRegistry registry;

    @Inject
    InProcessWorker embedded;

    @Inject
    OverfittingBackfill backfill;

    @Inject
    Jdbc jdbc;

    static long experiment;

    String worker;

    @BeforeEach
    void setUp() {
        given().post("/api/workers/" + embedded.id() + "/pause").then().statusCode(200);
        if (experiment == 0) {
            experiment = TestPlatform.experiment("fit-team", "Fit", "Overfitting");
        }
        worker = TestPlatform.registerTestWorker(registry);
    }

    @AfterEach
    void tearDown() {
        given().post("/api/workers/" + embedded.id() + "/resume").then().statusCode(200);
    }

    static EpochMetric epoch(int i) {
        return new EpochMetric(i + 1, 1 - TRAIN[i], TRAIN[i], 1 - VAL[i], VAL[i], 1.0, 100);
    }

    /** A run trained by the test worker through the queue, all six epochs recorded and finished. */
    long trained(List<EpochMetric> recorded) {
        long run = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 6}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        // the embedded worker is paused and every other test waits for its runs, so ours is the only queued one
        Assignment a = queue.claim(worker).orElseThrow();
        assertThat(a.job().run()).as("the only queued run").isEqualTo(run);
        assertThat(fit(run)).as("no epoch yet, no results").isNull();

        for (int i = 0; i < 2; i++) {
            queue.epoch(worker, a.job(), epoch(i));
            recorded.add(epoch(i));
        }
        // while it runs: validation still improving, so the last epoch is the best and there is no onset
        JsonPath running = json(run);
        assertThat(running.getString("status")).isEqualTo("running");
        assertThat(running.getInt("overfitting.bestValEpoch")).isEqualTo(2);
        assertThat((Object) running.get("overfitting.onset")).isNull();
        assertThat(fit(run)).isEqualTo(Overfitting.of(recorded));

        for (int i = 2; i < TRAIN.length; i++) {
            queue.epoch(worker, a.job(), epoch(i));
            recorded.add(epoch(i));
        }
        queue.finish(
                worker,
                a.job(),
                new RunStore.Outcome(RunStatus.SUCCEEDED, null, null, null, null, 0.4, 0.88),
                TRAIN.length);
        return run;
    }

    @Test
    void recording_epochs_stores_the_overfitting_results_the_api_shows() {
        List<EpochMetric> recorded = new ArrayList<>();
        long run = trained(recorded);

        JsonPath done = json(run);
        assertThat(done.getInt("overfitting.bestValEpoch")).isEqualTo(3);
        assertThat(done.getDouble("overfitting.bestValAccuracy")).isEqualTo(0.89);
        assertThat(done.getInt("overfitting.onset")).isEqualTo(3);
        assertThat(done.getDouble("overfitting.finalGap"))
                .isCloseTo(0.086, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(done.getDouble("overfitting.bestMinusLast"))
                .isCloseTo(0.006, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(fit(run)).isEqualTo(Overfitting.of(recorded));
        // a run's results are the same in its experiment's list
        assertThat(given().get("/api/runs?experiment=" + experiment)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("find { it.id == " + run + " }.overfitting.onset"))
                .isEqualTo(3);
    }

    @Test
    void runs_recorded_before_the_results_were_kept_get_them_at_start_up() {
        List<EpochMetric> recorded = new ArrayList<>();
        long run = trained(recorded);
        // as a run recorded before migration V9 is: epochs, and none of their results
        jdbc.update(
                "UPDATE runs SET best_val_epoch = NULL, best_val_accuracy = NULL, overfit_onset = NULL,"
                        + " final_gap = NULL, best_minus_last = NULL WHERE id = ?",
                run);
        assertThat(fit(run)).isNull();

        assertThat(backfill.fill()).isGreaterThanOrEqualTo(1);
        assertThat(fit(run)).isEqualTo(Overfitting.of(recorded));
        assertThat(json(run).getInt("overfitting.onset")).isEqualTo(3);
        assertThat(backfill.fill()).as("nothing is left to fill in").isZero();
    }

    /** The run as the API shows it, its numbers read as doubles (not the floats JsonPath reads by default). */
    static JsonPath json(long run) {
        return JsonPath.from(given().get("/api/runs/" + run)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** The stored results as the API shows them, back as the {@link Overfitting} they were computed as. */
    static Overfitting fit(long run) {
        JsonPath j = json(run);
        if (j.get("overfitting") == null) {
            return null;
        }
        Integer onset = j.get("overfitting.onset");
        return new Overfitting(
                onset == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(onset),
                j.getInt("overfitting.bestValEpoch"),
                j.getDouble("overfitting.bestValAccuracy"),
                j.getDouble("overfitting.finalGap"),
                j.getDouble("overfitting.bestMinusLast"));
    }
}
