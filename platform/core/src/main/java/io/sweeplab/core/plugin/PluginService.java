package io.sweeplab.core.plugin;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.PayloadTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What administrators do to plugins while the platform runs: install (or upgrade) a jar, disable or enable a
 * plugin, remove one; each change is audited ({@code plugin-upload}, {@code plugin-upload-refused},
 * {@code plugin-disable}, {@code plugin-enable}, {@code plugin-remove}) and takes effect for new runs at once.
 */
public final class PluginService {

    private final PluginCatalog catalog;
    private final AuditLog audit;
    private final Consumer<PluginRegistry> changed;
    private final long maxJarBytes;

    /**
     * @param changed told of the new plugins after each change (the platform's inventory)
     * @param maxJarBytes the largest jar accepted
     */
    public PluginService(PluginCatalog catalog, AuditLog audit, Consumer<PluginRegistry> changed, long maxJarBytes) {
        this.catalog = catalog;
        this.audit = audit;
        this.changed = changed;
        this.maxJarBytes = maxJarBytes;
    }

    public PluginRegistry registry() {
        return catalog.registry();
    }

    public long maxJarBytes() {
        return maxJarBytes;
    }

    /**
     * Installs the jar read from {@code body}, at most {@link #maxJarBytes()} of it.
     *
     * @return the installed extensions
     * @throws PayloadTooLargeException for a larger body
     */
    public List<PluginEntry> install(Caller caller, InputStream body) {
        caller.requireAdmin();
        Path upload = catalog.directory().resolve(".upload-" + UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(catalog.directory());
            try (OutputStream out = Files.newOutputStream(upload)) {
                byte[] buf = new byte[65536];
                long total = 0;
                for (int n; (n = body.read(buf)) > 0; ) {
                    total += n;
                    if (total > maxJarBytes) {
                        throw new PayloadTooLargeException(
                                "body",
                                "a plugin jar may be at most " + (maxJarBytes >> 20)
                                        + " MB (sweeplab.plugins.max-jar-mb)");
                    }
                    out.write(buf, 0, n);
                }
            }
            List<PluginEntry> installed;
            try {
                installed = catalog.install(upload);
            } catch (RuntimeException e) {
                audit.record(
                        caller.name(),
                        "plugin-upload-refused",
                        null,
                        "plugin jar",
                        Map.of("reason", String.valueOf(e.getMessage())));
                throw e;
            }
            PluginEntry first = installed.get(0);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("version", first.pluginVersion());
            details.put("sha256", first.sha256());
            details.put("status", first.status().jsonName());
            details.put(
                    "extensions",
                    installed.stream()
                            .map(e -> e.type().jsonName() + " " + e.id() + " " + e.version())
                            .toList());
            audit.record(caller.name(), "plugin-upload", null, "plugin " + first.plugin(), details);
            changed.accept(catalog.registry());
            return installed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(upload);
            } catch (IOException e) {
                // the catalog moved or deleted it already
            }
        }
    }

    /** Disables or enables a plugin for new runs; returns its entries as they are now. */
    public List<PluginEntry> setDisabled(Caller caller, String plugin, boolean disabled) {
        caller.requireAdmin();
        List<PluginEntry> now = catalog.setDisabled(plugin, disabled);
        audit.record(caller.name(), disabled ? "plugin-disable" : "plugin-enable", null, "plugin " + plugin, Map.of());
        changed.accept(catalog.registry());
        return now;
    }

    /** Removes every version of a plugin, or one ({@code version} null: all). */
    public void remove(Caller caller, String plugin, String version) {
        caller.requireAdmin();
        List<Path> files = catalog.remove(plugin, version);
        Map<String, Object> details = new LinkedHashMap<>();
        if (version != null) {
            details.put("version", version);
        }
        details.put("files", files.stream().map(f -> f.getFileName().toString()).toList());
        audit.record(caller.name(), "plugin-remove", null, "plugin " + plugin, details);
        changed.accept(catalog.registry());
    }
}
