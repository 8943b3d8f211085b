package io.sweeplab.app.sweep;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Search sweeps through the REST API, on small subsets of the real data: strategies propose trials as earlier ones
 * end, within the budget and the parallelism; a scheduler stops trials; a search is extended; failed and cancelled
 * runs are re-run.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class SearchSweepTest {

    static long experiment;

    @BeforeEach
    void experiment() {
        if (experiment == 0) {
            experiment = TestPlatform.experiment("search-team", "Search", "Searches");
        }
    }

    static long launch(String body) {
        return ((Number) given().contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "tpe"})
    void a_search_runs_its_budget_of_six_trials_at_most_two_at_a_time(String strategy) throws Exception {
        String params = strategy.equals("tpe") ? "{\"startupTrials\": 3}" : "{}";
        long id = launch("""
                {"experiment": %d, "name": "%s search",
                 "base": {"architecture": "dense", "epochs": 1, "data": {"trainLimit": 300, "testLimit": 100}},
                 "strategy": {"id": "%s", "params": %s},
                 "space": {"learningRate": {"float": [0.0003, 0.01], "log": true},
                           "params.units": {"int": [16, 128], "log": true}},
                 "objective": {"metric": "valAccuracy", "goal": "max"},
                 "budget": {"maxRuns": 6}, "parallelism": 2, "seed": 7}""".formatted(experiment, strategy, strategy, params));
        JsonPath started = given().get("/api/sweeps/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(started.getString("search.strategy.id")).isEqualTo(strategy);
        assertThat(started.getList("search.trials"))
                .as("the first trials fill the parallelism")
                .hasSize(2);

        JsonPath sweep = SweepResourceTest.awaitDone(id);
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        List<Map<String, Object>> runs = sweep.getList("runs");
        List<Map<String, Object>> trials = sweep.getList("search.trials");
        assertThat(runs).hasSize(6);
        assertThat(trials).extracting(t -> t.get("number")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(trials).extracting(t -> t.get("run")).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(sweep.getString("search.ended")).contains("6 of 6 trials");
        for (Map<String, Object> trial : trials) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) trial.get("params");
            double lr = ((Number) p.get("learningRate")).doubleValue();
            int units = (Integer) p.get("params.units");
            assertThat(lr).isBetween(0.0003, 0.01);
            assertThat(units).isBetween(16, 128);
            Map<String, Object> run = runs.stream()
                    .filter(r -> r.get("id").equals(trial.get("run")))
                    .findFirst()
                    .orElseThrow();
            assertThat(((Number) run.get("learningRate")).doubleValue()).isEqualTo(lr);
            assertThat(run.get("params")).isEqualTo(Map.of("units", units));
            assertThat(run.get("cell")).isEqualTo(p);
        }
        // never more than two unfinished: each run was created when at most one other was still going
        for (Map<String, Object> r : runs) {
            Instant created = Instant.parse((String) r.get("createdAt"));
            long unfinished = runs.stream()
                    .filter(o -> o != r)
                    .filter(o -> !Instant.parse((String) o.get("createdAt")).isAfter(created))
                    .filter(o -> Instant.parse((String) o.get("finishedAt")).isAfter(created))
                    .count();
            assertThat(unfinished)
                    .as("runs unfinished when run %s was created", r.get("id"))
                    .isLessThan(2);
        }

        String csv = given().get("/api/sweeps/" + id + "/runs.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(csv)) {
            rows = it.readAll();
        }
        assertThat(rows).as("one row per run").hasSize(6);
        assertThat(rows.get(0).keySet()).contains("learningRate", "params.units", "best.valAccuracy", "testAccuracy");
    }

    @Test
    void an_asha_search_stops_a_trial_below_the_top_half_of_its_rung() {
        // one at a time, the best learning rate first: the two tiny ones are far behind it at epoch 1
        long id = launch("""
                {"experiment": %d, "name": "asha",
                 "base": {"architecture": "dense", "epochs": 10, "data": {"trainLimit": 2000, "testLimit": 200}},
                 "strategy": {"id": "grid"},
                 "space": {"learningRate": {"values": [0.003, 0.00001, 0.000005]}},
                 "scheduler": {"id": "asha", "params": {"minEpochs": 1, "reductionFactor": 2}},
                 "budget": {"maxRuns": 3}, "parallelism": 1}""".formatted(experiment));
        JsonPath sweep = SweepResourceTest.awaitDone(id);
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        List<Map<String, Object>> runs = sweep.getList("runs");
        assertThat(runs).hasSize(3);
        assertThat(runs.get(0).get("status"))
                .as("the first trial is alone at its rungs")
                .isEqualTo("succeeded");
        List<Map<String, Object>> stopped =
                runs.stream().filter(r -> "stopped".equals(r.get("status"))).toList();
        assertThat(stopped).as("runs stopped by the scheduler").isNotEmpty();
        for (Map<String, Object> r : stopped) {
            assertThat(r.get("stoppedBy")).isEqualTo("asha");
            assertThat((String) r.get("stopReason")).contains("valAccuracy").contains("epoch");
            assertThat((Integer) r.get("epochsDone")).isLessThan(10);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"strategy\": {\"id\": \"annealing\"}, \"space\": {\"epochs\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 2} | strategy.id | unknown strategy 'annealing'",
                "\"grid\": {\"seed\": [1]}, \"strategy\": {\"id\": \"random\"}, \"space\": {\"epochs\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 2} | grid | give either",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"epochs\": {\"values\": [1]}} | budget.maxRuns | is required",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"params.units\": {\"int\": [8]}}, \"budget\": {\"maxRuns\": 2} | space.params.units | int must be [low, high]",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"params.units\": {\"steps\": [8, 9]}}, \"budget\": {\"maxRuns\": 2} | space.params.units | unknown key 'steps'",
                "\"strategy\": {\"id\": \"grid\"}, \"space\": {\"learningRate\": {\"float\": [0.001, 0.01]}}, \"budget\": {\"maxRuns\": 2} | space.learningRate | grid",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"learningRate\": {\"float\": [0.001, 50]}}, \"budget\": {\"maxRuns\": 2} | space.learningRate | at most 10",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"params.units\": {\"int\": [1, 99999]}}, \"budget\": {\"maxRuns\": 2} | space.params.units | ''",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"epochs\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 2}, \"objective\": {\"metric\": \"f1\"} | objective.metric | unknown metric 'f1'",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"epochs\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 2}, \"parallelism\": 0 | parallelism | between 1 and",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"epochs\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 2}, \"scheduler\": {\"id\": \"hyperband\"} | scheduler.id | unknown scheduler 'hyperband'",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"no such\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 2} | space.no such | is not a path",
                "\"strategy\": {\"id\": \"random\"}, \"space\": {\"epochs\": {\"values\": [1]}}, \"budget\": {\"maxRuns\": 100000} | budget.maxRuns | must be between 1 and",
            })
    void a_bad_search_is_refused_naming_the_field(String settings, String field, String message) {
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"name\": \"bad\", \"base\": {\"architecture\": \"dense\","
                        + " \"epochs\": 1, \"data\": {\"trainLimit\": 64, \"testLimit\": 64}}, " + settings + "}")
                .post("/api/sweeps")
                .then()
                .statusCode(400)
                .body("field", equalTo(field))
                .body("errors[0].message", containsString(message));
    }

    @Test
    void a_finished_search_is_extended_by_two_trials() {
        long id = launch("""
                {"experiment": %d, "name": "extend me",
                 "base": {"architecture": "dense", "epochs": 1, "data": {"trainLimit": 200, "testLimit": 64}},
                 "strategy": {"id": "random"}, "space": {"params.units": {"int": [8, 64]}},
                 "budget": {"maxRuns": 2}, "parallelism": 2, "seed": 3}""".formatted(experiment));
        assertThat(SweepResourceTest.awaitDone(id).getList("runs")).hasSize(2);
        given().contentType(ContentType.JSON)
                .body("{\"trials\": 0}")
                .post("/api/sweeps/" + id + "/extend")
                .then()
                .statusCode(400)
                .body("field", equalTo("trials"));
        given().contentType(ContentType.JSON)
                .body("{\"trials\": 2}")
                .post("/api/sweeps/" + id + "/extend")
                .then()
                .statusCode(200)
                .body("search.budget.maxRuns", equalTo(4));
        JsonPath sweep = SweepResourceTest.awaitDone(id);
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        assertThat(sweep.getList("search.trials.number")).containsExactly(1, 2, 3, 4);
        assertThat(sweep.getList("runs")).hasSize(4);
        assertThat(sweep.getString("search.ended")).contains("4 of 4 trials");
    }

    @Test
    void a_grid_is_not_extended_and_its_cancelled_runs_are_rerun_in_one_action() {
        long id = launch("""
                {"experiment": %d, "name": "cancel then re-run",
                 "base": {"architecture": "dense", "epochs": 2, "data": {"trainLimit": 3000, "testLimit": 100}},
                 "grid": {"seed": [1, 2, 3]}}""".formatted(experiment));
        given().post("/api/sweeps/" + id + "/cancel").then().statusCode(200);
        JsonPath cancelled = SweepResourceTest.awaitDone(id);
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        given().contentType(ContentType.JSON)
                .body("{\"trials\": 2}")
                .post("/api/sweeps/" + id + "/extend")
                .then()
                .statusCode(400)
                .body("field", equalTo("trials"))
                .body("errors[0].message", containsString("grid"));

        given().post("/api/sweeps/" + id + "/rerun").then().statusCode(200);
        JsonPath sweep = SweepResourceTest.awaitDone(id);
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        assertThat(sweep.getInt("counts.succeeded")).isEqualTo(3);
        for (Object run : sweep.getList("runs.id")) {
            given().get("/api/runs/" + run + "/metrics").then().statusCode(200).body("epoch", equalTo(List.of(1, 2)));
        }
        given().post("/api/sweeps/" + id + "/rerun")
                .then()
                .statusCode(409)
                .body("detail", containsString("no failed or cancelled runs"));
        given().get("/api/sweeps/" + id + "/runs.json").then().statusCode(200).body("$", hasSize(3));
    }
}
