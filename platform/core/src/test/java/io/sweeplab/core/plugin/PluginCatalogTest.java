package io.sweeplab.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.plugin.PluginEntry.Status;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCatalogTest {

    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    private final PluginLoader loader = new PluginLoader(Duration.ofSeconds(2));

    /** A plugin jar with one callback {@code extId} whose label says the plugin version. */
    static PluginJarBuilder plugin(String jarName, String pluginId, String version, String extId) {
        String pkg = "com.cat." + jarName.replace('-', '_');
        return PluginJarBuilder.create(jarName)
                .descriptor(pluginId, version, "[1,2)")
                .source(pkg + ".Stop", """
                        package %s;
                        import io.sweeplab.plugin.api.*;
                        public class Stop implements Callback {
                            public String id() { return "%s"; }
                            public String label() { return "Stop of %s"; }
                            public String version() { return "%s"; }
                            public CallbackSession start(Params p) { return new CallbackSession() {}; }
                        }
                        """.formatted(pkg, extId, version, version))
                .service(Callback.class, pkg + ".Stop");
    }

    private PluginCatalog catalog() {
        return new PluginCatalog(loader, getClass().getClassLoader(), dir, List.of());
    }

    /** An upload as the platform receives it: a file in the directory not ending in .jar. */
    private Path upload(PluginJarBuilder jar) throws Exception {
        Path built = jar.build(elsewhere);
        Path part = dir.resolve(".upload-" + built.getFileName() + ".part");
        Files.createDirectories(dir);
        Files.move(built, part);
        return part;
    }

    private static String label(PluginRegistry r, String id) {
        return r.find(ExtensionType.CALLBACK, id).map(PluginEntry::label).orElse("none");
    }

    @Test
    void of_two_versions_of_a_plugin_the_newer_is_loaded_and_the_older_superseded() {
        plugin("a-old", "acme", "1.9", "acme-stop").build(dir);
        plugin("a-new", "acme", "1.10", "acme-stop").build(dir);

        PluginRegistry r = catalog().registry();

        assertThat(label(r, "acme-stop")).isEqualTo("Stop of 1.10");
        assertThat(r.entries())
                .filteredOn(e -> e.plugin().equals("acme"))
                .extracting(PluginEntry::pluginVersion, PluginEntry::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("1.10", Status.LOADED),
                        org.assertj.core.groups.Tuple.tuple("1.9", Status.SUPERSEDED));
        // a run launched with 1.9 still finds it
        assertThat(r.find(ExtensionType.CALLBACK, "acme-stop", "acme", "1.9").map(PluginEntry::label))
                .hasValue("Stop of 1.9");
        assertThat(r.jar("acme", "1.9").map(PluginEntry::sha256).orElseThrow()).hasSize(64);
    }

    @Test
    void an_uploaded_jar_is_checked_stored_and_used_at_once_and_a_snapshot_taken_before_keeps_its_version()
            throws Exception {
        plugin("a1", "acme", "1.0", "acme-stop").build(dir);
        PluginCatalog catalog = catalog();
        PluginRegistry before = catalog.registry();
        Extension v1 =
                before.find(ExtensionType.CALLBACK, "acme-stop").orElseThrow().extension();

        List<PluginEntry> installed = catalog.install(upload(plugin("a2", "acme", "2.0", "acme-stop")));

        assertThat(installed)
                .extracting(PluginEntry::id, PluginEntry::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme-stop", Status.LOADED));
        assertThat(dir.resolve("acme-2.0.jar")).exists();
        assertThat(label(catalog.registry(), "acme-stop")).isEqualTo("Stop of 2.0");
        assertThat(before.find(ExtensionType.CALLBACK, "acme-stop")
                        .orElseThrow()
                        .extension())
                .isSameAs(v1);
        // the old instance still works: its class loader was not closed
        assertThat(((Callback) v1).label()).isEqualTo("Stop of 1.0");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("a1.jar", "acme-2.0.jar");
    }

    @Test
    void an_uploaded_jar_is_stored_inside_the_directory_whatever_its_version_says() throws Exception {
        PluginCatalog catalog = catalog();

        catalog.install(upload(plugin("sneaky", "sneaky", "../../escaped", "sneaky-stop")));

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sneaky-.._.._escaped.jar");
        }
        assertThat(label(catalog.registry(), "sneaky-stop")).isEqualTo("Stop of ../../escaped");
    }

    @Test
    void a_refused_upload_says_why_and_leaves_nothing_behind() throws Exception {
        plugin("b1", "beta", "1.0", "beta-stop").build(dir);
        PluginCatalog catalog = catalog();

        assertThatThrownBy(() -> catalog.install(
                        upload(plugin("future", "future", "1.0", "future-stop").descriptor("future", "1.0", "[2,3)"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("requires plugin API [2,3) but the platform provides");
        Path notAJar = dir.resolve(".upload-x.part");
        Files.writeString(notAJar, "hello");
        assertThatThrownBy(() -> catalog.install(notAJar))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("plugin jar refused");
        assertThatThrownBy(() -> catalog.install(upload(plugin("thief", "thief", "1.0", "beta-stop"))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("plugin jar refused: duplicate id: callback 'beta-stop' is already provided by beta");
        assertThatThrownBy(() -> catalog.install(upload(plugin("b1-again", "beta", "1.0.0", "beta-stop"))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("duplicate plugin 'beta' version 1.0.0: already loaded from b1.jar");

        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("b1.jar");
        assertThat(catalog.registry().entries()).noneMatch(e -> e.status() == Status.REFUSED);
    }

    @Test
    void a_disabled_plugin_is_not_offered_to_new_runs_but_runs_with_it_go_on_and_a_restart_keeps_it_disabled() {
        plugin("c1", "gamma", "1.0", "gamma-stop").build(dir);
        PluginCatalog catalog = catalog();

        catalog.setDisabled("gamma", true);

        assertThat(catalog.registry().find(ExtensionType.CALLBACK, "gamma-stop"))
                .isEmpty();
        assertThat(catalog.registry().find(ExtensionType.CALLBACK, "gamma-stop", "gamma", "1.0"))
                .isPresent();
        assertThat(catalog().registry().entries())
                .filteredOn(e -> e.plugin().equals("gamma"))
                .extracting(PluginEntry::status)
                .containsExactly(Status.DISABLED);
        catalog.setDisabled("gamma", false);
        assertThat(catalog.registry().find(ExtensionType.CALLBACK, "gamma-stop"))
                .isPresent();
        assertThatThrownBy(() -> catalog.setDisabled("nobody", true)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.setDisabled("builtin", true)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void a_jar_dropped_into_or_deleted_from_the_directory_is_seen_at_the_next_rescan() throws Exception {
        PluginCatalog catalog = catalog();
        assertThat(catalog.rescan()).isFalse();

        Path jar = plugin("d1", "delta", "1.0", "delta-stop").build(dir);
        assertThat(catalog.rescan()).isTrue();
        assertThat(label(catalog.registry(), "delta-stop")).isEqualTo("Stop of 1.0");
        assertThat(catalog.rescan()).isFalse();

        Files.delete(jar);
        assertThat(catalog.rescan()).isTrue();
        assertThat(catalog.registry().find(ExtensionType.CALLBACK, "delta-stop"))
                .isEmpty();
    }

    @Test
    void removing_one_version_makes_the_other_active_and_removing_the_plugin_removes_all() {
        plugin("e1", "eps", "1.0", "eps-stop").build(dir);
        plugin("e2", "eps", "2.0", "eps-stop").build(dir);
        PluginCatalog catalog = catalog();

        assertThat(catalog.remove("eps", "2"))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("e2.jar");
        assertThat(label(catalog.registry(), "eps-stop")).isEqualTo("Stop of 1.0");
        assertThatThrownBy(() -> catalog.remove("eps", "3.0")).isInstanceOf(NotFoundException.class);
        catalog.remove("eps", null);
        assertThat(catalog.registry().entries()).noneMatch(e -> e.plugin().equals("eps"));
    }
}
