package io.sweeplab.app.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sweeplab.app.TestPlatform;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/**
 * A remote worker uploads checkpoints over the worker protocol; the embedded worker, inside the platform, may resume
 * from them. A zip with a crafted Java-serialized entry is refused (400 naming the entry), is not kept, and the
 * crafted object is never instantiated.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class CheckpointUploadTest {

    @Inject
    InProcessWorker embedded;

    static long experiment;
    long run;
    int attempt;

    /** The uploader: a registered worker holding the run (its heartbeats keep the lease). */
    ProtocolClient uploader;

    RequestSpecification worker() {
        return uploader.request();
    }

    @BeforeEach
    void claimARun() {
        embedded.pause(true);
        Tripwire.tripped = false;
        if (experiment == 0) {
            experiment = TestPlatform.experiment("upload-team", "Uploads", "Crafted checkpoints");
        }
        uploader = new ProtocolClient(TestPlatform.WORKER_TOKEN).register("uploader");
        run = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 2}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        JsonPath claimed = uploader.claim().then().statusCode(200).extract().jsonPath();
        assertThat(claimed.getLong("job.run")).isEqualTo(run);
        attempt = claimed.getInt("job.attempt");
    }

    @AfterEach
    void tearDown() {
        uploader.close();
        given().post("/api/runs/" + run + "/cancel");
        embedded.pause(false);
    }

    /** A DL4J model zip of a small network, as the DL4J engine writes it, with one more entry when named. */
    static byte[] checkpoint(String extraEntry, byte[] content) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new OutputLayer.Builder()
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, model, true);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(model.toByteArray()));
                ZipOutputStream out = new ZipOutputStream(zip)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
            }
            if (extraEntry != null) {
                out.putNextEntry(new ZipEntry(extraEntry));
                out.write(content);
            }
        }
        return zip.toByteArray();
    }

    void upload(byte[] zip, int status) {
        worker().contentType(ContentType.BINARY)
                .body(zip)
                .put("/api/worker/jobs/" + run + "/" + attempt + "/checkpoints/1")
                .then()
                .statusCode(status);
    }

    void refused(byte[] zip, String reason) {
        worker().contentType(ContentType.BINARY)
                .body(zip)
                .put("/api/worker/jobs/" + run + "/" + attempt + "/checkpoints/1")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("body"))
                .body("detail", containsString(reason));
        // not kept: there is nothing to resume from
        worker().get("/api/worker/jobs/" + run + "/" + attempt + "/checkpoint?epoch=1")
                .then()
                .statusCode(404);
        assertThat(Tripwire.tripped).as("the crafted object's readObject ran").isFalse();
    }

    @Test
    void a_checkpoint_with_a_serialized_preprocessor_is_refused_and_nothing_is_instantiated() throws Exception {
        refused(checkpoint("preprocessor.bin", Tripwire.serialized()), "preprocessor.bin");
    }

    @Test
    void a_serialized_object_as_the_adam_state_is_refused_in_either_format() throws Exception {
        refused(checkpoint("sweeplab-adam.bin", Tripwire.serialized()), "wrong magic number");
        refused(checkpoint("objects/sweeplab-adam-state", Tripwire.serialized()), "older Sweeplab");
    }

    @Test
    void a_zip_that_is_no_checkpoint_is_refused() throws Exception {
        refused("not a zip".getBytes(), "no configuration.json");
        refused(checkpoint("../../../../tmp/evil", new byte[] {1}), "unexpected entry '../../../../tmp/evil'");
    }

    @Test
    void a_real_checkpoint_is_kept() throws Exception {
        byte[] zip = checkpoint(null, null);
        upload(zip, 204);
        byte[] back = worker().get("/api/worker/jobs/" + run + "/" + attempt + "/checkpoint?epoch=1")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertThat(back).isEqualTo(zip);
    }

    @Test
    void the_platform_refuses_java_deserialization_jvm_wide() throws Exception {
        // by name: an earlier platform in this JVM (another test profile) may have installed it from its class loader
        assertThat(java.io.ObjectInputFilter.Config.getSerialFilter().getClass().getName())
                .isEqualTo(io.sweeplab.core.security.SerialFilter.class.getName());
        java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(Tripwire.serialized()));
        org.assertj.core.api.Assertions.assertThatThrownBy(in::readObject)
                .isInstanceOf(java.io.InvalidClassException.class);
        assertThat(Tripwire.tripped).isFalse();
    }
}
