package io.sweeplab.core.run;

import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;

/**
 * Provenance of one extension a run uses, fixed when the run is accepted: a worker trains the run with exactly this
 * plugin version (fetching the jar by its checksum when it lacks it), however the platform's plugins change later.
 *
 * @param type the extension point, for example {@code architecture}
 * @param id the extension's id
 * @param version the extension's own version
 * @param plugin the plugin it came from, {@code builtin} for the platform's own
 * @param pluginVersion the plugin jar's version; null for a built-in
 * @param sha256 the plugin jar's SHA-256; null for a built-in
 */
public record ExtensionVersion(
        String type, String id, String version, String plugin, String pluginVersion, String sha256) {

    public static ExtensionVersion of(PluginEntry e) {
        boolean builtin = e.source() == PluginEntry.Source.BUILTIN;
        return new ExtensionVersion(
                e.type().jsonName(),
                e.id(),
                e.version(),
                e.plugin(),
                builtin ? null : e.pluginVersion(),
                builtin ? null : e.sha256());
    }

    public ExtensionType extensionType() {
        return ExtensionType.fromJsonName(type)
                .orElseThrow(() -> new IllegalStateException("no extension type " + type));
    }

    /** Whether it comes from a plugin jar, which a worker may have to fetch. */
    public boolean external() {
        return sha256 != null;
    }
}
