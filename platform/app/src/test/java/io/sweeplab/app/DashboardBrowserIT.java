package io.sweeplab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard in Debian's Chromium against the packaged platform (page objects in {@link DashboardPages}).
 * Screenshots of each main view go to {@code target/screenshots/}.
 */
class DashboardBrowserIT {

    static final String ADMIN_PASSWORD = "browser-admin-password";
    static final String PASSWORD = "browser-user-password";

    static PackagedPlatform platform;

    @BeforeAll
    static void start() throws IOException {
        platform = new PackagedPlatform(
                "sweeplab-browser",
                Map.of(
                        "sweeplab.admin.password",
                        ADMIN_PASSWORD,
                        // a launcher enabled with a bad key: it does not run, and the Workers page says why
                        "sweeplab.launchers.slurm.enabled",
                        "true",
                        "sweeplab.launchers.slurm.max-workers",
                        "lots"));
        ThirdPartyVisualizers.build(platform.home.resolve("plugins")); // installed as an outside author would
        platform.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            platform.close();
        }
    }

    static RequestSpecification admin() {
        return platform.http()
                .auth()
                .preemptive()
                .basic("admin", ADMIN_PASSWORD)
                .contentType(ContentType.JSON);
    }

    static RequestSpecification as(String user) {
        return platform.http().auth().preemptive().basic(user, PASSWORD).contentType(ContentType.JSON);
    }

    /** A team with one member and one experiment; returns the experiment's id. */
    static int team(String team, String user) {
        admin().body("{\"slug\": \"" + team + "\", \"name\": \"Team " + team + "\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        admin().body("{\"username\": \"" + user + "\", \"password\": \"" + PASSWORD + "\"}")
                .post("/api/users")
                .then()
                .statusCode(201);
        admin().body("{\"role\": \"member\"}")
                .put("/api/teams/" + team + "/members/" + user)
                .then()
                .statusCode(200);
        return as(user).body("{\"name\": \"Lab\"}")
                .post("/api/teams/" + team + "/experiments")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void a_member_signs_in_sees_only_their_teams_sweeps_and_signs_out() throws IOException {
        String worker = admin().get("/api/workers").then().extract().path("[0].id");
        admin().post("/api/workers/" + worker + "/pause").then().statusCode(200);
        List<Integer> sweeps = new java.util.ArrayList<>();
        try {
            for (String team : List.of("alpha", "beta")) {
                String user = team.equals("alpha") ? "ann" : "bob";
                int experiment = team(team, user);
                sweeps.add(as(user).body("{\"experiment\": " + experiment + ", \"name\": \"" + team
                                + " filters grid\", \"base\": {\"architecture\": \"cnn\", \"epochs\": 1},"
                                + " \"grid\": {\"params.filters\": [[16, 16], [32, 32]]}}")
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
            }
            try (DashboardPages ui = new DashboardPages(platform.url())) {
                ui.open("sweeps"); // not signed in: the sign-in page
                DashboardPages.Login login = ui.new Login();
                ui.screenshot("sign-in");
                login.signIn("ann", "not-the-password");
                ui.wait.until(ExpectedConditions.urlContains("error"));
                assertThat(ui.new Login().showsError()).isTrue();

                ui.new Login().signIn("ann", PASSWORD);
                ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "ann"));
                ui.screenshot("teams");

                ui.open("sweeps");
                ui.byId("sweeps-grid");
                ui.wait.until(d -> cells(ui, "sweeps-grid").stream().anyMatch(t -> t.contains("alpha filters grid")));
                assertThat(cells(ui, "sweeps-grid")).contains("alpha").noneMatch(t -> t.contains("beta"));
                ui.screenshot("sweeps");

                ui.open("workers"); // the worker paused above: shown so, without the administrators' buttons
                ui.wait.until(d -> cells(ui, "workers-grid").contains("online, paused"));
                assertThat(ui.driver.findElements(By.cssSelector("[id^='pause-'], [id^='resume-']")))
                        .isEmpty();
                assertThat(ui.driver.findElements(By.id("launcher-slurm")))
                        .as("launchers are for administrators")
                        .isEmpty();

                ui.byId("sign-out").click();
                ui.wait.until(ExpectedConditions.urlContains("/login"));
                ui.wait.until(ExpectedConditions.textToBe(By.id("login-note"), "You are signed out."));
                ui.open("sweeps");
                ui.new Login();
                assertThat(ui.driver.findElements(By.id("sweeps-grid"))).isEmpty();
            }
        } finally {
            // they were there to be listed: the next test's runs must not wait behind them
            for (int sweep : sweeps) {
                admin().post("/api/sweeps/" + sweep + "/cancel");
            }
            admin().post("/api/workers/" + worker + "/resume").then().statusCode(200);
        }
    }

    @Test
    void an_administrator_sees_on_the_workers_page_why_a_launcher_does_not_run() throws IOException {
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("admin", ADMIN_PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "admin (admin)"));
            ui.open("workers");
            ui.wait.until(d -> !cells(ui, "workers-grid").isEmpty());
            // enabled with a bad key: not run, and why, by key; nothing launched, so no launches grid
            ui.wait.until(d -> !d.findElements(By.id("launcher-slurm")).isEmpty());
            assertThat(ui.text("launcher-slurm"))
                    .isEqualTo(
                            "slurm: not run: sweeplab.launchers.slurm.max-workers: must be a whole number; not lots");
            assertThat(ui.driver.findElements(By.id("launches-grid")).stream().filter(e -> e.isDisplayed()))
                    .isEmpty();
            ui.screenshot("workers-admin");
        }
    }

    @Test
    void a_member_launches_the_overfitting_exercise_and_watches_it_train_live() throws IOException {
        team("vision", "cleo");
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("cleo", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "cleo"));

            DashboardPages.Launch launch =
                    ui.new Launch().template("Overfitting: 5 vs 20 epochs").subset(1500, 300);
            assertThat(launch.plan()).startsWith("2 runs").contains("epochs in [5, 20]");
            assertThat(launch.usesVisualizer("activations")).isTrue();
            ui.screenshot("launch");
            DashboardPages.Sweep sweep = launch.launch();
            assertThat(as("cleo")
                            .get("/api/sweeps/" + sweep.id())
                            .then()
                            .extract()
                            .<List<Object>>path("runs.visualizers"))
                    .containsOnly(List.of(
                            Map.of("id", "activations", "params", Map.of("images", List.of(0, 23, 28), "layers", 4))))
                    .hasSize(2);

            // the progress bars move and the runs finish while the page stays open (server push, no reload)
            List<String> first = sweep.progress();
            ui.wait.until(d ->
                    !sweep.progress().equals(first) && sweep.progress().stream().anyMatch(p -> !p.startsWith("0/")));
            ui.wait.until(d -> sweep.summary().contains("2 of 2 runs finished"));
            ui.wait.until(d -> sweep.comparisonPoints() == 2);
            assertThat(sweep.progress()).containsExactlyInAnyOrder("5/5", "20/20");
            ui.screenshot("sweep");

            long twenty = ((Number) as("cleo")
                            .get("/api/sweeps/" + sweep.id())
                            .then()
                            .extract()
                            .path("runs.find { it.epochs == 20 }.id"))
                    .longValue();
            DashboardPages.Run run = sweep.openRun(twenty);
            ui.wait.until(d -> run.curvePoints() == 40);
            assertThat(run.overfitting()).contains("best validation accuracy");
            ui.wait.until(d -> run.activationMaps() == 12);
            // the lab's grid: rows the test images 0, 23 and 28, columns the first four layers
            assertThat(run.activationHeadings()).containsExactlyElementsOf(LAB_GRID);
            assertThat(run.summaryTexts()).contains("conv2d_1 (Conv2D)", "Total: 113,386");
            ui.screenshot("run");

            ui.open("workers");
            ui.wait.until(d -> !cells(ui, "workers-grid").isEmpty());
            assertThat(cells(ui, "workers-grid")).contains("embedded");
            ui.screenshot("workers");
            ui.open("plugins");
            ui.byId("plugins-grid");
            ui.screenshot("plugins");
            ui.open("tokens");
            ui.byId("tokens-grid");
            ui.screenshot("tokens");
        }
    }

    @Test
    void a_member_chooses_the_visualizers_of_a_launch_and_sweeps_their_parameters() throws IOException {
        team("optics", "dora");
        String worker = admin().get("/api/workers").then().extract().path("[0].id");
        admin().post("/api/workers/" + worker + "/pause").then().statusCode(200);
        List<Long> sweeps = new java.util.ArrayList<>();
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("dora", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "dora"));

            // the activation maps of two image sets: the plan counts the visualizer's axis
            DashboardPages.Launch launch = ui.new Launch()
                    .template("Exercise 1: 16, 32 or 64 filters")
                    .subset(300, 100)
                    .sweepVisualizer("activations", "images", "0; 1,2");
            ui.wait.until(d -> launch.plan().startsWith("6 runs"));
            ui.screenshot("launch-visualizers");
            DashboardPages.Sweep swept = launch.launch();
            sweeps.add(swept.id());
            assertThat(as("dora")
                            .get("/api/sweeps/" + swept.id())
                            .then()
                            .extract()
                            .<List<Object>>path("runs.visualizers"))
                    .hasSize(6)
                    .containsOnly(
                            List.of(Map.of("id", "activations", "params", Map.of("images", List.of(0), "layers", 4))),
                            List.of(Map.of(
                                    "id", "activations", "params", Map.of("images", List.of(1, 2), "layers", 4))));

            // none checked: the runs make no artifacts
            DashboardPages.Launch none = ui.new Launch()
                    .template("Exercise 1: 16, 32 or 64 filters")
                    .subset(300, 100)
                    .useVisualizer("activations", false);
            assertThat(none.plan()).startsWith("3 runs");
            DashboardPages.Sweep bare = none.launch();
            sweeps.add(bare.id());
            assertThat(as("dora")
                            .get("/api/sweeps/" + bare.id())
                            .then()
                            .extract()
                            .<List<Object>>path("runs.visualizers"))
                    .containsExactly(List.of(), List.of(), List.of());
        } finally {
            for (long sweep : sweeps) {
                admin().post("/api/sweeps/" + sweep + "/cancel");
            }
            admin().post("/api/workers/" + worker + "/resume").then().statusCode(200);
        }
    }

    @Test
    void a_member_launches_a_random_search_from_the_launch_page() throws IOException {
        team("search", "sami");
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("sami", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "sami"));

            // two dimensions, one an int range of the architecture, one the learning rate on a log scale
            DashboardPages.Launch launch = ui.new Launch()
                    .subset(300, 100)
                    .architecture("Dense network (lab) (dense)")
                    .kind("Search")
                    .value("training", "epochs", 1)
                    .over("params", "units", "16..64 log")
                    .over("training", "learningRate", "0.0001..0.01 log")
                    .budget(2);
            ui.wait.until(
                    d -> launch.plan().startsWith("Search: up to 2 trials, 2 at a time, random over 2 dimensions"));
            ui.fullScreenshot("launch-search");
            DashboardPages.Sweep sweep = launch.launch();

            int id = (int) sweep.id();
            assertThat(sweepJson("sami", id).getMap("search.strategy"))
                    .isEqualTo(Map.of("id", "random", "params", Map.of()));
            assertThat(sweepJson("sami", id).getMap("search.space"))
                    .isEqualTo(Map.of(
                            "params.units", Map.of("int", List.of(16, 64), "log", true),
                            "learningRate", Map.of("float", List.of(0.0001, 0.01), "log", true)));
            succeeded("sami", id);
            List<Map<String, Object>> runs = sweepJson("sami", id).getList("runs");
            assertThat(runs).hasSize(2).allSatisfy(r -> {
                assertThat(r.get("epochs")).isEqualTo(1);
                assertThat(((Number) ((Map<?, ?>) r.get("params")).get("units")).intValue())
                        .isBetween(16, 64);
                assertThat((Double) r.get("learningRate")).isBetween(0.0001, 0.01);
            });
        }
    }

    /** A sweep as the API shows it, its decimals read as doubles. */
    static io.restassured.path.json.JsonPath sweepJson(String user, int sweep) {
        return as(user).get("/api/sweeps/" + sweep)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** The lab's activation grid's headings: the first four layers, then the test images 0, 23 and 28. */
    static final List<String> LAB_GRID =
            List.of("conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "image 0", "image 23", "image 28");

    static final List<String> BUILT_IN_VISUALIZERS =
            List.of("activations", "confusion-matrix", "misclassified", "filters", "per-class-accuracy");

    /** Every built-in and third-party visualizer, as a request's {@code visualizers}. */
    static String everyVisualizer() {
        List<String> ids = new java.util.ArrayList<>(BUILT_IN_VISUALIZERS);
        ids.addAll(ThirdPartyVisualizers.IDS);
        return ids.stream()
                .map(v -> "{\"id\": \"" + v + "\"}")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** Waits until a sweep's runs have finished, and checks they all succeeded. */
    static int succeeded(String user, int sweep) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofMinutes(6))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(
                        () -> as(user).get("/api/sweeps/" + sweep)
                                .then()
                                .extract()
                                .<String>path("status"),
                        s -> !s.equals("queued") && !s.equals("running"));
        assertThat(as(user).get("/api/sweeps/" + sweep).then().extract().<String>path("status"))
                .isEqualTo("succeeded");
        return sweep;
    }

    @Test
    void every_artifact_of_a_third_party_plugin_is_drawn_by_its_kind_and_compared_along_the_grid() throws IOException {
        int experiment = team("artifacts", "vera");
        // rows filters 16/32/64, columns convLayers 1/2/3: the example of exercises 1 to 4 in one grid
        int grid = succeeded(
                "vera",
                as("vera")
                        .body("{\"experiment\": " + experiment + ", \"name\": \"filters by convolutions\", \"base\":"
                                + " {\"architecture\": \"cnn\", \"epochs\": 2, \"data\": {\"trainLimit\": 1500,"
                                + " \"testLimit\": 300}, \"visualizers\": " + everyVisualizer() + "}, \"grid\":"
                                + " {\"params.filters\": [[16], [32], [64]], \"params.convLayers\": [1, 2, 3]}}")
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        // the lab's exercise 1 as its template launches it, with every visualizer
        int exercise1 = succeeded(
                "vera",
                as("vera")
                        .body("{\"experiment\": " + experiment + ", \"data\": {\"trainLimit\": 1500, \"testLimit\":"
                                + " 300}, \"visualizers\": " + everyVisualizer() + "}")
                        .post("/api/templates/exercise-1-filters/launch")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        List<Integer> runs =
                as("vera").get("/api/sweeps/" + grid).then().extract().path("runs.id");
        assertThat(runs).hasSize(9);
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("vera", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "vera"));

            // the run page: every artifact drawn, each by its kind, whatever plugin made it
            long lab = ((Number) as("vera")
                            .get("/api/sweeps/" + exercise1)
                            .then()
                            .extract()
                            .path("runs.find { it.cell['params.filters'] == [32, 32] }.id"))
                    .longValue();
            ui.open("runs/" + lab);
            DashboardPages.Run run = ui.new Run();
            List<String> expected = new java.util.ArrayList<>(List.of(
                    "activations:tensors",
                    "confusion-matrix:tensors",
                    "misclassified:tensors",
                    "filters:tensors",
                    "per-class-accuracy:table"));
            expected.addAll(ThirdPartyVisualizers.ARTIFACTS);
            ui.wait.until(d -> run.artifacts().size() == expected.size());
            assertThat(run.artifacts()).containsExactlyElementsOf(expected);
            // the lab's grid is still there: images 0, 23 and 28 by the first four layers
            assertThat(run.activationMaps()).isEqualTo(12);
            assertThat(run.activationHeadings()).containsExactlyElementsOf(LAB_GRID);
            assertThat(ui.driver.findElements(
                            By.cssSelector("[data-artifact-name='confusion-matrix'] .labelled-heatmap[data-rendered]")))
                    .hasSize(2);
            assertThat(ui.driver.findElements(By.cssSelector("[data-artifact-name='acme-sketch'] img.artifact-image")))
                    .hasSize(1);
            assertThat(ui.driver.findElements(By.cssSelector("[data-artifact-name='acme-scores'] [data-scalar]")))
                    .hasSize(2);
            assertThat(ui.driver.findElements(By.cssSelector("[data-artifact-name='filters'] img.activation-map")))
                    .hasSize(32);
            // the hover read-out names the value under the pointer
            org.openqa.selenium.WebElement map = ui.byCss("[data-artifact-name='activations'] img.activation-map");
            new org.openqa.selenium.interactions.Actions(ui.driver)
                    .moveToElement(map, 3, 3)
                    .perform();
            ui.wait.until(d -> map.getAttribute("data-readout") != null);
            assertThat(map.getAttribute("data-readout")).matches("y \\d+, x \\d+: -?[0-9.e+-]+");
            ui.fullScreenshot("run-artifacts");

            // beside another run picked by searching its cell, each artifact next to its namesake
            org.openqa.selenium.WebElement search = ui.byCss("#artifact-compare input");
            search.sendKeys("filters=[64,");
            // the search matches anywhere in a run's label, so the one item is picked with the pointer
            org.openqa.selenium.WebElement item = ui.wait.until(d -> {
                List<org.openqa.selenium.WebElement> items =
                        d.findElements(By.cssSelector("vaadin-combo-box-item")).stream()
                                .filter(org.openqa.selenium.WebElement::isDisplayed)
                                .toList();
                return items.size() == 1 && items.get(0).getText().contains("params.filters=[64, 64]")
                        ? items.get(0)
                        : null;
            });
            ui.driver.executeScript("arguments[0].click()", item);
            ui.wait.until(d -> d.findElements(By.cssSelector("#run-artifacts .artifact-pair"))
                            .size()
                    == expected.size());
            assertThat(ui.driver.findElements(By.cssSelector(
                            "#run-artifacts .artifact-pair [data-artifact-name='activations'] img.activation-map")))
                    .hasSize(24);
            ui.screenshot("run-compare");

            // the sweep page: each artifact compared across the nine runs along filters x convLayers
            ui.open("sweeps/" + grid);
            DashboardPages.Sweep sweep = ui.new Sweep();
            sweep.scrollToComparison();
            ui.wait.until(d -> sweep.comparedCells().size() == 9);
            assertThat(sweep.comparedHeadings())
                    .containsExactly(
                            "params.convLayers=1",
                            "params.convLayers=2",
                            "params.convLayers=3",
                            "[16]",
                            "[32]",
                            "[64]");
            ui.fullScreenshot("sweep-compare-grid");
            for (String artifact : expected) {
                String name = artifact.substring(0, artifact.indexOf(':'));
                sweep.compare("compare-artifact", name);
                try {
                    ui.wait.until(d -> sweep.comparedCells().stream()
                                    .filter(c -> c.endsWith(":" + artifact))
                                    .count()
                            == 9);
                } catch (org.openqa.selenium.TimeoutException e) {
                    ui.fullScreenshot("sweep-compare-failed");
                    throw new AssertionError(artifact + " not compared in 9 cells: " + sweep.comparedCells(), e);
                }
            }
            sweep.compare("compare-artifact", "activations");
            ui.wait.until(d -> sweep.comparedCells().stream()
                            .filter(c -> c.endsWith(":activations:tensors"))
                            .count()
                    == 9);

            ui.open("sweeps/" + exercise1);
            DashboardPages.Sweep ex1 = ui.new Sweep();
            ex1.scrollToComparison();
            ui.wait.until(d -> ex1.comparedCells().size() == 3);
            assertThat(ex1.comparedHeadings()).containsExactly("[16, 16]", "[32, 32]", "[64, 64]");
            ui.fullScreenshot("sweep-compare-exercise-1");
            ex1.compare("compare-artifact", "confusion-matrix");
            ui.wait.until(d -> ex1.comparedCells().stream()
                            .filter(c -> c.endsWith(":confusion-matrix:tensors"))
                            .count()
                    == 3);
            ui.fullScreenshot("sweep-compare-confusion");
        }
    }

    @Test
    void a_member_reads_a_finished_grid_sweep_brushes_its_parameters_and_downloads_its_runs() throws IOException {
        int experiment = team("readers", "rita");
        admin().body("{\"username\": \"vic\", \"password\": \"" + PASSWORD + "\"}")
                .post("/api/users")
                .then()
                .statusCode(201);
        admin().body("{\"role\": \"viewer\"}")
                .put("/api/teams/readers/members/vic")
                .then()
                .statusCode(200);
        // 3 x 3: filters (lists: a categorical axis) by learning rate (a numeric one)
        int sweep = succeeded(
                "rita",
                as("rita")
                        .body("{\"experiment\": " + experiment + ", \"name\": \"filters by rate\", \"base\":"
                                + " {\"architecture\": \"cnn\", \"epochs\": 1, \"data\": {\"trainLimit\": 600,"
                                + " \"testLimit\": 200}, \"visualizers\": []}, \"grid\": {\"params.filters\": [[8],"
                                + " [16], [32]], \"learningRate\": [0.0005, 0.005, 0.05]}}")
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        // a sweep cancelled before it trained: its runs may be re-run, by members only
        String worker = admin().get("/api/workers").then().extract().path("[0].id");
        admin().post("/api/workers/" + worker + "/pause").then().statusCode(200);
        int cancelled;
        try {
            cancelled = as("rita")
                    .body("{\"experiment\": " + experiment + ", \"name\": \"cancelled\", \"base\":"
                            + " {\"architecture\": \"cnn\", \"epochs\": 1}, \"grid\": {\"seed\": [1, 2]}}")
                    .post("/api/sweeps")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            as("rita").post("/api/sweeps/" + cancelled + "/cancel").then().statusCode(200);
        } finally {
            admin().post("/api/workers/" + worker + "/resume").then().statusCode(200);
        }
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("rita", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "rita"));
            ui.open("sweeps/" + sweep);
            DashboardPages.Sweep page = ui.new Sweep();
            ui.wait.until(d -> page.points("sweep-parallel") == 9);
            ui.wait.until(d -> page.points("sweep-importance") == 2);
            assertThat(ui.text("sweep-importance-method"))
                    .isEqualTo("Method: random-forest permutation importance, 64 trees, out-of-bag");
            assertThat(page.points("sweep-scatter")).isEqualTo(9);
            assertThat(page.shows("sweep-best-so-far")).isFalse(); // a grid: no trials
            assertThat(page.shows("sweep-rerun")).isFalse(); // every run succeeded
            assertThat(page.shows("sweep-extend")).isFalse();
            assertThat(ui.cells("sweep-runs")).contains("Best val. acc.", "Best epoch", "Last val. acc.");
            ui.fullScreenshot("sweep-reading");

            // a brush on the learning rate's axis keeps the runs at 0.005 and 0.05 in the table
            assertThat(page.tableSize()).isEqualTo(9);
            page.brush("learningRate", 0.004, 0.06);
            ui.wait.until(d -> page.tableSize() == 6);
            assertThat(ui.text("sweep-brush")).isEqualTo("6 runs within the brushed ranges");
            ui.screenshot("sweep-brushed");
            ui.byId("sweep-clear-brush").click();
            ui.wait.until(d -> page.tableSize() == 9);
            assertThat(page.shows("sweep-clear-brush")).isFalse();

            // the downloads, with the dashboard's session: one row per run
            List<Object> csv = page.download("sweep-csv");
            assertThat(csv.get(0)).isEqualTo(200L);
            assertThat((String) csv.get(1)).startsWith("text/csv");
            List<String> lines = ((String) csv.get(2)).strip().lines().toList();
            assertThat(lines.get(0)).startsWith("run,status,").contains(",params.filters,", ",learningRate,");
            assertThat(lines).hasSize(1 + 9);
            assertThat(lines.subList(1, 10)).allSatisfy(l -> assertThat(l).contains(",succeeded,"));
            List<Object> json = page.download("sweep-json");
            assertThat(json.get(0)).isEqualTo(200L);
            assertThat((String) json.get(1)).startsWith("application/json");

            ui.open("sweeps/" + cancelled);
            DashboardPages.Sweep again = ui.new Sweep();
            ui.wait.until(d -> again.shows("sweep-rerun"));
            ui.screenshot("sweep-cancelled-member");
        }
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("vic", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "vic"));
            ui.open("sweeps/" + cancelled);
            DashboardPages.Sweep viewer = ui.new Sweep();
            ui.wait.until(d -> viewer.summary().contains("cancelled"));
            assertThat(viewer.shows("sweep-rerun")).isFalse(); // a viewer reads, and downloads
            assertThat(viewer.download("sweep-csv").get(0)).isEqualTo(200L);
        }
    }

    @Test
    void a_member_reads_a_finished_search_with_its_best_so_far_and_extends_it_by_two_trials() throws IOException {
        int experiment = team("searchers", "sam");
        int sweep = succeeded(
                "sam",
                as("sam")
                        .body("""
                                {"experiment": %d, "name": "random over rate and units",
                                 "base": {"architecture": "dense", "epochs": 1, "visualizers": [],
                                          "data": {"trainLimit": 400, "testLimit": 200}},
                                 "strategy": {"id": "random"},
                                 "space": {"learningRate": {"float": [0.0002, 0.05], "log": true},
                                           "params.units": {"int": [8, 128], "log": true}},
                                 "objective": {"metric": "valAccuracy", "goal": "max"},
                                 "budget": {"maxRuns": 8}, "parallelism": 2, "seed": 5}""".formatted(experiment))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("sam", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "sam"));
            ui.open("sweeps/" + sweep);
            DashboardPages.Sweep page = ui.new Sweep();
            ui.wait.until(d -> page.points("sweep-parallel") == 8);
            ui.wait.until(d -> page.points("sweep-importance") == 2);
            assertThat(ui.text("sweep-importance-method")).contains("random-forest permutation importance");
            assertThat(page.shows("sweep-best-so-far"))
                    .as("a search: the best so far by trial")
                    .isTrue();
            assertThat(page.points("sweep-best-so-far")).isEqualTo(8);
            assertThat(page.points("sweep-scatter")).isEqualTo(8);
            assertThat(page.shows("sweep-extend")).isTrue();
            ui.fullScreenshot("sweep-search");

            // extend the finished search by two trials from its page: they train and join the charts
            org.openqa.selenium.WebElement trials = ui.byId("sweep-extend-trials");
            trials.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), "2");
            trials.sendKeys(org.openqa.selenium.Keys.TAB);
            ui.byId("sweep-extend").click();
            ui.wait.until(d -> page.points("sweep-parallel") == 10);
            ui.wait.until(d -> page.points("sweep-best-so-far") == 10);
        }
        io.restassured.path.json.JsonPath s =
                as("sam").get("/api/sweeps/" + sweep).then().extract().jsonPath();
        assertThat(s.getList("search.trials.number")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(s.getInt("search.budget.maxRuns")).isEqualTo(10);
    }

    /** A call of the MLflow REST API as an MLflow client makes it (basic credentials, JSON). */
    static io.restassured.path.json.JsonPath mlflow(String user, String endpoint, String body) {
        return as(user).body(body)
                .post("/api/2.0/mlflow/" + endpoint)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void a_run_logged_through_the_mlflow_protocol_shows_with_its_curves_and_compares_with_a_trained_run()
            throws IOException {
        int lab = team("outside", "olga");
        long trained = ((Number) as("olga")
                        .body("{\"experiment\": " + lab + ", \"architecture\": \"dense\", \"epochs\": 2, \"data\":"
                                + " {\"trainLimit\": 300, \"testLimit\": 100}, \"visualizers\": []}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();

        // the lab's notebook, as mlflow.log_metric and log_artifact send it: 300 steps of loss and accuracy
        String exp = mlflow("olga", "experiments/create", "{\"name\": \"outside/keras notebook\"}")
                .getString("experiment_id");
        long start = System.currentTimeMillis();
        String run = mlflow(
                        "olga",
                        "runs/create",
                        "{\"experiment_id\": \"" + exp + "\", \"run_name\": \"keras notebook\", \"start_time\": "
                                + start + "}")
                .getString("run.info.run_id");
        int steps = 300;
        StringBuilder metrics = new StringBuilder();
        for (int step = 0; step < steps; step++) {
            metrics.append(metrics.length() == 0 ? "" : ", ")
                    .append(String.format(
                            java.util.Locale.ROOT,
                            "{\"key\": \"loss\", \"value\": %.6f, \"timestamp\": %d, \"step\": %d},"
                                    + " {\"key\": \"accuracy\", \"value\": %.6f, \"timestamp\": %d, \"step\": %d}",
                            2.3 / (1 + step / 20.0),
                            start + step,
                            step,
                            0.1 + 0.85 * step / steps,
                            start + step,
                            step));
        }
        mlflow(
                "olga",
                "runs/log-batch",
                "{\"run_id\": \"" + run + "\", \"metrics\": [" + metrics + "], \"params\": [{\"key\":"
                        + " \"optimizer\", \"value\": \"adam\"}, {\"key\": \"learning_rate\", \"value\":"
                        + " \"0.001\"}], \"tags\": [{\"key\": \"framework\", \"value\": \"keras\"}]}");
        as("olga")
                .contentType("text/plain")
                .body("Model: sequential\nTotal params: 101,770\n")
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/summary.txt")
                .then()
                .statusCode(200);
        // a long per-iteration history, 3,000 points in three batches, with one spike: thinned for its chart
        int iterations = 3000;
        for (int batch = 0; batch < iterations / 1000; batch++) {
            StringBuilder grad = new StringBuilder();
            for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
                grad.append(grad.length() == 0 ? "" : ", ")
                        .append("{\"key\": \"grad_norm\", \"value\": ")
                        .append(i == 1234 ? "99.5" : "1.0")
                        .append(", \"timestamp\": ")
                        .append(start + i)
                        .append(", \"step\": ")
                        .append(i)
                        .append("}");
            }
            mlflow("olga", "runs/log-batch", "{\"run_id\": \"" + run + "\", \"metrics\": [" + grad + "]}");
        }
        mlflow(
                "olga",
                "runs/update",
                "{\"run_id\": \"" + run + "\", \"status\": \"FINISHED\", \"end_time\": " + (start + 1000) + "}");
        long external = ((Number) as("olga")
                        .get("/api/runs?experiment=" + exp)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("find { it.source == 'external' }.id"))
                .longValue();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofMinutes(6))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(
                        () -> as("olga")
                                .get("/api/runs/" + trained)
                                .then()
                                .extract()
                                .<String>path("status"),
                        s -> s.equals("succeeded"));

        try (DashboardPages ui = new DashboardPages(platform.url())) {
            ui.open("login");
            ui.new Login().signIn("olga", PASSWORD);
            ui.wait.until(ExpectedConditions.textToBe(By.id("current-user"), "olga"));

            // the Runs page lists it with the trained run, marked external; the source filter keeps it alone
            DashboardPages.Runs runs = ui.new Runs();
            ui.wait.until(d -> runs.cells().contains("keras notebook"));
            assertThat(runs.cells()).contains("external", "trained", "dense", "succeeded", "succeeded · 2/2");
            assertThat(runs.size()).isEqualTo(2);
            try {
                runs.source("external");
                ui.wait.until(d -> runs.size() == 1);
                assertThat(runs.cells()).contains("keras notebook", "external");
                runs.source("all");
                ui.wait.until(d -> runs.size() == 2);
                runs.filter("notebook");
                ui.wait.until(d -> runs.size() == 1);
            } finally {
                ui.screenshot("runs-external");
            }

            // its page: name, status, MLflow run id, params and tags, a chart per metric over steps, its files
            DashboardPages.Run page = runs.open(external);
            ui.wait.until(d -> page.metricPoints("loss") == steps && page.metricPoints("accuracy") == steps);
            assertThat(page.metricCharts()).containsExactly("accuracy", "grad_norm", "loss");
            // the long one thinned on the server to what a chart draws, its spike kept
            ui.wait.until(d -> page.metricPoints("grad_norm") > 0);
            assertThat(page.metricPoints("grad_norm")).isBetween(100, 800);
            assertThat(ui.byCss("#run-metrics [data-metric='grad_norm']").getAttribute("data-total"))
                    .isEqualTo("3000");
            assertThat(page.metricMax("grad_norm")).isEqualTo(99.5);
            assertThat(ui.text("run-title")).isEqualTo("Run " + external + " · keras notebook · succeeded");
            assertThat(ui.text("run-facts")).contains("MLflow run id " + run);
            assertThat(ui.cells("run-params")).contains("optimizer", "adam", "learning_rate", "0.001");
            assertThat(ui.cells("run-tags")).contains("framework", "keras");
            org.openqa.selenium.WebElement file = ui.byCss("#run-files a.run-file");
            assertThat(file.getText()).isEqualTo("model/summary.txt");
            List<Object> fetched = ui.fetch(file);
            assertThat(fetched.get(0)).isEqualTo(200L);
            assertThat((String) fetched.get(2)).contains("Total params: 101,770");
            // none of a trained run's parts
            assertThat(ui.driver.findElements(By.cssSelector("#run-summary, #run-accuracy, #artifact-compare")))
                    .isEmpty();
            ui.fullScreenshot("run-external");

            // ticked with the trained run: one metric overlaid, Keras's loss beside Sweeplab's training loss
            DashboardPages.Runs compare = ui.new Runs();
            ui.wait.until(d -> compare.cells().contains("keras notebook"));
            compare.tick(trained).tick(external);
            ui.wait.until(d -> compare.overlayPoints() == 2 + steps);
            assertThat(compare.overlayLines())
                    .containsExactly("run " + trained + " · dense", "run " + external + " · keras notebook (loss)");
            compare.metric("trainAccuracy");
            ui.wait.until(d -> compare.overlayLines()
                    .equals(List.of(
                            "run " + trained + " · dense", "run " + external + " · keras notebook (accuracy)")));
            assertThat(compare.overlayPoints()).isEqualTo(2 + steps);
            assertThat(compare.latest())
                    .contains("run " + trained + " · dense", "run " + external + " · keras notebook", "0.9472");
            compare.metric("valLoss"); // the notebook logged no validation
            ui.wait.until(d -> compare.overlayPoints() == 2);
            assertThat(ui.text("runs-overlay-without"))
                    .isEqualTo("No valLoss in run " + external + " · keras notebook.");
            compare.metric("trainLoss");
            ui.wait.until(d -> compare.overlayPoints() == 2 + steps);
            ui.fullScreenshot("runs-compare");

            // the set the filter keeps, ticked at once
            ui.byId("runs-clear-selection").click();
            ui.wait.until(d -> ui.driver.findElements(By.id("runs-compare-hint")).stream()
                    .anyMatch(org.openqa.selenium.WebElement::isDisplayed));
            compare.filter("outside succeeded");
            ui.byId("runs-select-shown").click();
            ui.wait.until(d -> compare.overlayPoints() == 2 + steps);
            assertThat(compare.overlayLines()).hasSize(2);
        }
    }

    static List<String> cells(DashboardPages ui, String grid) {
        return ui.cells(grid);
    }
}
