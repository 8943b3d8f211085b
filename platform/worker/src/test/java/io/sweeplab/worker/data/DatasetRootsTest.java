package io.sweeplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run names the directory its dataset is read from; the worker lets it read only inside its dataset roots. */
class DatasetRootsTest {

    @TempDir
    Path home;

    @Test
    void by_default_runs_read_the_workers_datasets_directory_and_debians_datasets() throws Exception {
        Path root = home.resolve("datasets");
        Path leaves = Files.createDirectories(root.resolve("leaves"));
        DatasetCache cache = new DatasetCache((io.sweeplab.core.plugin.PluginRegistry) null, root, Map.of());
        assertThat(cache.allowed(leaves.toString())).isEqualTo(leaves.toRealPath());
        assertThat(cache.allowed("/usr/share/datasets/fashion-mnist")).startsWith(Path.of("/usr/share/datasets"));
        assertThatThrownBy(() -> cache.allowed(home.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SWL-DATA-010")
                .hasMessageContaining("sweeplab.dataset.roots");
        assertThatThrownBy(() -> cache.allowed("/etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dot_dots_and_symbolic_links_do_not_lead_out() throws Exception {
        Path root = Files.createDirectories(home.resolve("datasets"));
        Path secret = Files.createDirectories(home.resolve("secret"));
        Files.createSymbolicLink(root.resolve("link"), secret);
        DatasetCache cache = new DatasetCache((io.sweeplab.core.plugin.PluginRegistry) null, root, Map.of());
        assertThatThrownBy(() -> cache.allowed(root + "/../secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.allowed(root.resolve("link").toString()))
                .isInstanceOf(IllegalArgumentException.class);
        // a root's name as a prefix of another directory's is not inside it
        Path sibling = Files.createDirectories(home.resolve("datasets-other"));
        assertThatThrownBy(() -> cache.allowed(sibling.toString())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_roots_setting_replaces_the_defaults() throws Exception {
        Path a = Files.createDirectories(home.resolve("a"));
        Path b = Files.createDirectories(home.resolve("b"));
        DatasetCache cache = new DatasetCache(
                (io.sweeplab.core.plugin.PluginRegistry) null,
                home.resolve("datasets"),
                Map.of("roots", a + File.pathSeparator + " " + b));
        assertThat(cache.allowed(a.resolve("x").toString()))
                .isEqualTo(a.toRealPath().resolve("x"));
        assertThat(cache.allowed(b.toString())).isEqualTo(b.toRealPath());
        assertThatThrownBy(() -> cache.allowed(home.resolve("datasets").toString()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
