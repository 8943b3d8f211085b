package io.sweeplab.app.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.plugin.testkit.ImageFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs on a dataset other than Fashion-MNIST, named in the request, through the REST API alone. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class DatasetRunResourceTest {

    static long experiment;
    static Path images;

    @BeforeEach
    void experiment() throws Exception {
        if (experiment == 0) {
            given().contentType(ContentType.JSON)
                    .body("{\"slug\": \"datasets-team\", \"name\": \"Datasets\"}")
                    .post("/api/teams");
            experiment = ((Number) given().contentType(ContentType.JSON)
                            .body("{\"name\": \"Own images\"}")
                            .post("/api/teams/datasets-team/experiments")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id"))
                    .longValue();
            // inside the worker's default dataset root, <sweeplab.home>/datasets: runs may read nothing outside it
            Path root = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                            .getValue("sweeplab.home", String.class))
                    .resolve("datasets");
            Files.createDirectories(root);
            images = ImageFolders.trainTest(
                    Files.createTempDirectory(root, "images"), List.of("circle", "bar", "dot"), 80, 20, 24, false);
        }
    }

    String body(String json) {
        return json.replace("$EXP", Long.toString(experiment)).replace("$DIR", images.toString());
    }

    static long submit(String body) {
        return ((Number) given().contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    @Test
    void the_datasets_are_listed_as_plugins() {
        given().get("/api/plugins?type=dataset")
                .then()
                .statusCode(200)
                .body("id", hasItems("fashion-mnist", "idx", "image-folder"))
                .body("find { it.id == 'image-folder' }.params.name", hasItems("directory", "size", "channels"));
    }

    @Test
    void a_cnn_trains_on_an_image_folder_and_the_run_records_the_dataset() {
        long id = submit(body("""
                {"experiment": $EXP, "architecture": "cnn", "epochs": 1, "batchSize": 16,
                 "visualizers": [{"id": "confusion-matrix"}],
                 "dataset": {"id": "image-folder", "params": {"directory": "$DIR", "size": 24}}}"""));
        JsonPath run = RunResourceTest.awaitFinished(id);

        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getString("dataset.id")).isEqualTo("image-folder");
        assertThat(run.getMap("dataset.params"))
                .containsEntry("directory", images.toString())
                .containsEntry("size", 24)
                .containsEntry("channels", "1");
        assertThat(run.getString("datasetLoaded.id")).isEqualTo("image-folder");
        assertThat(run.getString("datasetLoaded.version")).isEqualTo("1.0.0");
        assertThat(run.getString("datasetLoaded.sha256")).matches("[0-9a-f]{64}");
        assertThat(List.of(
                        run.getInt("datasetLoaded.train"),
                        run.getInt("datasetLoaded.test"),
                        run.getInt("datasetLoaded.classes"),
                        run.getInt("datasetLoaded.height")))
                .containsExactly(240, 60, 3, 24);
        assertThat(run.getList("summary.layers.outputShape")).last().isEqualTo(List.of(3));
        given().get("/api/runs/" + id + "/artifacts/confusion-matrix")
                .then()
                .statusCode(200)
                .body("tensors[0].axes[0].labels", equalTo(List.of("bar", "circle", "dot")));
    }

    @Test
    void a_run_naming_a_directory_outside_the_workers_dataset_roots_reads_nothing_there() throws Exception {
        // the attack: a member points image-folder at a directory of the worker machine to see its images
        Path outside = ImageFolders.trainTest(
                Files.createTempDirectory("outside-roots"), List.of("secret", "plans"), 4, 2, 8, false);
        for (String dir : List.of(outside.toString(), images + "/../../../..", "/etc")) {
            long id = submit(body("{\"experiment\": $EXP, \"architecture\": \"dense\", \"epochs\": 1,"
                    + " \"visualizers\": [{\"id\": \"misclassified\"}],"
                    + " \"dataset\": {\"id\": \"image-folder\", \"params\": {\"directory\": \"" + dir
                    + "\", \"size\": 8}}}"));
            JsonPath run = RunResourceTest.awaitFinished(id);
            assertThat(run.getString("status")).as(dir).isEqualTo("failed");
            assertThat(run.getString("error")).as(dir).contains("outside the directories this worker lets runs read");
            assertThat(run.getString("datasetLoaded")).as(dir).isNull();
            given().get("/api/runs/" + id + "/artifacts").then().statusCode(200).body("size()", equalTo(0));
        }
    }

    @Test
    void a_run_naming_no_dataset_trains_on_fashion_mnist() {
        given().contentType(ContentType.JSON)
                .body(body("""
                        {"experiment": $EXP, "architecture": "dense", "epochs": 1,
                         "data": {"trainLimit": 100, "testLimit": 50}}"""))
                .post("/api/runs")
                .then()
                .statusCode(201)
                .body("dataset.id", equalTo("fashion-mnist"))
                .body("dataset.params", equalTo(Map.of()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"experiment": $EXP, "architecture": "dense", "dataset": {"id": "cifar"}}                                   | dataset.id               | unknown dataset 'cifar'; available: fashion-mnist, idx, image-folder
            {"experiment": $EXP, "architecture": "dense", "dataset": {"params": {}}}                                     | dataset.id               | is required
            {"experiment": $EXP, "architecture": "dense", "dataset": {"id": "image-folder"}}                             | dataset.params.directory | is required: the image folder on the worker
            {"experiment": $EXP, "architecture": "dense", "dataset": {"id": "image-folder", "params": {"directory": "/d", "size": 1000}}} | dataset.params.size | must be between 4 and 256
            {"experiment": $EXP, "architecture": "dense", "dataset": {"id": "image-folder", "params": {"directory": "/d", "colour": 1}}} | dataset.params.colour | unknown parameter; known: directory, size, channels, testFraction, splitSeed
            {"experiment": $EXP, "architecture": "cnn", "params": {"convLayers": 3}, "dataset": {"id": "image-folder", "params": {"directory": "/d", "size": 12}}} | params.convLayers | 3 convolution blocks with kernel 3 and valid padding do not fit a 12x12 image: block 3 gets less than 2x2 to pool (at most 2 fit)
            {"experiment": $EXP, "architecture": "dense", "batchSize": 4096, "params": {"units": 8192}, "dataset": {"id": "image-folder", "params": {"directory": "/d", "size": 256, "channels": "3"}}} | params.units | this run needs about
            """)
    void bad_datasets_are_400_naming_the_field(String body, String field, String message) {
        given().contentType(ContentType.JSON)
                .body(body(body))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.find { it.field == '" + field + "' }.message", org.hamcrest.Matchers.startsWith(message));
    }
}
