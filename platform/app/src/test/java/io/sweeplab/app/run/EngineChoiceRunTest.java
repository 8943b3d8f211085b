package io.sweeplab.app.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A plugin author's CNN with a layer the fast engine does not run, installed and launched through the REST API
 * alone: the run trains on DL4J and its {@code device} says why, as a user reads it on the run.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class EngineChoiceRunTest {

    /** The lab's first convolution and pooling with a local response normalisation between them. */
    static final String LRN_NET = """
            package com.acme.lrnrun;
            import io.sweeplab.plugin.api.*;
            import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
            import org.deeplearning4j.nn.conf.inputs.InputType;
            import org.deeplearning4j.nn.conf.layers.*;
            import org.nd4j.linalg.activations.Activation;
            import org.nd4j.linalg.learning.config.Adam;
            import org.nd4j.linalg.lossfunctions.LossFunctions;
            public class LrnNet implements Architecture {
                public String id() { return "acme-lrn-net"; }
                public String label() { return "Acme CNN with LRN"; }
                public String version() { return "1.0"; }
                public ModelConfiguration build(Params p, BuildContext c) {
                    return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                            .seed(c.seed())
                            .updater(new Adam(c.learningRate()))
                            .list()
                            .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                            .layer(new LocalResponseNormalization.Builder().build())
                            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                                    .kernelSize(2, 2).stride(2, 2).build())
                            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                    .nOut(c.numClasses()).activation(Activation.SOFTMAX).build())
                            .setInputType(InputType.convolutionalFlat(c.height(), c.width(), c.channels()))
                            .build());
                }
            }
            """;

    /** The platform is shared with the other tests: what this one installed goes. */
    @AfterEach
    void remove() {
        given().delete("/api/plugins/acme-lrn-run");
    }

    @Test
    void a_run_of_a_layer_the_fast_engine_lacks_trains_on_dl4j_and_its_device_names_the_layer() throws Exception {
        Path jar = PluginJarBuilder.create("acme-lrn-run")
                .descriptor("acme-lrn-run", "1.0", "[1,2)")
                .source("com.acme.lrnrun.LrnNet", LRN_NET)
                .service(Architecture.class, "com.acme.lrnrun.LrnNet")
                .build(Files.createTempDirectory("lrn-plugin"));
        given().contentType("application/java-archive")
                .body(Files.readAllBytes(jar))
                .post("/api/plugins")
                .then()
                .statusCode(201);
        long experiment = TestPlatform.experiment("engine-team", "Engines", "Engine choice");

        long run = given().contentType(ContentType.JSON)
                .body("""
                        {"experiment": %d, "architecture": "acme-lrn-net", "epochs": 1, "visualizers": [],
                         "data": {"trainLimit": 256, "testLimit": 64}}""".formatted(experiment))
                .post("/api/runs")
                .then()
                .statusCode(201)
                .extract()
                .<Number>path("id")
                .longValue();
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !java.util.List.of("queued", "running")
                        .contains(
                                given().get("/api/runs/" + run).then().extract().<String>path("status")));
        JsonPath done =
                given().get("/api/runs/" + run).then().statusCode(200).extract().jsonPath();

        assertThat(done.getString("status")).as(done.getString("error")).isEqualTo("succeeded");
        assertThat(done.getString("device"))
                .startsWith("cpu: ")
                .contains(", dl4j engine (passed over: fast: ")
                .contains("LocalResponseNormalization");
    }
}
