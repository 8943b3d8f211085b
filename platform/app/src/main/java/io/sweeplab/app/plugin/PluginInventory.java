package io.sweeplab.app.plugin;

import io.quarkus.runtime.StartupEvent;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Plugins change when jars are added to or removed from the plugins directory, between starts or while the platform
 * runs. At each start, and each time the directory is seen to change, this compares what is loaded (or refused,
 * or disabled) with what was before and records each difference in the audit log as {@code system}:
 * {@code plugin-add}, {@code plugin-remove}, {@code plugin-change} (another version, or another status). Changes
 * an administrator made through the API are audited as theirs ({@link io.sweeplab.core.plugin.PluginService}) and
 * only recorded here.
 */
@ApplicationScoped
public class PluginInventory {

    record Item(String version, String status, String source, String location, String reason) {}

    private final Jdbc jdbc;
    private final AuditLog audit;

    public PluginInventory(Jdbc jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    void onStart(@Observes StartupEvent event, PluginCatalog catalog) {
        record(catalog.registry(), true);
    }

    /** Records the plugins as they are now; with {@code audit}, each difference from before too. */
    @Transactional
    public void record(PluginRegistry registry, boolean audit) {
        // one writer at a time: the directory's rescan and an administrator's upload may meet here
        jdbc.update("LOCK TABLE plugin_inventory IN EXCLUSIVE MODE");
        Map<String, Item> now = new LinkedHashMap<>();
        for (PluginEntry e : registry.entries()) {
            if (e.status() == PluginEntry.Status.SUPERSEDED) {
                continue; // the newer version stands for its plugin
            }
            String type = e.type() == null ? "plugin" : e.type().jsonName();
            now.put(
                    type + " " + e.id(),
                    new Item(
                            e.version(),
                            e.status().name().toLowerCase(Locale.ROOT),
                            e.source().name().toLowerCase(Locale.ROOT),
                            e.location(),
                            e.reason()));
        }
        Map<String, Item> before = new LinkedHashMap<>();
        jdbc.query(
                        "SELECT key, version, status, source, location, reason FROM plugin_inventory",
                        rs -> Map.entry(
                                rs.getString(1),
                                new Item(
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getString(5),
                                        rs.getString(6))))
                .forEach(e -> before.put(e.getKey(), e.getValue()));
        if (audit) {
            now.forEach((key, item) -> {
                Item old = before.get(key);
                if (old == null) {
                    this.audit.record("system", "plugin-add", null, key, details(item, null));
                } else if (!old.version().equals(item.version())
                        || !old.status().equals(item.status())) {
                    this.audit.record("system", "plugin-change", null, key, details(item, old));
                }
            });
            before.keySet().stream()
                    .filter(k -> !now.containsKey(k))
                    .forEach(k -> this.audit.record("system", "plugin-remove", null, k, details(before.get(k), null)));
        }
        jdbc.update("DELETE FROM plugin_inventory");
        now.forEach((key, item) -> jdbc.update(
                "INSERT INTO plugin_inventory (key, version, status, source, location, reason) VALUES (?, ?, ?, ?, ?, ?)",
                key,
                item.version(),
                item.status(),
                item.source(),
                item.location(),
                item.reason()));
    }

    private static Map<String, Object> details(Item item, Item old) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", item.version());
        d.put("status", item.status());
        d.put("source", item.source());
        if (item.location() != null) {
            d.put("location", item.location());
        }
        if (!item.reason().isEmpty()) {
            d.put("reason", item.reason());
        }
        if (old != null) {
            d.put("was", old.version() + " (" + old.status() + ")");
        }
        return d;
    }
}
