package io.sweeplab.app.plugin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plugins installed, upgraded, disabled and removed while the platform runs, through {@code /api/plugins}, and
 * jars dropped into the plugins directory: new runs use them at once, runs already training keep their version,
 * and every run records the versions it used.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class PluginUploadTest {

    @Inject
    PluginHost host;

    static long experiment;

    /** Lets held runs go; the platform is shared with the other tests, so what a test installed goes too. */
    @AfterEach
    void release() {
        System.clearProperty(HotPlugins.HOLD);
        List<String> installed = given().get("/api/plugins")
                .then()
                .extract()
                .<List<String>>path("findAll { it.plugin != null && it.plugin.startsWith('hot-') }.plugin");
        for (String plugin : new java.util.LinkedHashSet<>(installed)) {
            given().delete("/api/plugins/" + plugin);
        }
    }

    static long experiment() {
        if (experiment == 0) {
            experiment = TestPlatform.experiment("hot-team", "Hot", "Hot plugins");
        }
        return experiment;
    }

    static JsonPath upload(byte[] jar, int status) {
        return given().contentType("application/java-archive")
                .body(jar)
                .post("/api/plugins")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static String runBody(String architecture, String callback) {
        return """
                {"experiment": %d, "architecture": "%s", "epochs": 1, "visualizers": [],
                 "callbacks": [%s], "data": {"trainLimit": 256, "testLimit": 64}}""".formatted(experiment(), architecture, callback == null ? "" : "{\"id\": \"" + callback + "\"}");
    }

    static long submit(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/runs")
                .then()
                .statusCode(201)
                .extract()
                .<Number>path("id")
                .longValue();
    }

    static JsonPath awaitStatus(long run, String... statuses) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> List.of(statuses)
                        .contains(
                                given().get("/api/runs/" + run).then().extract().<String>path("status")));
        return given().get("/api/runs/" + run).then().extract().jsonPath();
    }

    @Test
    void an_uploaded_jar_is_loaded_and_a_run_of_its_architecture_succeeds_without_a_restart() {
        JsonPath installed = upload(HotPlugins.jar("hot-one", "1.0", 16), 201);
        assertThat(installed.getList("id", String.class)).containsExactlyInAnyOrder("hot-one-net", "hot-one-hold");
        assertThat(installed.getList("status", String.class)).containsOnly("loaded");
        assertThat(installed.getList("pluginVersion", String.class)).containsOnly("1.0");
        assertThat(host.directory().resolve("hot-one-1.0.jar")).exists();
        given().get("/api/plugins?plugin=hot-one")
                .then()
                .body("id", org.hamcrest.Matchers.containsInAnyOrder("hot-one-net", "hot-one-hold"));

        long run = submit(runBody("hot-one-net", null));
        JsonPath done = awaitStatus(run, "succeeded", "failed");

        assertThat(done.getString("status")).as(done.getString("error")).isEqualTo("succeeded");
        Map<String, Object> arch = done.getMap("extensions.find { it.type == 'architecture' }");
        assertThat(arch)
                .containsEntry("id", "hot-one-net")
                .containsEntry("plugin", "hot-one")
                .containsEntry("pluginVersion", "1.0")
                .containsEntry("version", "1.0");
        assertThat((String) arch.get("sha256")).hasSize(64);
        assertThat(done.getList("extensions.find { it.type == 'visualizer' }")).isNull();
        given().get("/api/audit?limit=200")
                .then()
                .body("findAll { it.action == 'plugin-upload' }.target", hasItem("plugin hot-one"));
    }

    @Test
    void an_upgrade_is_used_by_new_runs_while_a_run_training_on_the_old_version_finishes_on_it() {
        upload(HotPlugins.jar("hot-up", "1.0", 16), 201);
        System.setProperty(HotPlugins.HOLD, "true");
        long old = submit(runBody("hot-up-net", "hot-up-hold"));
        awaitStatus(old, "running");

        upload(HotPlugins.jar("hot-up", "2.0", 24), 201);
        given().get("/api/plugins?plugin=hot-up")
                .then()
                .body("findAll { it.id == 'hot-up-net' }.pluginVersion", contains("2.0", "1.0"))
                .body("findAll { it.id == 'hot-up-net' }.status", contains("loaded", "superseded"));
        long fresh = submit(runBody("hot-up-net", "hot-up-hold"));
        System.clearProperty(HotPlugins.HOLD);

        JsonPath a = awaitStatus(old, "succeeded", "failed");
        JsonPath b = awaitStatus(fresh, "succeeded", "failed");
        assertThat(a.getString("status")).as(a.getString("error")).isEqualTo("succeeded");
        assertThat(b.getString("status")).as(b.getString("error")).isEqualTo("succeeded");
        assertThat(a.getList("extensions.findAll { it.plugin == 'hot-up' }.pluginVersion", String.class))
                .hasSize(2)
                .containsOnly("1.0");
        assertThat(b.getList("extensions.findAll { it.plugin == 'hot-up' }.pluginVersion", String.class))
                .hasSize(2)
                .containsOnly("2.0");
        // the networks trained say so too: 784 * 16 + 16 + 16 * 10 + 10 parameters, and with 24 hidden units
        assertThat(a.getLong("summary.totalParams")).isEqualTo(784 * 16 + 16 + 16 * 10 + 10);
        assertThat(b.getLong("summary.totalParams")).isEqualTo(784 * 24 + 24 + 24 * 10 + 10);
    }

    @Test
    void a_refused_jar_is_a_400_or_409_saying_why_and_changes_nothing() {
        byte[] future = HotPlugins.callbackJar("hot-future", "hot-future-stop", "[2,3)");
        given().contentType("application/java-archive")
                .body(future)
                .post("/api/plugins")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("body"))
                .body("errors[0].message", containsString("requires plugin API [2,3) but the platform provides"));
        given().contentType("application/java-archive")
                .body("not a jar".getBytes())
                .post("/api/plugins")
                .then()
                .statusCode(400)
                .body("errors[0].message", startsWith("plugin jar refused: "));
        byte[] thief = HotPlugins.callbackJar("hot-thief", "acme-patience", "[1,2)");
        given().contentType("application/java-archive")
                .body(thief)
                .post("/api/plugins")
                .then()
                .statusCode(409)
                .body(
                        "errors[0].message",
                        equalTo("plugin jar refused: duplicate id: callback 'acme-patience' is already provided by"
                                + " acme"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/api/plugins")
                .then()
                .statusCode(415);
        given().get("/api/plugins?plugin=hot-thief").then().body("", org.hamcrest.Matchers.empty());
        given().get("/api/audit?limit=200")
                .then()
                .body("findAll { it.action == 'plugin-upload-refused' }.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void a_disabled_plugin_is_refused_at_launch_until_enabled_and_a_removed_one_is_gone() {
        upload(HotPlugins.jar("hot-off", "1.0", 8), 201);

        given().contentType(ContentType.JSON)
                .body("{\"disabled\": true}")
                .put("/api/plugins/hot-off/disabled")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.everyItem(equalTo("disabled")));
        given().contentType(ContentType.JSON)
                .body(runBody("hot-off-net", null))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("field", equalTo("architecture"))
                .body("errors[0].message", startsWith("unknown architecture 'hot-off-net'"));
        given().contentType(ContentType.JSON)
                .body("{\"disabled\": false}")
                .put("/api/plugins/hot-off/disabled")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.everyItem(equalTo("loaded")));
        given().contentType(ContentType.JSON)
                .body(runBody("hot-off-net", null).replace("\"epochs\": 1", "\"epochs\": 1, \"seed\": 7"))
                .post("/api/runs")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{}")
                .put("/api/plugins/hot-off/disabled")
                .then()
                .statusCode(400)
                .body("field", equalTo("disabled"));

        given().delete("/api/plugins/hot-off/1.0").then().statusCode(204);
        given().get("/api/plugins?plugin=hot-off").then().body("", org.hamcrest.Matchers.empty());
        given().delete("/api/plugins/hot-off").then().statusCode(404);
        given().delete("/api/plugins/builtin").then().statusCode(400);
        given().get("/api/audit?limit=200")
                .then()
                .body("findAll { it.target == 'plugin hot-off' }.action", hasItem("plugin-disable"))
                .body("findAll { it.target == 'plugin hot-off' }.action", hasItem("plugin-enable"))
                .body("findAll { it.target == 'plugin hot-off' }.action", hasItem("plugin-remove"));
    }

    @Test
    void a_jar_dropped_into_the_plugins_directory_appears_without_a_restart() throws Exception {
        Path part = host.directory().resolve("hot-drop.part");
        Files.write(part, HotPlugins.jar("hot-drop", "3.1", 8));
        Files.move(part, host.directory().resolve("hot-drop.jar"));

        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/api/plugins?plugin=hot-drop&status=loaded")
                                .then()
                                .extract()
                                .<List<Object>>path("")
                                .size()
                        == 2);
        given().get("/api/audit?limit=200")
                .then()
                .body(
                        "findAll { it.action == 'plugin-add' && it.actor == 'system' }.target",
                        hasItem("architecture hot-drop-net"));
    }
}
