package io.sweeplab.app.plugin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.plugin.api.PluginApi;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestPlatform.class)
class PluginResourceTest {

    @Test
    void lists_the_builtin_plugins_with_their_schemas() {
        given().get("/api/plugins?type=architecture")
                .then()
                .statusCode(200)
                .body("findAll { it.source == 'builtin' }.id", contains("cnn", "dense"));
        given().get("/api/plugins?type=strategy")
                .then()
                .statusCode(200)
                .body("findAll { it.source == 'builtin' }.id", contains("grid", "random", "tpe"));
        given().get("/api/plugins?type=scheduler")
                .then()
                .statusCode(200)
                .body("findAll { it.source == 'builtin' }.id", contains("asha", "median"));

        given().get("/api/plugins?type=launcher")
                .then()
                .statusCode(200)
                .body("findAll { it.source == 'builtin' }.id", containsInAnyOrder("kubernetes", "slurm"));

        given().get("/api/plugins")
                .then()
                .statusCode(200)
                .body(
                        "findAll { it.source == 'builtin' }.id",
                        containsInAnyOrder(
                                "cnn",
                                "dense",
                                "accuracy-threshold",
                                "early-stopping",
                                "loss-threshold",
                                "activations",
                                "confusion-matrix",
                                "misclassified",
                                "filters",
                                "per-class-accuracy",
                                "fashion-mnist",
                                "idx",
                                "image-folder",
                                "grid",
                                "random",
                                "tpe",
                                "asha",
                                "median",
                                "kubernetes",
                                "slurm"))
                .body("findAll { it.source == 'builtin' }.status", everyItem(equalTo("loaded")))
                .body(
                        "find { it.id == 'cnn' }.params.name",
                        contains("convLayers", "filters", "kernel", "padding", "units"))
                .body("find { it.id == 'cnn' }.params.find { it.name == 'filters' }.type", equalTo("int_list"))
                .body("find { it.id == 'cnn' }.params.find { it.name == 'filters' }.default", contains(32, 32))
                .body("find { it.id == 'cnn' }.params.find { it.name == 'convLayers' }.min", equalTo(0))
                .body("find { it.id == 'cnn' }.params.find { it.name == 'convLayers' }.max", equalTo(4))
                .body("find { it.id == 'cnn' }.params.find { it.name == 'padding' }.choices", contains("valid", "same"))
                .body("find { it.id == 'loss-threshold' }.type", equalTo("callback"))
                .body("find { it.id == 'loss-threshold' }.params[0].default", equalTo(0.4f))
                .body("find { it.id == 'tpe' }.type", equalTo("strategy"))
                .body("find { it.id == 'tpe' }.params.name", contains("startupTrials", "candidates", "priorWeight"))
                .body("find { it.id == 'asha' }.type", equalTo("scheduler"))
                .body("find { it.id == 'asha' }.params.name", contains("minEpochs", "reductionFactor"))
                .body("find { it.id == 'activations' }.type", equalTo("visualizer"))
                .body("find { it.id == 'activations' }.params[0].default", contains(0, 23, 28))
                .body("find { it.id == 'misclassified' }.type", equalTo("visualizer"))
                .body("find { it.id == 'misclassified' }.params.name", contains("count"))
                .body("find { it.id == 'misclassified' }.params[0].default", equalTo(16))
                .body("find { it.id == 'confusion-matrix' }.params", empty());
    }

    @Test
    void lists_external_plugins_loaded_and_refused_with_reasons() {
        given().get("/api/plugins")
                .then()
                .statusCode(200)
                .body("find { it.id == 'acme-patience' }.source", equalTo("external"))
                .body("find { it.id == 'acme-patience' }.status", equalTo("loaded"))
                .body("find { it.id == 'acme-patience' }.version", equalTo("0.3.1"))
                .body("find { it.id == 'acme-patience' }.plugin", equalTo("acme"))
                .body("find { it.id == 'acme-patience' }.reason", nullValue())
                .body("find { it.id == 'acme-future' }.status", equalTo("refused"))
                .body(
                        "find { it.id == 'acme-future' }.reason",
                        equalTo("requires plugin API [2,3) but the platform provides " + PluginApi.VERSION))
                .body("find { it.id == 'acme-broken' }.status", equalTo("refused"))
                .body("find { it.id == 'acme-broken' }.reason", startsWith("loading plugin acme-broken failed"))
                .body(
                        "find { it.id == 'no-descriptor.jar' }.reason",
                        equalTo("no descriptor META-INF/sweeplab-plugin.properties in the jar"));

        given().get("/api/plugins?status=refused")
                .then()
                .statusCode(200)
                .body("id", hasItems("acme-future", "acme-broken", "no-descriptor.jar"))
                .body("status", everyItem(equalTo("refused")));
    }

    @Test
    void an_unknown_filter_is_a_400_naming_it() {
        given().get("/api/plugins?type=optimizer")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("type"))
                .body(
                        "errors[0].message",
                        equalTo(
                                "must be one of [architecture, callback, visualizer, dataset, strategy, scheduler, launcher]"));
    }
}
