package io.sweeplab.app.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.worker.InProcessWorker;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Who may call what. The endpoint list comes from the API document, so an endpoint without a rule here fails the
 * test. Every endpoint is called as anonymous, a worker token, a viewer, a member and an owner of team A, an
 * administrator, a member of team B, and a read-only token of A's member, and must answer as the rule says: 401
 * without credentials, 403 for a role that may not, 404 (never 403) for another team's objects.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class SecurityMatrixTest {

    static final String PASSWORD = "matrix-password-123";
    static final AtomicInteger SEQ = new AtomicInteger();

    /** What a persona must get: {@code OK} is any answer that is not 401, 403 or 404. */
    enum Expect {
        OK,
        UNAUTHORIZED,
        FORBIDDEN,
        NOT_FOUND,
        BAD_REQUEST,
        /** Past authorization: anything but 401 and 403 (the worker protocol with made-up job ids). */
        PAST_AUTH;

        boolean matches(int status) {
            return switch (this) {
                case OK -> status != 401 && status != 403 && status != 404 && status < 500;
                case UNAUTHORIZED -> status == 401;
                case FORBIDDEN -> status == 403;
                case NOT_FOUND -> status == 404;
                case BAD_REQUEST -> status == 400;
                case PAST_AUTH -> status != 401 && status != 403 && status < 500;
            };
        }
    }

    enum Persona {
        ANONYMOUS,
        WORKER,
        VIEWER,
        MEMBER,
        OWNER,
        ADMIN,
        OTHER,
        READER
    }

    /** A concrete call: the path with its parameters filled in, and a body. */
    record Call(String path, String body) {}

    /**
     * @param users expectations of viewer, member, owner, admin, other team's member, separated by spaces
     * @param call the call for a persona: may create a fresh target for calls that change or delete it
     */
    record Rule(String users, Function<Persona, Call> call) {}

    @Inject
    InProcessWorker embedded;

    static String teamA;
    static String teamB;
    static long experimentA;
    static String experimentAName;
    static long experimentB;
    static long runA;
    static long sweepA;
    static String artifactA;
    static String readerToken;
    static String embeddedId;

    @Test
    void every_endpoint_answers_every_persona_as_its_rule_says() {
        setUp();
        embeddedId = embedded.id();
        embedded.pause(true);
        try {
            Map<String, Rule> rules = rules();
            Map<String, String> endpoints = endpoints();
            assertThat(new TreeSet<>(rules.keySet()))
                    .as("every endpoint of the API document has a rule, and every rule an endpoint")
                    .isEqualTo(new TreeSet<>(endpoints.keySet()));
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, Rule> e : rules.entrySet()) {
                String method = e.getKey().substring(0, e.getKey().indexOf(' '));
                for (Persona p : Persona.values()) {
                    Expect expected = expected(e.getKey(), e.getValue(), p);
                    Call call = e.getValue().call().apply(p);
                    Response r = send(p, method, call);
                    if (!expected.matches(r.statusCode())) {
                        failures.add(e.getKey() + " as " + p + " (" + call.path() + "): expected " + expected + ", got "
                                + r.statusCode() + " " + r.asString());
                    } else if (r.statusCode() >= 400) {
                        assertError(e.getKey() + " as " + p, call.path(), r.contentType(), r.asString());
                    }
                }
            }
            assertThat(failures).isEmpty();
        } finally {
            // drop what the calls queued, and start the next test on fresh teams
            given().delete("/api/teams/" + teamA + "/experiments/" + experimentA);
            given().delete("/api/teams/" + teamB + "/experiments/" + experimentB);
            teamA = null;
            embedded.pause(false);
        }
    }

    /**
     * Errors are problem+json, except the MLflow protocol's, which answer as MLflow does ({@code error_code} and
     * {@code message}) once past authentication.
     */
    static void assertError(String what, String path, String contentType, String body) {
        if (path.startsWith("/api/2.0/mlflow") && contentType.startsWith("application/json")) {
            assertThat(body).as(what + " answers MLflow's error_code").contains("\"error_code\"");
        } else {
            assertThat(contentType).as(what + " answers problem+json").startsWith("application/problem+json");
        }
    }

    /** MLflow's searches are POSTs that only read: a read token may make them. */
    static final java.util.Set<String> READING_POSTS =
            java.util.Set.of("POST /api/2.0/mlflow/experiments/search", "POST /api/2.0/mlflow/runs/search");

    static String mlflowRunA;
    static String mlflowFileA;

    /** A fresh external run in team A (MLflow's runs/create, as the administrator); its MLflow id. */
    static String newMlflowRun() {
        return given().contentType(ContentType.JSON)
                .body("{\"experiment_id\": \"" + experimentA + "\", \"run_name\": \"matrix\"}")
                .post("/api/2.0/mlflow/runs/create")
                .then()
                .statusCode(200)
                .extract()
                .path("run.info.run_id");
    }

    static String mlflowBody(String run, String more) {
        return "{\"run_id\": \"" + run + "\"" + more + "}";
    }

    static void mlflowRules(Map<String, Rule> r, String teamRead, String teamWrite) {
        String m = "/api/2.0/mlflow/";
        String all = "OK OK OK OK OK";
        String exp = "\"experiment_id\": \"" + experimentA + "\"";
        r.put(
                "POST " + m + "experiments/create",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "experiments/create",
                                "{\"name\": \"" + teamA + "/m" + SEQ.incrementAndGet() + "\"}")));
        r.put(
                "GET " + m + "experiments/get",
                new Rule(teamRead, p -> call(m + "experiments/get?experiment_id=" + experimentA)));
        r.put(
                "GET " + m + "experiments/get-by-name",
                new Rule(
                        teamRead,
                        p -> call(
                                m + "experiments/get-by-name" + "?experiment_name=" + teamA + "/" + experimentAName)));
        r.put("POST " + m + "experiments/search", new Rule(all, p -> call(m + "experiments/search", "{}")));
        r.put("GET " + m + "experiments/search", new Rule(all, p -> call(m + "experiments/search?max_results=5")));
        r.put(
                "POST " + m + "experiments/update",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "experiments/update",
                                "{\"experiment_id\": \"" + newExperiment() + "\", \"new_name\": \"renamed "
                                        + SEQ.incrementAndGet() + "\"}")));
        r.put(
                "POST " + m + "experiments/delete",
                new Rule(
                        teamWrite,
                        p -> call(m + "experiments/delete", "{\"experiment_id\": \"" + newExperiment() + "\"}")));
        r.put(
                "POST " + m + "experiments/restore",
                new Rule(teamWrite, p -> call(m + "experiments/restore", "{" + exp + "}")));
        r.put(
                "POST " + m + "experiments/set-experiment-tag",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "experiments/set-experiment-tag",
                                "{" + exp + ", \"key\": \"k\", \"value\": \"v\"}")));
        r.put("POST " + m + "runs/create", new Rule(teamWrite, p -> call(m + "runs/create", "{" + exp + "}")));
        r.put("GET " + m + "runs/get", new Rule(teamRead, p -> call(m + "runs/get?run_id=" + mlflowRunA)));
        r.put(
                "POST " + m + "runs/update",
                new Rule(teamWrite, p -> call(m + "runs/update", mlflowBody(mlflowRunA, ", \"status\": \"RUNNING\""))));
        r.put(
                "POST " + m + "runs/delete",
                new Rule(teamWrite, p -> call(m + "runs/delete", mlflowBody(newMlflowRun(), ""))));
        r.put(
                "POST " + m + "runs/restore",
                new Rule(teamWrite, p -> call(m + "runs/restore", mlflowBody(mlflowRunA, ""))));
        r.put(
                "POST " + m + "runs/log-metric",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "runs/log-metric",
                                mlflowBody(
                                        mlflowRunA,
                                        ", \"key\": \"loss\"," + " \"value\": 0.5, \"timestamp\": 1, \"step\": 1"))));
        r.put(
                "POST " + m + "runs/log-parameter",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "runs/log-parameter",
                                mlflowBody(
                                        mlflowRunA,
                                        ", \"key\": \"p" + SEQ.incrementAndGet() + "\", \"value\": \"1\""))));
        r.put(
                "POST " + m + "runs/set-tag",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "runs/set-tag",
                                mlflowBody(mlflowRunA, ", \"key\": \"t\"," + " \"value\": \"1\""))));
        r.put("POST " + m + "runs/delete-tag", new Rule(teamWrite, p -> {
            String run = newMlflowRun();
            given().contentType(ContentType.JSON)
                    .body(mlflowBody(run, ", \"key\": \"gone\", \"value\": \"1\""))
                    .post(m + "runs/set-tag")
                    .then()
                    .statusCode(200);
            return call(m + "runs/delete-tag", mlflowBody(run, ", \"key\": \"gone\""));
        }));
        r.put(
                "POST " + m + "runs/log-batch",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "runs/log-batch",
                                mlflowBody(
                                        mlflowRunA,
                                        ", \"metrics\":"
                                                + " [{\"key\": \"acc\", \"value\": 0.9, \"timestamp\": 2, \"step\": 2}]"))));
        r.put(
                "POST " + m + "runs/log-inputs",
                new Rule(
                        teamWrite,
                        p -> call(
                                m + "runs/log-inputs",
                                mlflowBody(
                                        mlflowRunA,
                                        ", \"datasets\":"
                                                + " [{\"dataset\": {\"name\": \"mnist\", \"digest\": \"abc\", \"source_type\":"
                                                + " \"local\", \"source\": \"/data\"}}]"))));
        r.put(
                "POST " + m + "runs/search",
                new Rule(all, p -> call(m + "runs/search", "{\"experiment_ids\": [\"" + experimentA + "\"]}")));
        r.put(
                "GET " + m + "metrics/get-history",
                new Rule(teamRead, p -> call(m + "metrics/get-history?run_id=" + mlflowRunA + "&metric_key=loss")));
        r.put("GET " + m + "artifacts/list", new Rule(teamRead, p -> call(m + "artifacts/list?run_id=" + mlflowRunA)));
        String a = "/api/2.0/mlflow-artifacts/artifacts";
        r.put(
                "PUT " + a + "/{path}",
                new Rule(teamWrite, p -> call(a + "/" + experimentA + "/" + mlflowRunA + "/artifacts/up.txt", "x")));
        r.put("GET " + a + "/{path}", new Rule(teamRead, p -> call(a + "/" + mlflowFileA)));
        r.put("GET " + a, new Rule(teamRead, p -> call(a + "?path=" + experimentA + "/" + mlflowRunA + "/artifacts")));
    }

    @Test
    void lists_hold_only_the_callers_teams() {
        setUp();
        JsonPath teams = as(Persona.VIEWER)
                .get("/api/teams")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // the viewer is in team A (and in the A teams of earlier tests of this class), never in B
        java.util.Set<String> viewersTeams =
                as(Persona.VIEWER).get("/api/me").then().extract().jsonPath().getMap("teams").keySet().stream()
                        .map(Object::toString)
                        .collect(java.util.stream.Collectors.toSet());
        assertThat(teams.getList("slug", String.class))
                .contains(teamA)
                .doesNotContain(teamB)
                .containsExactlyInAnyOrderElementsOf(viewersTeams);
        assertThat(as(Persona.OTHER)
                        .get("/api/runs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("team", String.class))
                .doesNotContain(teamA);
        assertThat(as(Persona.VIEWER)
                        .get("/api/runs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("team", String.class))
                .contains(teamA)
                .doesNotContain(teamB)
                .allMatch(viewersTeams::contains);
        assertThat(as(Persona.OTHER)
                        .get("/api/sweeps")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("team", String.class))
                .doesNotContain(teamA);
        assertThat(as(Persona.ADMIN)
                        .get("/api/teams")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("slug", String.class))
                .contains(teamA, teamB);
    }

    @Test
    void tokens_work_until_revoked_and_are_stored_hashed() {
        setUp();
        JsonPath created = as(Persona.MEMBER)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"laptop\", \"scope\": \"write\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String secret = created.getString("token");
        long id = created.getLong("info.id");
        assertThat(secret).startsWith("swl_").hasSizeGreaterThan(40);
        assertThat(created.getString("info.prefix")).isEqualTo(secret.substring(0, 10));
        given().auth()
                .none()
                .header("Authorization", "Bearer " + secret)
                .get("/api/me")
                .then()
                .statusCode(200);
        given().auth()
                .preemptive()
                .basic("sec-member", secret)
                .get("/api/me")
                .then()
                .statusCode(200);
        JsonPath listed = as(Persona.MEMBER).get("/api/tokens").then().extract().jsonPath();
        assertThat(listed.getString("find { it.id == " + id + " }.lastUsedAt")).isNotNull();
        assertThat(listed.prettify()).doesNotContain(secret);

        as(Persona.VIEWER).delete("/api/tokens/" + id).then().statusCode(404);
        as(Persona.MEMBER).delete("/api/tokens/" + id).then().statusCode(200);
        given().auth()
                .none()
                .header("Authorization", "Bearer " + secret)
                .get("/api/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().auth()
                .preemptive()
                .basic("sec-member", secret)
                .get("/api/me")
                .then()
                .statusCode(401);
    }

    @Test
    void a_worker_token_only_speaks_the_worker_protocol() {
        setUp();
        String worker = as(Persona.ADMIN)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"gpu box\", \"scope\": \"worker\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        RequestSpecification w = given().auth().none().header("Authorization", "Bearer " + worker);
        w.get("/api/runs").then().statusCode(403).contentType("application/problem+json");
        given().auth()
                .none()
                .header("Authorization", "Bearer " + worker)
                .get("/api/runs/" + runA)
                .then()
                .statusCode(403);
        given().auth()
                .none()
                .header("Authorization", "Bearer " + worker)
                .contentType(ContentType.JSON)
                .body("{\"id\": \"tokened\", \"name\": \"tokened\", \"device\": \"cpu: test\", \"slots\": 1}")
                .post("/api/worker/register")
                .then()
                .statusCode(200);
        // a member may not make worker tokens
        as(Persona.MEMBER)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"sneaky\", \"scope\": \"worker\"}")
                .post("/api/tokens")
                .then()
                .statusCode(403);
    }

    @Test
    void repeated_failed_sign_ins_are_slowed_and_audited() {
        setUp();
        String user = newUser();
        for (int i = 0; i < 5; i++) {
            given().auth()
                    .preemptive()
                    .basic(user, "wrong-password-" + i)
                    .get("/api/me")
                    .then()
                    .statusCode(401);
        }
        Response r = given().auth().preemptive().basic(user, PASSWORD).get("/api/me");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 900);
        assertThat(r.contentType()).startsWith("application/problem+json");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().auth()
                        .preemptive()
                        .basic(user, PASSWORD)
                        .get("/api/me")
                        .then()
                        .statusCode(200));
        List<String> actions = as(Persona.ADMIN)
                .get("/api/audit?limit=500")
                .then()
                .extract()
                .jsonPath()
                .getList("findAll { it.actor == '" + user + "' }.action", String.class);
        assertThat(actions).contains("sign-in-failed");
    }

    @Test
    void the_audit_log_records_launches_cancels_deletes_and_memberships() {
        setUp();
        long run = submitRunAs(Persona.MEMBER);
        as(Persona.MEMBER).post("/api/runs/" + run + "/cancel");
        as(Persona.MEMBER).delete("/api/runs/" + run).then().statusCode(204);
        as(Persona.MEMBER).get("/api/runs/" + run).then().statusCode(404);
        JsonPath audit = as(Persona.ADMIN)
                .get("/api/audit?limit=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> mine = audit.getList("findAll { it.target == 'run " + run + "' }");
        assertThat(mine).extracting(m -> m.get("action")).contains("run-launch", "run-delete");
        assertThat(mine).extracting(m -> m.get("actor")).containsOnly("sec-member");
        assertThat(mine).extracting(m -> m.get("team")).containsOnly(teamA);
        assertThat(audit.getList("action", String.class)).contains("member-set", "user-create", "team-create");
        // plugins found at start: the fixture jars of TestPlatform, loaded and refused
        assertThat(audit.getList("findAll { it.action == 'plugin-add' }.target", String.class))
                .contains("callback acme-patience", "architecture cnn");
        assertThat(audit.getList("findAll { it.action == 'plugin-add' && it.details.status == 'refused' }.target"))
                .as("the refused fixture plugins are recorded too")
                .isNotEmpty();
        as(Persona.ADMIN)
                .get("/api/audit?limit=0")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("limit"));
    }

    // ---------------------------------------------------------------------------------------------------------

    static Map<String, Rule> rules() {
        Map<String, Rule> r = new LinkedHashMap<>();
        String all = "OK OK OK OK OK";
        String teamRead = "OK OK OK OK NOT_FOUND";
        String teamWrite = "FORBIDDEN OK OK OK NOT_FOUND";
        String teamOwner = "FORBIDDEN FORBIDDEN OK OK NOT_FOUND";
        String adminOnly = "FORBIDDEN FORBIDDEN FORBIDDEN OK FORBIDDEN";
        String workerOnly = "FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN";
        mlflowRules(r, teamRead, teamWrite);

        r.put("GET /api/teams", new Rule(all, p -> call("/api/teams")));
        r.put(
                "POST /api/teams",
                new Rule(adminOnly, p -> call("/api/teams", "{\"name\": \"Matrix " + SEQ.incrementAndGet() + "\"}")));
        r.put("GET /api/teams/{team}", new Rule(teamRead, p -> call("/api/teams/" + teamA)));
        r.put("GET /api/teams/{team}/members", new Rule(teamRead, p -> call("/api/teams/" + teamA + "/members")));
        r.put(
                "PUT /api/teams/{team}/members/{user}",
                new Rule(
                        teamOwner, p -> call("/api/teams/" + teamA + "/members/sec-viewer", "{\"role\": \"viewer\"}")));
        r.put("DELETE /api/teams/{team}/members/{user}", new Rule(teamOwner, p -> {
            String user = newUser();
            given().contentType(ContentType.JSON)
                    .body("{\"role\": \"viewer\"}")
                    .put("/api/teams/" + teamA + "/members/" + user);
            return call("/api/teams/" + teamA + "/members/" + user);
        }));
        r.put(
                "GET /api/teams/{team}/experiments",
                new Rule(teamRead, p -> call("/api/teams/" + teamA + "/experiments")));
        r.put(
                "POST /api/teams/{team}/experiments",
                new Rule(
                        teamWrite,
                        p -> call(
                                "/api/teams/" + teamA + "/experiments",
                                "{\"name\": \"m" + SEQ.incrementAndGet() + "\"}")));
        r.put(
                "GET /api/teams/{team}/experiments/{id}",
                new Rule(teamRead, p -> call("/api/teams/" + teamA + "/experiments/" + experimentA)));
        r.put(
                "DELETE /api/teams/{team}/experiments/{id}",
                new Rule(teamWrite, p -> call("/api/teams/" + teamA + "/experiments/" + newExperiment())));

        r.put("POST /api/runs", new Rule("FORBIDDEN OK OK OK BAD_REQUEST", p -> call("/api/runs", runBody())));
        r.put("GET /api/runs", new Rule(all, p -> call("/api/runs")));
        r.put("GET /api/runs/{id}", new Rule(teamRead, p -> call("/api/runs/" + runA)));
        r.put("GET /api/runs/{id}/metrics", new Rule(teamRead, p -> call("/api/runs/" + runA + "/metrics")));
        r.put("GET /api/runs/{id}/metrics.csv", new Rule(teamRead, p -> call("/api/runs/" + runA + "/metrics.csv")));
        r.put("GET /api/runs/{id}/artifacts", new Rule(teamRead, p -> call("/api/runs/" + runA + "/artifacts")));
        r.put(
                "GET /api/runs/{id}/artifacts/{name}",
                new Rule(teamRead, p -> call("/api/runs/" + runA + "/artifacts/" + artifactA)));
        r.put("POST /api/runs/{id}/cancel", new Rule(teamWrite, p -> call("/api/runs/" + runA + "/cancel", "")));
        r.put("DELETE /api/runs/{id}", new Rule(teamWrite, p -> call("/api/runs/" + submitRunAs(Persona.ADMIN))));

        r.put("POST /api/sweeps", new Rule("FORBIDDEN OK OK OK BAD_REQUEST", p -> call("/api/sweeps", sweepBody())));
        r.put("GET /api/sweeps", new Rule(all, p -> call("/api/sweeps")));
        r.put("GET /api/sweeps/{id}", new Rule(teamRead, p -> call("/api/sweeps/" + sweepA)));
        r.put("GET /api/sweeps/{id}/runs.json", new Rule(teamRead, p -> call("/api/sweeps/" + sweepA + "/runs.json")));
        r.put("GET /api/sweeps/{id}/runs.csv", new Rule(teamRead, p -> call("/api/sweeps/" + sweepA + "/runs.csv")));
        r.put("POST /api/sweeps/{id}/cancel", new Rule(teamWrite, p -> call("/api/sweeps/" + sweepA + "/cancel", "")));
        // past authorization: 409 (nothing to re-run) or 200, and 400 (a grid cannot be extended)
        r.put("POST /api/sweeps/{id}/rerun", new Rule(teamWrite, p -> call("/api/sweeps/" + sweepA + "/rerun", "")));
        r.put(
                "POST /api/sweeps/{id}/extend",
                new Rule(teamWrite, p -> call("/api/sweeps/" + sweepA + "/extend", "{\"trials\": 1}")));
        r.put("DELETE /api/sweeps/{id}", new Rule(teamWrite, p -> call("/api/sweeps/" + newSweep())));

        r.put("GET /api/templates", new Rule(all, p -> call("/api/templates")));
        r.put("GET /api/templates/{id}", new Rule(all, p -> call("/api/templates/exercise-1-filters")));
        r.put(
                "POST /api/templates/{id}/launch",
                new Rule(
                        "FORBIDDEN OK OK OK BAD_REQUEST",
                        p -> call(
                                "/api/templates/exercise-1-filters/launch",
                                "{\"experiment\": " + experimentA
                                        + ", \"data\": {\"trainLimit\": 100, \"testLimit\": 100}}")));

        r.put("GET /api/plugins", new Rule(all, p -> call("/api/plugins")));
        // sent as a jar, which it is not: an administrator gets past authorization (400)
        r.put("POST /api/plugins", new Rule(adminOnly, p -> call("/api/plugins", "not a jar")));
        r.put(
                "PUT /api/plugins/{plugin}/disabled",
                new Rule(adminOnly, p -> call("/api/plugins/acme/disabled", "{\"disabled\": false}")));
        r.put("DELETE /api/plugins/{plugin}", new Rule(adminOnly, p -> call("/api/plugins/" + installPlugin(p) + "")));
        r.put(
                "DELETE /api/plugins/{plugin}/{version}",
                new Rule(adminOnly, p -> call("/api/plugins/" + installPlugin(p) + "/1.0")));
        r.put("GET /api/workers", new Rule(all, p -> call("/api/workers")));
        r.put("GET /api/launchers", new Rule(adminOnly, p -> call("/api/launchers")));
        r.put(
                "POST /api/workers/{id}/resume",
                new Rule(adminOnly, p -> call("/api/workers/" + embeddedId + "/resume", "")));
        r.put(
                "POST /api/workers/{id}/pause",
                new Rule(adminOnly, p -> call("/api/workers/" + embeddedId + "/pause", "")));

        r.put("GET /api/me", new Rule(all, p -> call("/api/me")));
        r.put(
                "PUT /api/me/password",
                new Rule(
                        all,
                        p -> call(
                                "/api/me/password",
                                "{\"currentPassword\": \"not-it\", \"newPassword\": \"whatever-long-enough\"}")));
        r.put("GET /api/users", new Rule(adminOnly, p -> call("/api/users")));
        r.put(
                "POST /api/users",
                new Rule(
                        adminOnly,
                        p -> call(
                                "/api/users",
                                "{\"username\": \"u" + SEQ.incrementAndGet() + "\", \"password\": \"" + PASSWORD
                                        + "\"}")));
        r.put("GET /api/users/{user}", new Rule(adminOnly, p -> call("/api/users/sec-viewer")));
        r.put(
                "PUT /api/users/{user}/disabled",
                new Rule(adminOnly, p -> call("/api/users/sec-viewer/disabled", "{\"disabled\": false}")));

        r.put("GET /api/tokens", new Rule(all, p -> call("/api/tokens")));
        r.put("POST /api/tokens", new Rule(all, p -> call("/api/tokens", "{\"name\": \"t\", \"scope\": \"read\"}")));
        r.put(
                "DELETE /api/tokens/{id}",
                new Rule("NOT_FOUND OK NOT_FOUND OK NOT_FOUND", p -> call("/api/tokens/" + newToken(Persona.MEMBER))));
        r.put("GET /api/audit", new Rule(adminOnly, p -> call("/api/audit")));

        String job = "/api/worker/jobs/999999/1";
        r.put(
                "POST /api/worker/register",
                new Rule(
                        workerOnly,
                        p -> call(
                                "/api/worker/register",
                                "{\"id\": \"matrix\", \"name\": \"matrix\", \"device\": \"cpu\", \"slots\": 1}")));
        r.put(
                "POST /api/worker/claim",
                new Rule(workerOnly, p -> call("/api/worker/claim", "{\"worker\": \"matrix\"}")));
        r.put(
                "POST /api/worker/heartbeat",
                new Rule(workerOnly, p -> call("/api/worker/heartbeat", "{\"worker\": \"matrix\", \"jobs\": []}")));
        r.put("POST /api/worker/cancels", new Rule(workerOnly, p -> call("/api/worker/cancels", "{}")));
        r.put("POST /api/worker/jobs/{run}/{attempt}/started", new Rule(workerOnly, p -> call(job + "/started", "{}")));
        r.put("POST /api/worker/jobs/{run}/{attempt}/epochs", new Rule(workerOnly, p -> call(job + "/epochs", "{}")));
        r.put(
                "PUT /api/worker/jobs/{run}/{attempt}/checkpoints/{epoch}",
                new Rule(workerOnly, p -> call(job + "/checkpoints/1", "x")));
        r.put(
                "GET /api/worker/jobs/{run}/{attempt}/checkpoint",
                new Rule(workerOnly, p -> call(job + "/checkpoint?epoch=1")));
        r.put(
                "PUT /api/worker/jobs/{run}/{attempt}/artifacts/{name}",
                new Rule(workerOnly, p -> call(job + "/artifacts/a", "{}")));
        r.put("POST /api/worker/jobs/{run}/{attempt}/finish", new Rule(workerOnly, p -> call(job + "/finish", "{}")));
        r.put("POST /api/worker/jobs/{run}/{attempt}/release", new Rule(workerOnly, p -> call(job + "/release", "")));
        r.put(
                "GET /api/worker/plugins/{plugin}/{version}",
                new Rule(workerOnly, p -> call("/api/worker/plugins/acme/0.3.1")));
        return r;
    }

    static Expect expected(String endpoint, Rule rule, Persona p) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        boolean workerProtocol = endpoint.contains(" /api/worker/");
        String[] users = rule.users().split(" ");
        return switch (p) {
            case ANONYMOUS -> Expect.UNAUTHORIZED;
            case WORKER -> workerProtocol ? Expect.PAST_AUTH : Expect.FORBIDDEN;
            case VIEWER -> Expect.valueOf(users[0]);
            case MEMBER -> Expect.valueOf(users[1]);
            case OWNER -> Expect.valueOf(users[2]);
            case ADMIN -> Expect.valueOf(users[3]);
            case OTHER -> Expect.valueOf(users[4]);
            // a read token: reads what its user reads, changes nothing
            case READER ->
                method.equals("GET") || READING_POSTS.contains(endpoint) ? Expect.valueOf(users[1]) : Expect.FORBIDDEN;
        };
    }

    /** "METHOD /path" of every operation in the API document. */
    static Map<String, String> endpoints() {
        Map<String, Map<String, Object>> paths = as(Persona.ADMIN)
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .path("paths");
        Map<String, String> out = new LinkedHashMap<>();
        paths.forEach((path, ops) -> ops.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> out.put(m.toUpperCase(java.util.Locale.ROOT) + " " + path, path)));
        return out;
    }

    static Response send(Persona p, String method, Call call) {
        RequestSpecification spec = as(p);
        if (call.body() != null) {
            byte[] bytes = call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            spec = call.path().contains("/checkpoints/")
                    ? spec.contentType(ContentType.BINARY).body(bytes)
                    : call.path().equals("/api/plugins")
                            ? spec.contentType("application/java-archive").body(bytes)
                            : spec.contentType(ContentType.JSON).body(call.body());
        }
        return spec.request(method, call.path());
    }

    private static String workerKey;

    /** The worker persona is a registered worker: the protocol's calls then answer as for any worker. */
    static synchronized String workerKey() {
        if (workerKey == null) {
            workerKey = given().auth()
                    .none()
                    .header("Authorization", "Bearer " + TestPlatform.WORKER_TOKEN)
                    .contentType(ContentType.JSON)
                    .body("{\"name\": \"matrix\", \"device\": \"cpu: test\", \"slots\": 1}")
                    .post("/api/worker/register")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("key");
        }
        return workerKey;
    }

    static RequestSpecification as(Persona p) {
        return switch (p) {
            case ANONYMOUS -> given().auth().none();
            case WORKER ->
                given().auth()
                        .none()
                        .header("Authorization", "Bearer " + TestPlatform.WORKER_TOKEN)
                        .header(io.sweeplab.core.queue.WorkerRegistry.KEY_HEADER, workerKey());
            case READER -> given().auth().none().header("Authorization", "Bearer " + readerToken);
            case ADMIN -> given().auth().preemptive().basic("admin", TestPlatform.ADMIN_PASSWORD);
            case VIEWER -> given().auth().preemptive().basic("sec-viewer", PASSWORD);
            case MEMBER -> given().auth().preemptive().basic("sec-member", PASSWORD);
            case OWNER -> given().auth().preemptive().basic("sec-owner", PASSWORD);
            case OTHER -> given().auth().preemptive().basic("sec-other", PASSWORD);
        };
    }

    /** A fresh plugin for the administrator to remove (its id for everyone else, who may not). */
    static String installPlugin(Persona p) {
        String id = "matrix-" + SEQ.incrementAndGet();
        if (p == Persona.ADMIN) {
            as(Persona.ADMIN)
                    .contentType("application/java-archive")
                    .body(io.sweeplab.app.plugin.HotPlugins.callbackJar(id, id + "-stop", "[1,2)"))
                    .post("/api/plugins")
                    .then()
                    .statusCode(201);
        }
        return id;
    }

    static Call call(String path) {
        return new Call(path, null);
    }

    static Call call(String path, String body) {
        return new Call(path, body);
    }

    static synchronized void setUp() {
        if (teamA != null) {
            return;
        }
        teamA = newTeam();
        teamB = newTeam();
        for (String u : List.of("sec-viewer", "sec-member", "sec-owner", "sec-other")) {
            createUser(u);
        }
        setRole(teamA, "sec-viewer", "viewer");
        setRole(teamA, "sec-member", "member");
        setRole(teamA, "sec-owner", "owner");
        setRole(teamB, "sec-other", "member");
        experimentA = experiment(teamA);
        experimentAName = given().get("/api/teams/" + teamA + "/experiments/" + experimentA)
                .then()
                .extract()
                .path("name");
        experimentB = experiment(teamB);
        mlflowRunA = newMlflowRun();
        mlflowFileA = experimentA + "/" + mlflowRunA + "/artifacts/model.txt";
        given().body("weights")
                .put("/api/2.0/mlflow-artifacts/artifacts/" + mlflowFileA)
                .then()
                .statusCode(200);
        runA = submitRunAs(Persona.MEMBER);
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            String s = given().get("/api/runs/" + runA).then().extract().path("status");
            return !s.equals("queued") && !s.equals("running");
        });
        artifactA =
                given().get("/api/runs/" + runA + "/artifacts").then().extract().path("[0].name");
        assertThat(artifactA).isNotNull();
        sweepA = newSweep();
        readerToken = newTokenSecret(Persona.MEMBER, "read");
        // team B has work too, which A's people must not see
        given().contentType(ContentType.JSON)
                .body(runBody().replace(Long.toString(experimentA), Long.toString(experimentB)))
                .post("/api/runs")
                .then()
                .statusCode(201);
    }

    static String newTeam() {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"Security " + System.nanoTime() + "\"}")
                .post("/api/teams")
                .then()
                .statusCode(201)
                .extract()
                .path("slug");
    }

    static void createUser(String name) {
        int status = given().contentType(ContentType.JSON)
                .body("{\"username\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}")
                .post("/api/users")
                .statusCode();
        assertThat(status)
                .as("user " + name + " created, or there from an earlier test")
                .isIn(201, 409);
    }

    static String newUser() {
        String name = "tmp-" + SEQ.incrementAndGet() + "-" + (System.nanoTime() % 100000);
        createUser(name);
        return name;
    }

    static void setRole(String team, String user, String role) {
        given().contentType(ContentType.JSON)
                .body("{\"role\": \"" + role + "\"}")
                .put("/api/teams/" + team + "/members/" + user)
                .then()
                .statusCode(200);
    }

    static long experiment(String team) {
        return ((Number) given().contentType(ContentType.JSON)
                        .body("{\"name\": \"e" + SEQ.incrementAndGet() + "\"}")
                        .post("/api/teams/" + team + "/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    static long newExperiment() {
        return experiment(teamA);
    }

    static String runBody() {
        return "{\"experiment\": " + experimentA + ", \"architecture\": \"dense\", \"epochs\": 1,"
                + " \"data\": {\"trainLimit\": 200, \"testLimit\": 100}}";
    }

    static String sweepBody() {
        return "{\"experiment\": " + experimentA + ", \"name\": \"m\", \"base\": {\"architecture\": \"dense\","
                + " \"epochs\": 1, \"data\": {\"trainLimit\": 100, \"testLimit\": 100}}, \"grid\": {\"seed\": [1, 2]}}";
    }

    static long submitRunAs(Persona p) {
        return ((Number) as(p).contentType(ContentType.JSON)
                        .body(runBody())
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    static long newSweep() {
        return ((Number) given().contentType(ContentType.JSON)
                        .body(sweepBody())
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    static long newToken(Persona owner) {
        return ((Number) as(owner)
                        .contentType(ContentType.JSON)
                        .body("{\"name\": \"t" + SEQ.incrementAndGet() + "\", \"scope\": \"read\"}")
                        .post("/api/tokens")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("info.id"))
                .longValue();
    }

    static String newTokenSecret(Persona owner, String scope) {
        return as(owner)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"reader\", \"scope\": \"" + scope + "\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }
}
