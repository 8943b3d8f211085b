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
 * @param status loaded (what new runs use), superseded (a newer version of its plugin is loaded), disabled (an
 *     administrator took its plugin out of use) or refused
 * @param reason why it was refused; empty otherwise
 * @param extension the instance; null when refused
 * @param pluginVersion the version of the plugin jar it came from (its descriptor's); empty for a built-in
 * @param sha256 the SHA-256 of that jar, lower-case hex; empty for a built-in
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
        Extension extension,
        String pluginVersion,
        String sha256) {

    public enum Source {
        BUILTIN,
        EXTERNAL
    }

    public enum Status {
        LOADED,
        SUPERSEDED,
        DISABLED,
        REFUSED;

        /** The lower-case name used in JSON. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
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
        pluginVersion = pluginVersion == null ? "" : pluginVersion;
        sha256 = sha256 == null ? "" : sha256;
        if ((status == Status.REFUSED) == (extension != null)) {
            throw new IllegalArgumentException("a refused entry has no extension, every other one has one");
        }
    }

    static PluginEntry refused(
            String id, ExtensionType type, String version, String plugin, String location, Source source, String why) {
        return new PluginEntry(
                id,
                type,
                version,
                id,
                "",
                ParamSchema.empty(),
                plugin,
                location,
                source,
                Status.REFUSED,
                why,
                null,
                version,
                "");
    }

    /** Whether new runs may use it. */
    public boolean loaded() {
        return status == Status.LOADED;
    }

    /** Whether it can run: loaded, superseded or disabled (runs that started with it keep it). */
    public boolean usable() {
        return extension != null;
    }

    PluginEntry withStatus(Status s, String why) {
        return new PluginEntry(
                id,
                type,
                version,
                label,
                description,
                params,
                plugin,
                location,
                source,
                s,
                why,
                s == Status.REFUSED ? null : extension,
                pluginVersion,
                sha256);
    }
}
