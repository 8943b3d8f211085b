package io.sweeplab.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sweeplab.app.db.EmbeddedPostgresServer;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the REST tests run against: a throw-away PostgreSQL server given to the app by JDBC URL (the external-URL
 * mode), and a plugins directory holding fixture jars built from source: one good, three bad, and architectures that
 * validation refuses.
 */
public class TestPlatform implements QuarkusTestResourceLifecycleManager {

    /** The first administrator's password in tests; tests call the API as that user unless they say otherwise. */
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    /** Creates a team (as the administrator) and an experiment in it; returns the experiment's id. */
    public static long experiment(String teamSlug, String teamName, String experimentName) {
        io.restassured.RestAssured.given()
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"slug\": \"" + teamSlug + "\", \"name\": \"" + teamName + "\"}")
                .post("/api/teams");
        return ((Number) io.restassured.RestAssured.given()
                        .contentType(io.restassured.http.ContentType.JSON)
                        .body("{\"name\": \"" + experimentName + "\"}")
                        .post("/api/teams/" + teamSlug + "/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    /** A remote worker registered straight in the registry, for tests that drive the job queue by hand; its id. */
    public static String registerTestWorker(io.sweeplab.core.queue.WorkerRegistry registry) {
        return registry.registerRemote(
                        io.sweeplab.core.queue.WorkerInfo.announce(
                                null, "test", "remote", "cpu", "cpu: test", 1, null, null, 1),
                        new io.sweeplab.core.queue.WorkerCredential("configured", "configured", null))
                .worker()
                .id();
    }

    /** The worker token from configuration in tests. */
    public static final String WORKER_TOKEN = "test-worker-token-of-32-characters";

    private EmbeddedPostgresServer postgres;

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("sweeplab-test");
            postgres = EmbeddedPostgresServer.start(root.resolve("pg"), 0);
            Path plugins = root.resolve("plugins");
            buildPlugins(plugins);
            io.restassured.RestAssured.authentication =
                    io.restassured.RestAssured.preemptive().basic("admin", ADMIN_PASSWORD);
            Map<String, String> config = new java.util.HashMap<>(Map.of(
                    "quarkus.datasource.jdbc.url",
                    postgres.jdbcUrl(),
                    "quarkus.datasource.username",
                    postgres.user(),
                    "quarkus.datasource.password",
                    postgres.password(),
                    "sweeplab.home",
                    root.toString(),
                    "sweeplab.plugins.dir",
                    plugins.toString(),
                    "sweeplab.plugins.call-timeout",
                    "3s",
                    "sweeplab.dataset.download",
                    "false",
                    "sweeplab.queue.lease",
                    "3s",
                    "sweeplab.worker.cancel-poll",
                    "5s",
                    "sweeplab.worker.token",
                    TestPlatform.WORKER_TOKEN));
            config.put("sweeplab.admin.password", ADMIN_PASSWORD);
            config.put("sweeplab.worker.max-checkpoint-mb", "16"); // small enough to test the limit
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static final String STOP = """
            package com.acme;
            import io.sweeplab.plugin.api.*;
            public class PatienceStop implements Callback {
                public String id() { return "acme-patience"; }
                public String label() { return "Acme patience"; }
                public String version() { return "0.3.1"; }
                public ParamSchema params() {
                    return ParamSchema.of(ParamSpec.ofInt("epochs", 3, 1, 50, "epochs to wait"));
                }
                public CallbackSession start(Params p) { return new CallbackSession() {}; }
            }
            """;

    /** Architectures that a worker would refuse: a graph, and one that cannot build odd widths. */
    static final String NETS = """
            package com.acme.nets;
            import io.sweeplab.plugin.api.*;
            import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
            import org.deeplearning4j.nn.conf.inputs.InputType;
            import org.deeplearning4j.nn.conf.layers.*;
            import org.nd4j.linalg.activations.Activation;
            import org.nd4j.linalg.lossfunctions.LossFunctions;
            public class Nets {
                static OutputLayer out(BuildContext c) {
                    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .nOut(c.numClasses()).activation(Activation.SOFTMAX).build();
                }
                public static class Graph implements Architecture {
                    public String id() { return "acme-graph"; }
                    public String label() { return "Acme graph"; }
                    public String version() { return "1.0"; }
                    public ModelConfiguration build(Params p, BuildContext c) {
                        return ModelConfiguration.of(new NeuralNetConfiguration.Builder().graphBuilder()
                                .addInputs("in")
                                .addLayer("hidden", new DenseLayer.Builder().nOut(8).build(), "in")
                                .addLayer("out", out(c), "hidden")
                                .setOutputs("out")
                                .setInputTypes(InputType.convolutionalFlat(c.height(), c.width(), c.channels()))
                                .build());
                    }
                }
                public static class Picky implements Architecture {
                    public String id() { return "acme-picky"; }
                    public String label() { return "Acme picky"; }
                    public String version() { return "1.0"; }
                    public ParamSchema params() { return ParamSchema.of(ParamSpec.ofInt("width", 8, 1, 64, "units")); }
                    public ModelConfiguration build(Params p, BuildContext c) {
                        if (p.getInt("width") % 2 != 0) {
                            throw new IllegalArgumentException("width must be even");
                        }
                        return ModelConfiguration.of(new NeuralNetConfiguration.Builder().list()
                                .layer(new DenseLayer.Builder().nOut(p.getInt("width")).build())
                                .layer(out(c))
                                .setInputType(InputType.convolutionalFlat(c.height(), c.width(), c.channels()))
                                .build());
                    }
                }
            }
            """;

    static void buildPlugins(Path dir) {
        PluginJarBuilder.create("acme-good")
                .descriptor("acme", "0.3.1", "[1,2)")
                .source("com.acme.PatienceStop", STOP)
                .service(Callback.class, "com.acme.PatienceStop")
                .build(dir);
        PluginJarBuilder.create("acme-future")
                .descriptor("acme-future", "9.0", "[2,3)")
                .source(
                        "com.future.PatienceStop",
                        STOP.replace("package com.acme;", "package com.future;")
                                .replace("acme-patience", "future-patience"))
                .service(Callback.class, "com.future.PatienceStop")
                .build(dir);
        PluginJarBuilder.create("acme-broken")
                .descriptor("acme-broken", "1.0", "[1,2)")
                .source("com.broken.Net", """
                        package com.broken;
                        import io.sweeplab.plugin.api.*;
                        public class Net implements Architecture {
                            public Net() { throw new IllegalStateException("cannot find my weights"); }
                            public String id() { return "broken"; }
                            public String label() { return "Broken"; }
                            public String version() { return "1"; }
                            public ModelConfiguration build(Params p, BuildContext c) { return null; }
                        }
                        """)
                .service(Architecture.class, "com.broken.Net")
                .build(dir);
        PluginJarBuilder.create("acme-nets")
                .descriptor("acme-nets", "1.0", "[1,2)")
                .source("com.acme.nets.Nets", NETS)
                .service(Architecture.class, "com.acme.nets.Nets$Graph", "com.acme.nets.Nets$Picky")
                .build(dir);
        PluginJarBuilder.create("no-descriptor")
                .source("com.nodesc.PatienceStop", STOP.replace("package com.acme;", "package com.nodesc;"))
                .service(Callback.class, "com.nodesc.PatienceStop")
                .build(dir);
    }
}
