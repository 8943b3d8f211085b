package io.sweeplab.core.plugin;

import io.sweeplab.plugin.api.Extension;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The outcome of loading plugins: every entry, loaded or refused, and lookup of loaded extensions by id. */
public final class PluginRegistry {

    private static final Comparator<PluginEntry> ORDER = Comparator.comparing((PluginEntry e) ->
                    e.type() == null ? Integer.MAX_VALUE : e.type().ordinal())
            .thenComparing(PluginEntry::source)
            .thenComparing(PluginEntry::id);

    private final List<PluginEntry> entries;

    PluginRegistry(List<PluginEntry> entries) {
        this.entries = entries.stream().sorted(ORDER).toList();
    }

    /** Every entry: by type, built-in before external, then by id. */
    public List<PluginEntry> entries() {
        return entries;
    }

    /** The loaded entries of one type. */
    public List<PluginEntry> loaded(ExtensionType type) {
        return entries.stream().filter(e -> e.loaded() && e.type() == type).toList();
    }

    /** The loaded entry of this type and id. */
    public Optional<PluginEntry> find(ExtensionType type, String id) {
        return entries.stream()
                .filter(e -> e.loaded() && e.type() == type && e.id().equals(id))
                .findFirst();
    }

    /** The loaded extension of this type and id, typed. */
    public <T extends Extension> Optional<T> extension(Class<T> api, String id) {
        return entries.stream()
                .filter(e -> e.loaded() && api.isInstance(e.extension()) && e.id().equals(id))
                .map(e -> api.cast(e.extension()))
                .findFirst();
    }
}
