package io.sweeplab.core.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * One plugin jar as checked on its own (descriptor, API range, bundled libraries, constructors, metadata): what it
 * holds, or, when refused, a single refused entry saying why. Whether it clashes with other jars is decided when a
 * {@link PluginRegistry} is assembled.
 *
 * @param path the jar's file
 * @param plugin the descriptor's id; the file name when there is no usable descriptor
 * @param version the descriptor's version; empty when there is no usable descriptor
 * @param sha256 the jar's SHA-256, lower-case hex
 * @param entries its extensions, or one refused entry
 */
public record PluginJar(Path path, String plugin, String version, String sha256, List<PluginEntry> entries) {

    public PluginJar {
        entries = List.copyOf(entries);
    }

    public boolean refused() {
        return entries.stream().anyMatch(e -> !e.usable());
    }

    /** Why it was refused; empty when it was not. */
    public String reason() {
        return entries.stream()
                .filter(e -> !e.usable())
                .map(PluginEntry::reason)
                .findFirst()
                .orElse("");
    }
}
