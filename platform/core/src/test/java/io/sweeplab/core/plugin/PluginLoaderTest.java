package io.sweeplab.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.plugin.PluginEntry.Source;
import io.sweeplab.core.plugin.PluginEntry.Status;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.PluginApi;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {

    @TempDir
    Path plugins;

    @TempDir
    Path builtinDir;

    private final PluginLoader loader = new PluginLoader(Duration.ofSeconds(2));

    /** A callback class whose behaviour is given by a body of its onEpochEnd and constructor. */
    static String callback(String pkg, String cls, String id, String ctorBody) {
        return """
                package %s;
                import io.sweeplab.plugin.api.*;
                public class %s implements Callback {
                    public %s() { %s }
                    public String id() { return "%s"; }
                    public String label() { return "Label of %s"; }
                    public String version() { return "2.1.0"; }
                    public ParamSchema params() {
                        return ParamSchema.of(ParamSpec.ofDouble("threshold", 0.5, 0, 10, "a threshold"));
                    }
                    public CallbackSession start(Params p) {
                        return new CallbackSession() {
                            public Decision onEpochEnd(EpochMetrics m) {
                                return m.trainLoss() < p.getDouble("threshold")
                                        ? Decision.stop("loss " + m.trainLoss() + " below " + p.getDouble("threshold") + " via " + %s.Helper.tag())
                                        : Decision.proceed();
                            }
                        };
                    }
                }
                """.formatted(pkg, cls, cls, ctorBody, id, id, pkg);
    }

    static String helper(String pkg, String tag) {
        return "package " + pkg + "; public class Helper { public static String tag() { return \"" + tag + "\"; } }";
    }

    static PluginJarBuilder goodPlugin(String jarName, String pluginId, String extId, String helperTag) {
        String pkg = "com.acme." + jarName.replace('-', '_');
        return PluginJarBuilder.create(jarName)
                .descriptor(pluginId, "2.1.0", "[1,2)")
                .source(pkg + ".Stop", callback(pkg, "Stop", extId, ""))
                .source(pkg + ".Helper", helper(pkg, helperTag))
                .service(Callback.class, pkg + ".Stop");
    }

    private PluginRegistry load() {
        return loader.load(getClass().getClassLoader(), plugins);
    }

    private static PluginEntry only(PluginRegistry registry, Source source) {
        List<PluginEntry> entries =
                registry.entries().stream().filter(e -> e.source() == source).toList();
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    @Test
    void loads_a_good_plugin_and_calls_it() {
        goodPlugin("good", "acme-stops", "acme-stop", "v1").build(plugins);

        PluginRegistry registry = load();

        PluginEntry entry = only(registry, Source.EXTERNAL);
        assertThat(entry.status()).isEqualTo(Status.LOADED);
        assertThat(entry.type()).isEqualTo(ExtensionType.CALLBACK);
        assertThat(entry.id()).isEqualTo("acme-stop");
        assertThat(entry.label()).isEqualTo("Label of acme-stop");
        assertThat(entry.version()).isEqualTo("2.1.0");
        assertThat(entry.plugin()).isEqualTo("acme-stops");
        assertThat(entry.params().specs()).extracting(s -> s.name()).containsExactly("threshold");
        assertThat(entry.extension().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);

        Callback cb = registry.extension(Callback.class, "acme-stop").orElseThrow();
        Params params = cb.params().validate(Map.of("threshold", 0.4)).params();
        CallbackSession session = cb.start(params);
        assertThat(session.onEpochEnd(new EpochMetrics(1, 0.5, 0.8, 0.6, 0.7)).stop())
                .isFalse();
        Decision stop = session.onEpochEnd(new EpochMetrics(2, 0.3, 0.9, 0.6, 0.7));
        assertThat(stop.stop()).isTrue();
        assertThat(stop.reason()).isEqualTo("loss 0.3 below 0.4 via v1");
    }

    @Test
    void each_plugin_has_its_own_class_loader_child_first() {
        goodPlugin("one", "plugin-one", "stop-one", "from one").build(plugins);
        // Same class names in both jars: each plugin must see its own Helper.
        PluginJarBuilder.create("two")
                .descriptor("plugin-two", "1.0", "[1,2)")
                .source("com.acme.one.Stop", callback("com.acme.one", "Stop", "stop-two", ""))
                .source("com.acme.one.Helper", helper("com.acme.one", "from two"))
                .service(Callback.class, "com.acme.one.Stop")
                .build(plugins);

        PluginRegistry registry = load();

        Callback one = registry.extension(Callback.class, "stop-one").orElseThrow();
        Callback two = registry.extension(Callback.class, "stop-two").orElseThrow();
        assertThat(one.getClass().getName()).isEqualTo(two.getClass().getName());
        assertThat(one.getClass().getClassLoader()).isNotSameAs(two.getClass().getClassLoader());
        EpochMetrics low = new EpochMetrics(1, 0.1, 1, 1, 1);
        assertThat(one.start(one.params().validate(Map.of()).params())
                        .onEpochEnd(low)
                        .reason())
                .endsWith("from one");
        assertThat(two.start(two.params().validate(Map.of()).params())
                        .onEpochEnd(low)
                        .reason())
                .endsWith("from two");
        // The API itself is shared with the platform, or the host could not use the extension at all.
        assertThat(one).isInstanceOf(Callback.class);
    }

    @Test
    void refuses_a_jar_without_descriptor() {
        PluginJarBuilder.create("nodesc")
                .source("com.acme.n.Stop", callback("com.acme.n", "Stop", "n-stop", ""))
                .source("com.acme.n.Helper", helper("com.acme.n", "x"))
                .service(Callback.class, "com.acme.n.Stop")
                .build(plugins);

        PluginEntry entry = only(load(), Source.EXTERNAL);
        assertThat(entry.status()).isEqualTo(Status.REFUSED);
        assertThat(entry.id()).isEqualTo("nodesc.jar");
        assertThat(entry.reason()).contains("no descriptor META-INF/sweeplab-plugin.properties");
        assertThat(entry.extension()).isNull();
    }

    @Test
    void refuses_a_malformed_descriptor_naming_every_problem() {
        goodPlugin("bad-desc", "x", "x-stop", "x")
                .descriptorText("id=Bad_Id\nrequires.api=[1,2\nauthor=me\n")
                .build(plugins);

        PluginEntry entry = only(load(), Source.EXTERNAL);
        assertThat(entry.status()).isEqualTo(Status.REFUSED);
        assertThat(entry.reason())
                .contains("unknown keys [author]")
                .contains("missing 'version'")
                .contains("id 'Bad_Id'")
                .contains("requires.api");
    }

    @Test
    void refuses_a_plugin_for_another_api_version() {
        goodPlugin("future", "future-plugin", "f-stop", "x")
                .descriptor("future-plugin", "3.0", "[2,3)")
                .build(plugins);

        PluginEntry entry = only(load(), Source.EXTERNAL);
        assertThat(entry.status()).isEqualTo(Status.REFUSED);
        assertThat(entry.id()).isEqualTo("future-plugin");
        assertThat(entry.reason())
                .isEqualTo("requires plugin API [2,3) but the platform provides " + PluginApi.VERSION);
    }

    @Test
    void refuses_a_throwing_constructor_and_keeps_loading_the_others() {
        goodPlugin("thrower", "thrower", "t-stop", "x")
                .source(
                        "com.acme.thrower.Stop",
                        callback(
                                "com.acme.thrower",
                                "Stop",
                                "t-stop",
                                "if (true) throw new IllegalStateException(\"boom in constructor\");"))
                .build(plugins);
        goodPlugin("zgood", "zgood", "z-stop", "z").build(plugins);

        PluginRegistry registry = load();
        PluginEntry refused = registry.entries().stream()
                .filter(e -> e.id().equals("thrower"))
                .findFirst()
                .orElseThrow();
        assertThat(refused.status()).isEqualTo(Status.REFUSED);
        assertThat(refused.reason()).contains("boom in constructor");
        assertThat(registry.extension(Callback.class, "z-stop")).isPresent();
    }

    @Test
    void refuses_a_hanging_constructor_within_the_limit() {
        goodPlugin("hanger", "hanger", "h-stop", "x")
                .source(
                        "com.acme.hanger.Stop",
                        callback(
                                "com.acme.hanger",
                                "Stop",
                                "h-stop",
                                "try { Thread.sleep(60_000); } catch (InterruptedException e) { }"))
                .build(plugins);

        long start = System.nanoTime();
        PluginEntry entry = only(load(), Source.EXTERNAL);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(entry.status()).isEqualTo(Status.REFUSED);
        assertThat(entry.reason()).contains("did not return within 2 s");
    }

    @Test
    void refuses_a_duplicate_extension_id_of_a_builtin_and_of_an_earlier_plugin() throws Exception {
        // The "built-in" class path of this test: a jar holding a callback with id "builtin-stop".
        goodPlugin("builtins", "builtins", "builtin-stop", "b").build(builtinDir);
        goodPlugin("a-first", "first", "shared-stop", "a").build(plugins);
        goodPlugin("b-second", "second", "shared-stop", "b").build(plugins);
        goodPlugin("c-clash", "clash", "builtin-stop", "c").build(plugins);

        try (URLClassLoader builtins = new URLClassLoader(
                new URL[] {builtinDir.resolve("builtins.jar").toUri().toURL()},
                getClass().getClassLoader())) {
            PluginRegistry registry = loader.load(builtins, plugins);

            assertThat(registry.find(ExtensionType.CALLBACK, "builtin-stop")
                            .orElseThrow()
                            .source())
                    .isEqualTo(Source.BUILTIN);
            assertThat(registry.find(ExtensionType.CALLBACK, "shared-stop")
                            .orElseThrow()
                            .plugin())
                    .isEqualTo("first");
            PluginEntry second = registry.entries().stream()
                    .filter(e -> e.id().equals("second"))
                    .findFirst()
                    .orElseThrow();
            assertThat(second.status()).isEqualTo(Status.REFUSED);
            assertThat(second.reason()).isEqualTo("duplicate id: callback 'shared-stop' is already provided by first");
            PluginEntry clash = registry.entries().stream()
                    .filter(e -> e.id().equals("clash"))
                    .findFirst()
                    .orElseThrow();
            assertThat(clash.reason())
                    .isEqualTo("duplicate id: callback 'builtin-stop' is already provided by builtin");
        }
    }

    @Test
    void refuses_a_plugin_bundling_platform_libraries() {
        goodPlugin("fat", "fat", "fat-stop", "x")
                .source("org.nd4j.linalg.Fake", "package org.nd4j.linalg; public class Fake {}")
                .build(plugins);

        PluginEntry entry = only(load(), Source.EXTERNAL);
        assertThat(entry.status()).isEqualTo(Status.REFUSED);
        assertThat(entry.reason()).startsWith("bundles org.nd4j, which the platform provides");
    }

    @Test
    void refuses_bad_metadata_and_a_jar_without_extensions() {
        goodPlugin("badmeta", "badmeta", "Not An Id", "x").build(plugins);
        PluginJarBuilder.create("empty").descriptor("empty", "1.0", "[1,2)").build(plugins);

        PluginRegistry registry = load();
        assertThat(registry.entries())
                .filteredOn(e -> e.id().equals("badmeta"))
                .singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("id 'Not An Id' must be lower-case"));
        assertThat(registry.entries())
                .filteredOn(e -> e.id().equals("empty"))
                .singleElement()
                .satisfies(e -> assertThat(e.reason()).startsWith("registers no extension"));
    }

    @Test
    void a_missing_plugins_directory_means_builtins_only() {
        PluginRegistry registry = loader.load(getClass().getClassLoader(), plugins.resolve("absent"));
        assertThat(registry.entries()).noneMatch(e -> e.source() == Source.EXTERNAL);
    }
}
