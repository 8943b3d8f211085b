package io.sweeplab.core.plugin;

import io.sweeplab.core.plugin.PluginEntry.Source;
import io.sweeplab.core.plugin.PluginEntry.Status;
import io.sweeplab.plugin.api.Extension;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One snapshot of the plugins: every entry, loaded, superseded, disabled or refused, and lookup of extensions by
 * id. It never changes; {@link PluginCatalog} swaps in a new one when plugins are installed, upgraded or removed,
 * so a caller that takes one snapshot sees one consistent set.
 */
public final class PluginRegistry {

    private static final System.Logger LOG = System.getLogger(PluginRegistry.class.getName());

    private static final Comparator<PluginEntry> ORDER = Comparator.comparing((PluginEntry e) ->
                    e.type() == null ? Integer.MAX_VALUE : e.type().ordinal())
            .thenComparing(PluginEntry::source)
            .thenComparing(PluginEntry::id)
            .thenComparing(PluginEntry::status);

    /** Newest first; a version that is not numeric sorts below every numeric one, then by its text. */
    static final Comparator<String> NEWEST_FIRST = Comparator.<String, Version>comparing(
                    PluginRegistry::numeric, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Comparator.naturalOrder())
            .reversed();

    private final List<PluginEntry> entries;

    PluginRegistry(List<PluginEntry> entries) {
        this.entries = entries.stream().sorted(ORDER).toList();
    }

    /**
     * Puts built-in extensions and checked jars together: of two versions of one plugin the newer is loaded and
     * the older superseded; a second jar of the same plugin and version, or a jar providing an extension id that
     * another plugin (or the platform) provides, is refused whole; the newest version of a disabled plugin is
     * disabled.
     */
    static PluginRegistry assemble(List<PluginEntry> builtins, List<PluginJar> jars, Set<String> disabled) {
        List<PluginEntry> out = new ArrayList<>(builtins);
        Map<String, String> owners = new HashMap<>();
        builtins.stream().filter(PluginEntry::usable).forEach(e -> owners.put(key(e), PluginLoader.BUILTIN));
        Map<String, PluginJar> versions = new HashMap<>();
        Set<String> active = new java.util.HashSet<>();
        List<PluginJar> ordered = jars.stream()
                .sorted(Comparator.comparing(PluginJar::plugin)
                        .thenComparing(PluginJar::version, NEWEST_FIRST)
                        .thenComparing(j -> j.path().getFileName().toString()))
                .toList();
        for (PluginJar jar : ordered) {
            if (jar.refused()) {
                out.addAll(jar.entries());
                continue;
            }
            String why = null;
            PluginJar same = versions.get(jar.plugin() + " " + canonical(jar.version()));
            if (same != null) {
                why = "duplicate plugin '" + jar.plugin() + "' version " + jar.version() + ": already loaded from "
                        + same.path().getFileName();
            } else {
                for (PluginEntry e : jar.entries()) {
                    String owner = owners.get(key(e));
                    if (owner != null && !owner.equals(jar.plugin())) {
                        why = "duplicate id: " + e.type().jsonName() + " '" + e.id() + "' is already provided by "
                                + owner;
                        break;
                    }
                }
            }
            if (why != null) {
                out.add(PluginLoader.refuse(new PluginEntry(
                        jar.plugin(),
                        null,
                        jar.version(),
                        jar.plugin(),
                        "",
                        null,
                        jar.plugin(),
                        jar.path().toAbsolutePath().toString(),
                        Source.EXTERNAL,
                        Status.REFUSED,
                        why,
                        null,
                        jar.version(),
                        jar.sha256())));
                continue;
            }
            versions.put(jar.plugin() + " " + canonical(jar.version()), jar);
            jar.entries().forEach(e -> owners.put(key(e), jar.plugin()));
            Status status = !active.add(jar.plugin())
                    ? Status.SUPERSEDED
                    : disabled.contains(jar.plugin()) ? Status.DISABLED : Status.LOADED;
            String reason = status == Status.SUPERSEDED
                    ? "superseded by version "
                            + versions.values().stream()
                                    .filter(j -> j.plugin().equals(jar.plugin()))
                                    .map(PluginJar::version)
                                    .min(NEWEST_FIRST)
                                    .orElse("?")
                    : status == Status.DISABLED ? "disabled by an administrator" : null;
            jar.entries().forEach(e -> out.add(e.withStatus(status, reason)));
        }
        PluginRegistry registry = new PluginRegistry(out);
        long loaded = registry.entries().stream().filter(PluginEntry::loaded).count();
        LOG.log(Level.INFO, "SWL-PLUGIN-000 {0} extensions loaded, {1} not", loaded, out.size() - loaded);
        return registry;
    }

    private static String key(PluginEntry e) {
        return e.type().jsonName() + ":" + e.id();
    }

    private static Version numeric(String v) {
        try {
            return Version.parse(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The same version written alike: 1.0 and 1.0.0 are one version. */
    static String canonical(String v) {
        Version n = numeric(v);
        return n == null ? v : n.toString().replaceAll("(\\.0)+$", "");
    }

    /** Every entry: by type, built-in before external, then by id. */
    public List<PluginEntry> entries() {
        return entries;
    }

    /** The loaded entries of one type: what new runs may use. */
    public List<PluginEntry> loaded(ExtensionType type) {
        return entries.stream().filter(e -> e.loaded() && e.type() == type).toList();
    }

    /** The loaded entry of this type and id: the one a new run uses. */
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

    /**
     * The entry of this type and id from exactly this plugin and version, loaded, superseded or disabled: what a
     * run launched with it trains with. A built-in one matches by plugin alone (built-ins change with the platform).
     */
    public Optional<PluginEntry> find(ExtensionType type, String id, String plugin, String pluginVersion) {
        return entries.stream()
                .filter(e -> e.usable()
                        && e.type() == type
                        && e.id().equals(id)
                        && e.plugin().equals(plugin))
                .filter(e -> e.source() == Source.BUILTIN
                        || canonical(e.pluginVersion()).equals(canonical(pluginVersion)))
                .findFirst();
    }

    /** An entry of this plugin jar (loaded, superseded or disabled), to find its file and checksum. */
    public Optional<PluginEntry> jar(String plugin, String pluginVersion) {
        return entries.stream()
                .filter(e -> e.usable()
                        && e.source() == Source.EXTERNAL
                        && e.plugin().equals(plugin))
                .filter(e -> canonical(e.pluginVersion()).equals(canonical(pluginVersion)))
                .findFirst();
    }
}
