package io.sweeplab.app.sweep;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.access.Authenticator;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.components.Charts;
import io.sweeplab.frontend.sweeps.SweepPage;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The dashboard at scale: a sweep of 1,000 runs x 100 epochs, seeded straight into the database, opened the way the
 * sweep view opens it (the sweep, all metrics, the comparison chart as JSON, curves of selected runs). Prints the
 * server time it takes; the figure is reported, not asserted (timings belong to benchmarks, not to unit tests).
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class SweepScaleTest {

    static final int RUNS = 1000;
    static final int EPOCHS = 100;

    @Inject
    DataSource db;

    @Inject
    SweepService sweeps;

    @Inject
    Authenticator auth;

    @Inject
    InProcessWorker embedded;

    @Test
    void a_sweep_of_1000_runs_by_100_epochs_opens_with_all_its_data() throws Exception {
        embedded.pause(true);
        long sweep;
        try {
            sweep = seed();
        } finally {
            embedded.pause(false);
        }
        Caller admin = auth.user("admin").orElseThrow();
        ObjectMapper json = new ObjectMapper();
        List<Long> times = new ArrayList<>();
        SweepPage page = null;
        int bytes = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            page = SweepPage.load(sweeps, admin, sweep, null);
            String option = json.writeValueAsString(page.comparison());
            List<Map<String, Object>> curves = new ArrayList<>();
            for (SweepPage.Row r : page.rows().subList(0, 10)) {
                curves.add(Charts.line("train", r.metrics(), EpochMetric::trainAccuracy, true));
                curves.add(Charts.line("val", r.metrics(), EpochMetric::valAccuracy, false));
            }
            bytes = option.length()
                    + json.writeValueAsString(Charts.epochChart("accuracy", curves))
                            .length();
            times.add((System.nanoTime() - t0) / 1_000_000);
        }
        List<Long> sorted = times.stream().sorted().toList();
        System.out.printf(
                "SWL-BENCH sweep page, %d runs x %d epochs: first open %d ms, median of 5 %d ms (load, comparison"
                        + " chart and 10 overlaid curves as JSON, %,d bytes)%n",
                RUNS, EPOCHS, times.get(0), sorted.get(2), bytes);

        assertThat(page.rows()).hasSize(RUNS);
        assertThat(page.rows()).allSatisfy(r -> assertThat(r.metrics()).hasSize(EPOCHS));
        assertThat(page.finished()).isEqualTo(RUNS);
        @SuppressWarnings("unchecked")
        Map<String, Object> xAxis = (Map<String, Object>) page.comparison().get("xAxis");
        assertThat((List<?>) xAxis.get("data"))
                .as("one category per filter count")
                .hasSize(4);
        assertThat((List<?>) page.comparison().get("series"))
                .as("one series per conv-layer count")
                .hasSize(4);

        given().delete("/api/sweeps/" + sweep).then().statusCode(204);
    }

    /** A sweep through the API (2 runs), grown to 1,000 finished runs with 100 epochs each in SQL. */
    long seed() throws Exception {
        String team = given().contentType(ContentType.JSON)
                .body("{\"name\": \"Scale " + System.nanoTime() + "\"}")
                .post("/api/teams")
                .then()
                .statusCode(201)
                .extract()
                .path("slug");
        int experiment = given().contentType(ContentType.JSON)
                .body("{\"name\": \"scale\"}")
                .post("/api/teams/" + team + "/experiments")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        int sweep = given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"name\": \"1000 x 100\", \"base\": {\"architecture\":"
                        + " \"cnn\", \"epochs\": " + EPOCHS + "}, \"grid\": {\"params.filters\": [[16, 16], [32,"
                        + " 32]], \"params.convLayers\": [1]}}")
                .post("/api/sweeps")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO runs (team_id, experiment_id, sweep_id, spec, status, architecture, cell)
                    SELECT team_id, experiment_id, sweep_id, spec, 'succeeded', architecture, cell
                    FROM runs, generate_series(1, ?) g WHERE id = (SELECT min(id) FROM runs WHERE sweep_id = ?)""")) {
                ps.setInt(1, RUNS - 2);
                ps.setInt(2, sweep);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs r SET status = 'succeeded', epochs_done = ?, test_loss = 0.3,
                        test_accuracy = 0.85 + (k.n % 4) * 0.01 + (k.n / 4 % 4) * 0.005,
                        cell = jsonb_build_object(
                            'params.filters', jsonb_build_array(16 * (1 + k.n % 4), 16 * (1 + k.n % 4)),
                            'params.convLayers', 1 + k.n / 4 % 4, 'seed', k.n),
                        started_at = now(), finished_at = now()
                    FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM runs WHERE sweep_id = ?) k
                    WHERE r.id = k.id""")) {
                ps.setInt(1, EPOCHS);
                ps.setInt(2, sweep);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO run_metrics (run_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
                        seconds, images_per_second)
                    SELECT r.id, e, 1.0 / e, 0.6 + e * 0.0039, 1.1 / e + e * 0.002, 0.62 + least(e, 30) * 0.008,
                        1.5, 6000
                    FROM runs r, generate_series(1, ?) e WHERE r.sweep_id = ?""")) {
                ps.setInt(1, EPOCHS);
                ps.setInt(2, sweep);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET state = 'done' WHERE run_id IN (SELECT id FROM runs WHERE sweep_id = ?)")) {
                ps.setInt(1, sweep);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE sweeps SET size = ? WHERE id = ?")) {
                ps.setInt(1, RUNS);
                ps.setInt(2, sweep);
                ps.executeUpdate();
            }
            c.commit();
        }
        return sweep;
    }
}
