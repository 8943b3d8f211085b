package io.sweeplab.core.plugin;

import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ParamSchema;
import java.util.Objects;

/**
 * One extension as the host knows it, loaded or refused. The metadata is read from the plugin once, when it
 * loads, so listing plugins never calls plugin code.
 *
 * @param id the extension's id; for a refused jar without a usable descriptor, the jar's file name
 * @param type the extension point; null for a jar refused before its extensions were known
 * @param version the extension's version, or the descriptor's for a refused jar (may be empty)
 * @param label the human label; the jar's file name for a refused jar
 * @param description what it does
 * @param params its parameter schema (empty for a refused entry)
 * @param plugin the id of the plugin jar it came from ({@code builtin} for the classpath)
 * @param location where it came from: {@code classpath} or the jar's path
 * @param source built in or external
 * @param status loaded or refused
 * @param reason why it was refused; empty when loaded
 * @param extension the instance; null when refused
 */
public record PluginEntry(
        String id,
        ExtensionType type,
        String version,
        String label,
        String description,
        ParamSchema params,
        String plugin,
        String location,
        Source source,
        Status status,
        String reason,
        Extension extension) {

    public enum Source {
        BUILTIN,
        EXTERNAL
    }

    public enum Status {
        LOADED,
        REFUSED
    }

    public PluginEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        version = version == null ? "" : version;
        label = label == null ? id : label;
        description = description == null ? "" : description;
        params = params == null ? ParamSchema.empty() : params;
        reason = reason == null ? "" : reason;
        if ((status == Status.LOADED) != (extension != null)) {
            throw new IllegalArgumentException("a loaded entry has an extension, a refused one has none");
        }
    }

    static PluginEntry refused(
            String id, ExtensionType type, String version, String plugin, String location, Source source, String why) {
        return new PluginEntry(
                id, type, version, id, "", ParamSchema.empty(), plugin, location, source, Status.REFUSED, why, null);
    }

    public boolean loaded() {
        return status == Status.LOADED;
    }
}
