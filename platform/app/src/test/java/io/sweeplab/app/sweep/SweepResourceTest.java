package io.sweeplab.app.sweep;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sweeps and the lab's templates through the REST API, on small subsets of the real data. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class SweepResourceTest {

    static long experiment;

    @BeforeEach
    void experiment() {
        if (experiment == 0) {
            given().contentType(ContentType.JSON)
                    .body("{\"slug\": \"sweeps-team\", \"name\": \"Sweeps\"}")
                    .post("/api/teams");
            experiment = ((Number) given().contentType(ContentType.JSON)
                            .body("{\"name\": \"Grids\"}")
                            .post("/api/teams/sweeps-team/experiments")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id"))
                    .longValue();
        }
    }

    static JsonPath awaitDone(long sweep) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    String status =
                            given().get("/api/sweeps/" + sweep).then().extract().path("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        return given().get("/api/sweeps/" + sweep)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void a_twelve_run_grid_runs_every_cell_once_with_one_metric_row_per_epoch() {
        long id = ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "name": "filters x layers x epochs",
                         "base": {"architecture": "cnn", "data": {"trainLimit": 256, "testLimit": 64}},
                         "grid": {"epochs": [1, 2], "params.filters": [[8, 8], [16, 16], [8, 16]],
                                  "params.convLayers": [1, 2]}}""".formatted(experiment))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .body("size", equalTo(12))
                        .body("runs", hasSize(12))
                        .body("grid.epochs", equalTo(List.of(1, 2)))
                        .extract()
                        .path("id"))
                .longValue();

        JsonPath sweep = awaitDone(id);
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        assertThat(sweep.getInt("counts.succeeded")).isEqualTo(12);
        List<Map<String, Object>> runs = sweep.getList("runs");
        assertThat(runs).extracting(r -> r.get("cell")).doesNotHaveDuplicates();
        for (Map<String, Object> run : runs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cell = (Map<String, Object>) run.get("cell");
            assertThat(run.get("epochs")).isEqualTo(cell.get("epochs"));
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) run.get("params");
            assertThat(params.get("filters")).isEqualTo(cell.get("params.filters"));
            assertThat(params.get("convLayers")).isEqualTo(cell.get("params.convLayers"));
            List<Integer> epochs = given().get("/api/runs/" + run.get("id") + "/metrics")
                    .then()
                    .extract()
                    .path("epoch");
            int expected = (Integer) cell.get("epochs");
            assertThat(epochs).hasSize(expected).doesNotHaveDuplicates();
        }
        given().get("/api/sweeps?experiment=" + experiment)
                .then()
                .statusCode(200)
                .body("find { it.id == " + id + " }.status", equalTo("succeeded"));
    }

    @Test
    void duplicate_cells_are_removed() {
        given().contentType(ContentType.JSON)
                .body("""
                        {"experiment": %d, "name": "dups", "base": {"architecture": "dense", "data": {"trainLimit": 64,
                         "testLimit": 32}}, "grid": {"epochs": [1, 1], "params.units": [16, 16]}}""".formatted(experiment))
                .post("/api/sweeps")
                .then()
                .statusCode(201)
                .body("size", equalTo(1));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"architecture": "cnn"} | {"params.dropout": [0.1, 0.2]}               | grid.params.dropout      | in cell {params.dropout=0.1}: unknown parameter; known: convLayers, filters, kernel, padding, units
            {"architecture": "cnn"} | {"params.filters": [[32, 32], [32, 0]]}     | grid.params.filters      | in cell {params.filters=[32, 0]}: element 1 (0) must be between 1 and 1024
            {"architecture": "cnn"} | {"epochs": [5, -1]}                          | grid.epochs              | in cell {epochs=-1}: must be between 1 and 1000
            {"architecture": "cnn"} | {"epochs": []}                               | grid.epochs              | needs at least one value
            {"architecture": "cnn"} | {"epochs": [1,2,3,4,5,6,7,8,9,10], "seed": [1,2,3,4,5,6,7,8,9,10], "batchSize": [8,16,32,64,128,256]} | grid | expands to 600 runs, more than the limit of 500 (sweeplab.sweeps.max-runs)
            {"architecture": "mlp"} | {"epochs": [1]}                              | base.architecture        | in cell {epochs=1}: unknown architecture 'mlp'; available: acme-graph, acme-picky, cnn, dense
            {"architecture": "acme-graph"} | {"epochs": [1]}                       | base.architecture        | in cell {epochs=1}: architecture 'acme-graph' describes a graph network (ComputationGraphConfiguration); Sweeplab trains layer stacks (MultiLayerConfiguration) only
            {"architecture": "acme-picky"} | {"params.width": [8, 7]}              | grid.params.width        | in cell {params.width=7}: width must be even
            {"architecture": "cnn"} | {"colour": ["red"]}                          | grid.colour              | in cell {colour=red}: unknown field; known: architecture, batchSize, callbacks, data, dataset, epochs, experiment, gpu, learningRate, params, seed, visualizers
            {"architecture": "cnn"} | {"epochs": ["five"]}                         | grid.epochs              | in cell {epochs=five}: must be a whole number
            """)
    void invalid_grids_are_400_naming_the_cell_and_field(String base, String grid, String field, String message) {
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"name\": \"bad\", \"base\": " + base + ", \"grid\": "
                        + grid + "}")
                .post("/api/sweeps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("errors[0].message", equalTo(message));
    }

    @Test
    void a_grid_too_large_to_count_is_a_400_naming_grid() {
        StringBuilder grid = new StringBuilder("{");
        for (int i = 0; i < 70; i++) {
            grid.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": [1, 2]");
        }
        grid.append('}');
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"name\": \"huge\", \"base\": {\"architecture\": \"cnn\"},"
                        + " \"grid\": " + grid + "}")
                .post("/api/sweeps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("grid"))
                .body("errors[0].message", startsWith("expands to more than 9223372036854775807 runs"));
    }

    @Test
    void a_sweep_can_be_cancelled() {
        long id = ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "name": "long", "base": {"architecture": "cnn", "epochs": 30,
                         "data": {"trainLimit": 4000}}, "grid": {"seed": [1, 2, 3]}}""".formatted(experiment))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        given().post("/api/sweeps/" + id + "/cancel").then().statusCode(200);
        JsonPath sweep = awaitDone(id);
        assertThat(sweep.getString("status")).isEqualTo("cancelled");
        assertThat(sweep.getInt("counts.cancelled")).isEqualTo(3);
        given().post("/api/sweeps/" + id + "/cancel").then().statusCode(409);
        given().get("/api/sweeps/987654").then().statusCode(404).body("detail", equalTo("no sweep 987654"));
    }

    @Test
    void every_lab_template_launches_in_one_call_and_runs() {
        List<String> ids = given().get("/api/templates")
                .then()
                .statusCode(200)
                .body("teaches", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.endsWith(".")))
                .extract()
                .path("id");
        assertThat(ids)
                .containsExactly(
                        "dense-vs-cnn",
                        "overfitting",
                        "exercise-1-filters",
                        "exercise-2-remove-final-convolution",
                        "exercise-3-more-convolutions",
                        "exercise-4-first-convolution-only",
                        "exercise-5-loss-threshold");
        for (String t : ids) {
            long id = ((Number) given().contentType(ContentType.JSON)
                            .body("{\"experiment\": " + experiment
                                    + ", \"data\": {\"trainLimit\": 128, \"testLimit\": 32}}")
                            .post("/api/templates/" + t + "/launch")
                            .then()
                            .statusCode(201)
                            .body("template", equalTo(t))
                            .extract()
                            .path("id"))
                    .longValue();
            JsonPath sweep = awaitDone(id);
            assertThat(sweep.getString("status")).as(t).isEqualTo("succeeded");
            assertThat(sweep.getInt("size")).as(t).isGreaterThanOrEqualTo(2);
        }
        given().post("/api/templates/exercise-9/launch").then().statusCode(415);
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": 1}")
                .post("/api/templates/exercise-9/launch")
                .then()
                .statusCode(404)
                .body("detail", startsWith("no template 'exercise-9'"));
    }

    @Test
    void a_template_launches_with_the_visualizers_chosen_and_a_bad_one_names_its_field() {
        long id = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + experiment + ", \"data\": {\"trainLimit\": 64, \"testLimit\": 16},"
                                + " \"visualizers\": [{\"id\": \"confusion-matrix\"}, {\"id\": \"misclassified\","
                                + " \"params\": {\"count\": 3}}]}")
                        .post("/api/templates/exercise-2-remove-final-convolution/launch")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        JsonPath sweep = given().get("/api/sweeps/" + id).then().extract().jsonPath();
        assertThat(sweep.getList("runs.visualizers.id")).containsOnly(List.of("confusion-matrix", "misclassified"));
        given().post("/api/sweeps/" + id + "/cancel").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"visualizers\": [{\"id\": \"misclassified\","
                        + " \"params\": {\"count\": 1000}}]}")
                .post("/api/templates/exercise-2-remove-final-convolution/launch")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.endsWith("visualizers[0].params.count"));
    }

    @Test
    void a_sweeps_runs_export_as_csv_and_json_with_last_and_best_epochs_and_a_runs_epochs_as_csv() throws Exception {
        long id = ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "name": "export", "base": {"architecture": "dense", "epochs": 2,
                         "data": {"trainLimit": 256, "testLimit": 64}},
                         "grid": {"learningRate": [0.001, 0.01], "params.units": [16]}}""".formatted(experiment))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        awaitDone(id);

        String csv = given().get("/api/sweeps/" + id + "/runs.csv")
                .then()
                .statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", "attachment; filename=\"sweep-" + id + "-runs.csv\"")
                .extract()
                .asString();
        com.fasterxml.jackson.dataformat.csv.CsvMapper mapper = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
        List<java.util.Map<String, String>> rows;
        try (com.fasterxml.jackson.databind.MappingIterator<java.util.Map<String, String>> it = mapper.readerForMapOf(
                        String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema()
                        .withHeader())
                .readValues(csv)) {
            rows = it.readAll();
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).keySet())
                .startsWith("run", "status", "learningRate", "params.units", "epochsDone")
                .contains("last.valAccuracy", "bestEpoch", "best.valAccuracy", "testAccuracy");
        List<java.util.Map<String, Object>> json = given().get("/api/sweeps/" + id + "/runs.json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(json).hasSize(2);
        for (java.util.Map<String, String> row : rows) {
            long run = Long.parseLong(row.get("run"));
            List<Float> val = given().get("/api/runs/" + run + "/metrics")
                    .then()
                    .extract()
                    .jsonPath()
                    .getList("valAccuracy", Float.class);
            assertThat(row.get("status")).isEqualTo("succeeded");
            assertThat(row.get("params.units")).isEqualTo("16");
            assertThat(Double.parseDouble(row.get("last.valAccuracy"))).isCloseTo(val.get(1), within(1e-6));
            int best = Integer.parseInt(row.get("bestEpoch"));
            assertThat(Double.parseDouble(row.get("best.valAccuracy")))
                    .isCloseTo(
                            val.stream().mapToDouble(Float::doubleValue).max().orElseThrow(), within(1e-6))
                    .isCloseTo(val.get(best - 1), within(1e-6));
            assertThat(json.stream().filter(j -> ((Number) j.get("run")).longValue() == run))
                    .singleElement()
                    .satisfies(j ->
                            assertThat(((Number) j.get("bestEpoch")).intValue()).isEqualTo(best));

            String epochs = given().get("/api/runs/" + run + "/metrics.csv")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            List<java.util.Map<String, String>> epochRows;
            try (com.fasterxml.jackson.databind.MappingIterator<java.util.Map<String, String>> it =
                    mapper.readerForMapOf(String.class)
                            .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema()
                                    .withHeader())
                            .readValues(epochs)) {
                epochRows = it.readAll();
            }
            assertThat(epochRows).extracting(r -> r.get("epoch")).containsExactly("1", "2");
            assertThat(Double.parseDouble(epochRows.get(0).get("valAccuracy"))).isCloseTo(val.get(0), within(1e-6));
        }
        assertThat(rows).extracting(r -> r.get("learningRate")).containsExactlyInAnyOrder("0.001", "0.01");
        given().get("/api/sweeps/999999/runs.csv").then().statusCode(404);
        given().get("/api/sweeps/abc/runs.csv").then().statusCode(404).body("detail", startsWith("no object with id"));
    }
}
