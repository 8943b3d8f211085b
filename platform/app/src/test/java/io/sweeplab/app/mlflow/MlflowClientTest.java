package io.sweeplab.app.mlflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The official MLflow Java client (2.17.2) against the platform: experiments, runs, params, tags, metrics one by one
 * and in batches, search, histories, the artifact proxy, team isolation and MLflow's error codes.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class MlflowClientTest {

    static final String PASSWORD = "mlflow-password-123";

    static String host;
    static String otherToken;
    static String readToken;

    @BeforeEach
    void teams() {
        if (host != null) {
            return;
        }
        host = "http://localhost:" + io.restassured.RestAssured.port;
        for (String team : List.of("mlflow-a", "mlflow-b")) {
            given().contentType(ContentType.JSON)
                    .body("{\"slug\": \"" + team + "\", \"name\": \"" + team + "\"}")
                    .post("/api/teams");
        }
        user("ml-member", "mlflow-a", "member");
        user("ml-other", "mlflow-b", "member");
        user("ml-both", "mlflow-a", "member");
        given().contentType(ContentType.JSON).body("{\"role\": \"member\"}").put("/api/teams/mlflow-b/members/ml-both");
        otherToken = token("ml-other", "write");
        readToken = token("ml-member", "read");
    }

    static void user(String name, String team, String role) {
        given().contentType(ContentType.JSON)
                .body("{\"username\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}")
                .post("/api/users");
        given().contentType(ContentType.JSON)
                .body("{\"role\": \"" + role + "\"}")
                .put("/api/teams/" + team + "/members/" + name)
                .then()
                .statusCode(200);
    }

    static String token(String user, String scope) {
        return given().auth()
                .preemptive()
                .basic(user, PASSWORD)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"mlflow " + scope + "\", \"scope\": \"" + scope + "\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    static MlflowClient member() {
        return new MlflowClient(new BasicMlflowHostCreds(host, "ml-member", PASSWORD));
    }

    static MlflowClient withToken(String token) {
        return new MlflowClient(new BasicMlflowHostCreds(host, token));
    }

    static String errorCode(Throwable e) {
        return JsonPath.from(((MlflowHttpException) e).getBodyMessage()).getString("error_code");
    }

    @Test
    void the_official_client_logs_a_run_that_shows_as_an_external_sweeplab_run() throws Exception {
        MlflowClient mlflow = member();
        String exp = mlflow.createExperiment("mlflow-a/keras lab");
        assertThat(mlflow.getExperiment(exp).getName()).isEqualTo("mlflow-a/keras lab");
        assertThat(mlflow.getExperimentByName("mlflow-a/keras lab")
                        .orElseThrow()
                        .getExperimentId())
                .isEqualTo(exp);
        assertThat(mlflow.getExperiment(exp).getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + exp);

        RunInfo info = mlflow.createRun(CreateRun.newBuilder()
                .setExperimentId(exp)
                .setRunName("dense baseline")
                .setStartTime(1_700_000_000_000L)
                .build());
        String run = info.getRunId();
        assertThat(run).matches("[0-9a-f]{32}");
        assertThat(info.getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + exp + "/" + run + "/artifacts");

        mlflow.logParam(run, "lr", "0.001");
        mlflow.logParam(run, "lr", "0.001"); // the same value again is fine
        assertThatThrownBy(() -> mlflow.logParam(run, "lr", "0.01"))
                .isInstanceOf(MlflowHttpException.class)
                .satisfies(e ->
                        assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(400))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"));
        mlflow.setTag(run, "model", "cnn");
        mlflow.setTag(run, "doomed", "x");
        mlflow.deleteTag(run, "doomed");
        for (int step = 0; step < 3; step++) {
            mlflow.logMetric(run, "val_accuracy", 0.5 + step / 10.0, 1_700_000_000_000L + step, step);
        }
        // 30 batches of 1,000 points: a history longer than the client's pages of 25,000
        for (int b = 0; b < 30; b++) {
            List<Metric> metrics = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int step = b * 1000 + i;
                metrics.add(Metric.newBuilder()
                        .setKey("loss")
                        .setValue(1.0 / (1 + step))
                        .setTimestamp(1_700_000_000_000L + step)
                        .setStep(step)
                        .build());
            }
            mlflow.logBatch(run, metrics, List.of(), List.of());
        }
        mlflow.logBatch(
                run,
                List.of(),
                List.of(Param.newBuilder().setKey("batch_size").setValue("64").build()),
                List.of(RunTag.newBuilder()
                        .setKey("framework")
                        .setValue("keras")
                        .build()));
        mlflow.setTerminated(run, RunStatus.FINISHED, 1_700_000_100_000L);

        Run got = mlflow.getRun(run);
        assertThat(got.getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(got.getInfo().getEndTime()).isEqualTo(1_700_000_100_000L);
        assertThat(got.getInfo().getRunName()).isEqualTo("dense baseline");
        assertThat(got.getData().getParamsList())
                .extracting(Param::getKey, Param::getValue)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("lr", "0.001"),
                        org.assertj.core.groups.Tuple.tuple("batch_size", "64"));
        assertThat(got.getData().getTagsList())
                .extracting(RunTag::getKey)
                .contains("model", "framework")
                .doesNotContain("doomed");
        Metric lastLoss = got.getData().getMetricsList().stream()
                .filter(m -> m.getKey().equals("loss"))
                .findFirst()
                .orElseThrow();
        assertThat(lastLoss.getStep()).isEqualTo(29_999);
        assertThat(lastLoss.getValue()).isEqualTo(1.0 / 30_000);

        // the client asks for pages of 25,000 (max_results) and follows next_page_token; its 2.17.2 release then
        // fails to append the second page to the first (an unmodifiable list), so the pages are read here directly
        JsonPath first = given().get(
                        "/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key=loss&max_results=25000")
                .then()
                .statusCode(200)
                .header("Server-Timing", org.hamcrest.Matchers.startsWith("app;dur="))
                .extract()
                .jsonPath();
        assertThat(first.getList("metrics")).hasSize(25_000);
        JsonPath second = given().get("/api/2.0/mlflow/metrics/get-history?run_id=" + run
                        + "&metric_key=loss&max_results=25000&page_token=" + first.getString("next_page_token"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getList("metrics")).hasSize(5_000);
        assertThat(second.getString("next_page_token")).isNull();
        List<Long> steps = new ArrayList<>();
        first.getList("metrics.step", Number.class).forEach(n -> steps.add(n.longValue()));
        second.getList("metrics.step", Number.class).forEach(n -> steps.add(n.longValue()));
        assertThat(steps).isSorted().hasSize(30_000).startsWith(0L).endsWith(29_999L);
        assertThat(given().get("/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key=loss")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("metrics"))
                .hasSize(30_000);
        assertThat(mlflow.getMetricHistory(run, "val_accuracy"))
                .extracting(Metric::getValue)
                .containsExactly(0.5, 0.6, 0.7);

        assertThat(mlflow.searchRuns(List.of(exp), "metrics.val_accuracy > 0.65"))
                .extracting(RunInfo::getRunId)
                .containsExactly(run);
        assertThat(mlflow.searchRuns(List.of(exp), "metrics.val_accuracy > 0.75"))
                .isEmpty();
        assertThat(mlflow.searchRuns(List.of(exp), "params.lr = '0.001' and tags.model LIKE 'c%'"))
                .extracting(RunInfo::getRunId)
                .containsExactly(run);
        assertThat(mlflow.searchRuns(
                        List.of(exp), "attributes.status = 'FINISHED' AND attributes.run_name ILIKE" + " '%BASELINE'"))
                .hasSize(1);
        assertThat(mlflow.searchRuns(List.of(exp), "params.lr != '0.001'")).isEmpty();

        // the artifact proxy, as the Python client's mlflow-artifacts repository calls it
        String base = host + "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts";
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic "
                + Base64.getEncoder().encodeToString(("ml-member:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create(base + "/model/summary.txt"))
                        .header("Authorization", basic)
                        .PUT(HttpRequest.BodyPublishers.ofString("Dense(128) -> Dense(10)"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        JsonPath root = JsonPath.from(
                get(http, basic, host + "/api/2.0/mlflow-artifacts/artifacts?path=" + exp + "/" + run + "/artifacts"));
        assertThat(root.getList("files.path")).containsExactly("model");
        assertThat(root.getList("files.is_dir")).containsExactly(true);
        JsonPath dir = JsonPath.from(get(
                http,
                basic,
                host + "/api/2.0/mlflow-artifacts/artifacts?path=" + exp + "/" + run + "/artifacts/model"));
        assertThat(dir.getList("files.path")).containsExactly("summary.txt");
        assertThat(dir.getLong("files[0].file_size")).isEqualTo(23);
        assertThat(get(http, basic, base + "/model/summary.txt")).isEqualTo("Dense(128) -> Dense(10)");
        JsonPath listed =
                JsonPath.from(get(http, basic, host + "/api/2.0/mlflow/artifacts/list?run_id=" + run + "&path=model"));
        assertThat(listed.getList("files.path")).containsExactly("model/summary.txt");
        assertThat(listed.getString("root_uri")).isEqualTo(info.getArtifactUri());

        // the same run in Sweeplab's own API
        JsonPath runs = given().get("/api/runs?experiment=" + exp)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(runs.getList("source")).containsExactly("external");
        long id = runs.getLong("[0].id");
        JsonPath one =
                given().get("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(one.getString("source")).isEqualTo("external");
        assertThat(one.getString("status")).isEqualTo("succeeded");
        assertThat(one.getString("name")).isEqualTo("dense baseline");
        assertThat(one.getString("mlflowRunId")).isEqualTo(run);
        assertThat(one.getMap("params")).containsEntry("lr", "0.001").containsEntry("batch_size", "64");
        assertThat(one.getMap("tags")).containsEntry("model", "cnn");
        assertThat(one.getList("metricKeys")).containsExactly("loss", "val_accuracy");
        assertThat(one.getString("architecture")).isNull();
        given().post("/api/runs/" + id + "/cancel").then().statusCode(409);

        // the ajax-api path is the same API, behind the same credentials
        assertThat(get(http, basic, host + "/ajax-api/2.0/mlflow/runs/get?run_id=" + run))
                .contains(run);
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(host + "/ajax-api/2.0/mlflow/runs/get?run_id=" + run))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);

        // another team's token sees none of it
        MlflowClient other = withToken(otherToken);
        assertThatThrownBy(() -> other.getRun(run)).satisfies(e -> {
            assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(404);
            assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        });
        assertThatThrownBy(() -> other.getExperiment(exp))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST"));
        assertThat(other.getExperimentByName("mlflow-a/keras lab")).isEmpty();
        assertThat(other.searchRuns(List.of(exp), null)).isEmpty();
        assertThat(other.searchExperiments().getItems())
                .extracting(e -> e.getName())
                .doesNotContain("mlflow-a/keras lab");
        assertThatThrownBy(() -> other.logMetric(run, "loss", 1.0))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST"));
        assertThatThrownBy(() -> other.createExperiment("mlflow-a/intruder"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST"));
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/model/summary.txt"))
                                        .header("Authorization", "Bearer " + otherToken)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);

        // a read token of the team reads, and writes nothing
        MlflowClient reader = withToken(readToken);
        assertThat(reader.getRun(run).getInfo().getRunId()).isEqualTo(run);
        assertThat(reader.searchRuns(List.of(exp), "metrics.loss < 1")).hasSize(1);
        assertThatThrownBy(() -> reader.logMetric(run, "loss", 1.0)).satisfies(e -> {
            assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(403);
            assertThat(errorCode(e)).isEqualTo("PERMISSION_DENIED");
        });
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/other.txt"))
                                        .header("Authorization", "Bearer " + readToken)
                                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);

        // deleting and restoring, as MLflow does it: softly
        mlflow.deleteRun(run);
        assertThat(mlflow.searchRuns(List.of(exp), null)).isEmpty();
        assertThat(mlflow.searchRuns(List.of(exp), null, ViewType.DELETED_ONLY)).hasSize(1);
        assertThatThrownBy(() -> mlflow.logMetric(run, "loss", 1.0))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"));
        mlflow.restoreRun(run);
        assertThat(mlflow.searchRuns(List.of(exp), null)).hasSize(1);
    }

    static String get(HttpClient http, String auth, String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", auth)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void search_orders_and_pages_like_mlflow() {
        MlflowClient mlflow = member();
        String exp = mlflow.createExperiment("paging");
        assertThat(mlflow.getExperiment(exp).getName()).isEqualTo("mlflow-a/paging"); // the caller's only team
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String run = mlflow.createRun(exp).getRunId();
            mlflow.logMetric(run, "acc", i / 10.0);
            mlflow.logParam(run, "i", Integer.toString(i));
            ids.add(run);
        }
        var page = mlflow.searchRuns(
                List.of(exp), "metrics.acc >= 0.1", ViewType.ACTIVE_ONLY, 2, List.of("metrics.acc DESC"));
        List<String> seen = new ArrayList<>();
        page.getItems().forEach(r -> seen.add(r.getInfo().getRunId()));
        while (page.hasNextPage()) {
            page = (org.mlflow.tracking.RunsPage) page.getNextPage();
            page.getItems().forEach(r -> seen.add(r.getInfo().getRunId()));
        }
        assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1));
        assertThat(mlflow.searchRuns(List.of(exp), "params.i IN ('1', '3')")).hasSize(2);
        assertThat(mlflow.searchRuns(List.of(exp), "attributes.run_id = '" + ids.get(0) + "'"))
                .hasSize(1);
    }

    @Test
    void bad_input_gets_mlflows_error_codes_never_a_500() {
        MlflowClient mlflow = member();
        String exp = mlflow.createExperiment("mlflow-a/errors");
        String run = mlflow.createRun(exp).getRunId();
        assertThatThrownBy(() -> mlflow.createExperiment("mlflow-a/errors")).satisfies(e -> {
            assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(400);
            assertThat(errorCode(e)).isEqualTo("RESOURCE_ALREADY_EXISTS");
        });
        List<Metric> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Metric.newBuilder()
                    .setKey("m")
                    .setValue(i)
                    .setTimestamp(1)
                    .setStep(i)
                    .build());
        }
        assertThatThrownBy(() -> mlflow.logBatch(run, tooMany, List.of(), List.of()))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"))
                .satisfies(e ->
                        assertThat(((MlflowHttpException) e).getBodyMessage()).contains("1000"));
        assertThatThrownBy(() -> mlflow.searchRuns(List.of(exp), "metrics.acc >> 1"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"));
        assertThatThrownBy(() -> mlflow.searchRuns(List.of(exp), "params.lr > 'x'"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"));
        assertThatThrownBy(() -> mlflow.getRun("0123456789abcdef0123456789abcdef"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST"));
        assertThatThrownBy(() -> mlflow.getExperiment("not-a-number"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST"));
        assertThatThrownBy(() -> mlflow.logParam(run, "bad/../key", "1"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"));
        MlflowClient both = new MlflowClient(new BasicMlflowHostCreds(host, "ml-both", PASSWORD));
        assertThatThrownBy(() -> both.createExperiment("no team named"))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE"))
                .satisfies(e ->
                        assertThat(((MlflowHttpException) e).getBodyMessage()).contains("<team-slug>/"));

        Map<String, String> bodies = Map.of(
                "runs/log-batch", "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"m\", \"value\": 1}]}",
                "runs/log-metric",
                        "{\"run_id\": \"" + run + "\", \"key\": \"m\", \"value\": \"abc\", \"timestamp\": 1}",
                "runs/create", "{\"experiment_id\": \"" + exp + "\", \"tags\": \"nope\"}",
                "runs/search", "{\"experiment_ids\": [\"" + exp + "\"], \"max_results\": 50001}",
                "runs/update", "{\"run_id\": \"" + run + "\", \"status\": \"DONE\"}");
        bodies.forEach((path, body) -> given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/2.0/mlflow/" + path)
                .then()
                .statusCode(400)
                .body("error_code", org.hamcrest.Matchers.equalTo("INVALID_PARAMETER_VALUE")));
        given().contentType(ContentType.JSON)
                .body("{not json")
                .post("/api/2.0/mlflow/runs/log-batch")
                .then()
                .statusCode(400)
                .body("error_code", org.hamcrest.Matchers.equalTo("MALFORMED_REQUEST"));
        given().get("/api/2.0/mlflow/metrics/get-history?run_id=" + run)
                .then()
                .statusCode(400)
                .body("error_code", org.hamcrest.Matchers.equalTo("INVALID_PARAMETER_VALUE"));
        given().get("/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key=m&page_token=zzz")
                .then()
                .statusCode(400)
                .body("error_code", org.hamcrest.Matchers.equalTo("INVALID_PARAMETER_VALUE"));
        // NaN and infinities travel as MLflow writes them
        given().contentType(ContentType.JSON)
                .body("{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"odd\", \"value\": \"NaN\","
                        + " \"timestamp\": 1, \"step\": 0}, {\"key\": \"odd\", \"value\": \"Infinity\", \"timestamp\": 2,"
                        + " \"step\": 1}]}")
                .post("/api/2.0/mlflow/runs/log-batch")
                .then()
                .statusCode(200);
        assertThat(mlflow.getMetricHistory(run, "odd"))
                .extracting(Metric::getValue)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY);
    }
}
