package io.sweeplab.core.plugin;

import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live plugins: a {@link PluginRegistry} snapshot swapped atomically whenever a jar is installed, dropped into
 * or removed from the plugins directory, or a plugin is disabled or enabled. Callers take {@link #registry()} once
 * per piece of work. Nothing here closes a class loader: a run that started with an extension keeps its instance
 * (and its class loader) for as long as it trains, and a loader nobody uses any more is collected.
 *
 * <p>The directory is the truth: installing writes {@code <plugin>-<version>.jar} there, removing deletes it, and
 * the disabled plugins are listed one id a line in {@value #DISABLED_FILE}, so a restart finds the same plugins.
 */
public final class PluginCatalog {

    /** The file in the plugins directory naming the disabled plugins, one id a line. */
    public static final String DISABLED_FILE = "disabled-plugins.txt";

    private static final System.Logger LOG = System.getLogger(PluginCatalog.class.getName());

    private final PluginLoader loader;
    private final ClassLoader platform;
    private final List<PluginEntry> builtins;
    private final Path directory;
    private final List<Path> readOnly;
    private final Map<Path, Known> known = new HashMap<>();
    private Set<String> disabled = Set.of();
    private volatile PluginRegistry registry;

    private record Known(long size, FileTime modified, PluginJar jar) {}

    /**
     * @param platform the class loader of the built-in plugins and the parent of every plugin's
     * @param directory where jars are installed and found; may be absent (created on the first install)
     * @param readOnly further directories whose jars are loaded too, never written
     */
    public PluginCatalog(PluginLoader loader, ClassLoader platform, Path directory, List<Path> readOnly) {
        this.loader = loader;
        this.platform = platform;
        this.builtins = loader.builtins(platform);
        this.directory = directory.toAbsolutePath().normalize();
        this.readOnly = List.copyOf(readOnly);
        if (!Files.isDirectory(this.directory)) {
            LOG.log(Level.INFO, "SWL-PLUGIN-002 no plugins directory at {0} yet; only built-in plugins", directory);
        }
        rescan();
    }

    /** The plugins now. */
    public PluginRegistry registry() {
        return registry;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Looks at the directories again: loads jars that appeared or changed (by size and time), forgets those that
     * went, rereads the disabled list. A jar half-copied when seen is refused, and loaded once it is complete.
     *
     * @return whether anything changed
     */
    public synchronized boolean rescan() {
        boolean changed = registry == null;
        List<Path> present = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            present.addAll(PluginLoader.jarsIn(directory));
        }
        readOnly.stream().filter(Files::isDirectory).forEach(d -> present.addAll(PluginLoader.jarsIn(d)));
        changed |= known.keySet().retainAll(Set.copyOf(present));
        for (Path jar : present) {
            long size;
            FileTime modified;
            try {
                size = Files.size(jar);
                modified = Files.getLastModifiedTime(jar);
            } catch (IOException e) {
                continue; // gone while we looked
            }
            Known k = known.get(jar);
            if (k == null || k.size() != size || !k.modified().equals(modified)) {
                known.put(jar, new Known(size, modified, loader.jar(jar, platform)));
                changed = true;
            }
        }
        Set<String> nowDisabled = readDisabled();
        changed |= !nowDisabled.equals(disabled);
        disabled = nowDisabled;
        if (changed) {
            registry = PluginRegistry.assemble(builtins, jars(), disabled);
        }
        return changed;
    }

    private List<PluginJar> jars() {
        return known.values().stream().map(Known::jar).toList();
    }

    /**
     * Installs an uploaded jar: checks it as the directory's jars are checked, and against the plugins there; stores
     * it as {@code <plugin>-<version>.jar}; new runs use it at once.
     *
     * @param upload the jar, a file in {@link #directory()} not ending in {@code .jar}; moved or deleted
     * @return the installed jar's entries
     * @throws InvalidInputException (field {@code body}) for a jar refused on its own: malformed, no descriptor,
     *     another API range, bundled platform libraries, a failing constructor, bad metadata
     * @throws ConflictException (field {@code body}) for a jar that clashes: the same plugin and version already
     *     installed, or an extension id another plugin provides
     */
    public synchronized List<PluginEntry> install(Path upload) {
        try {
            PluginJar trial = loader.jar(upload, platform);
            if (trial.refused()) {
                throw new InvalidInputException("body", "plugin jar refused: " + trial.reason());
            }
            String version = PluginRegistry.canonical(trial.version());
            for (PluginJar j : jars()) {
                if (!j.refused()
                        && j.plugin().equals(trial.plugin())
                        && PluginRegistry.canonical(j.version()).equals(version)) {
                    throw new ConflictException(
                            "body",
                            "plugin jar refused: duplicate plugin '" + trial.plugin() + "' version " + trial.version()
                                    + ": already loaded from " + j.path().getFileName()
                                    + "; remove it first, or give the new jar another version");
                }
            }
            List<PluginJar> with = new ArrayList<>(jars());
            with.add(trial);
            PluginRegistry tried = PluginRegistry.assemble(builtins, with, disabled);
            String location = upload.toAbsolutePath().toString();
            tried.entries().stream()
                    .filter(e -> !e.usable() && e.location().equals(location))
                    .findFirst()
                    .ifPresent(e -> {
                        throw new ConflictException("body", "plugin jar refused: " + e.reason());
                    });
            Path target = directory.resolve(fileName(trial.plugin(), trial.version(), ""));
            if (Files.exists(target)) { // a dropped jar of another plugin under this name
                target = directory.resolve(fileName(
                        trial.plugin(), trial.version(), "-" + trial.sha256().substring(0, 12)));
            }
            Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
            rescan();
            String installed = target.toAbsolutePath().toString();
            return registry.entries().stream()
                    .filter(e -> e.location().equals(installed))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(upload);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "SWL-PLUGIN-030 cannot delete upload {0}: {1}", upload, e);
            }
        }
    }

    /**
     * Removes every version of a plugin, or one, from the plugins directory. Runs training with it finish with it.
     *
     * @return the removed jars' files
     */
    public synchronized List<Path> remove(String plugin, String version) {
        requireExternal(plugin);
        List<Path> files = known.values().stream()
                .map(Known::jar)
                .filter(j -> j.plugin().equals(plugin))
                .filter(j -> version == null
                        || PluginRegistry.canonical(j.version()).equals(PluginRegistry.canonical(version)))
                .map(PluginJar::path)
                .toList();
        if (files.isEmpty()) {
            throw new NotFoundException("no plugin '" + plugin + "'" + (version == null ? "" : " version " + version));
        }
        for (Path f : files) {
            if (!f.toAbsolutePath().startsWith(directory)) {
                throw new ConflictException(
                        "plugin", "plugin '" + plugin + "' is in " + f.getParent() + ", which is not managed here");
            }
        }
        try {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rescan();
        return files;
    }

    /** Disables (or enables) a plugin: its extensions are not offered to new runs; runs that use it go on. */
    public synchronized List<PluginEntry> setDisabled(String plugin, boolean off) {
        requireExternal(plugin);
        if (registry.entries().stream().noneMatch(e -> e.plugin().equals(plugin))) {
            throw new NotFoundException("no plugin '" + plugin + "'");
        }
        Set<String> next = new TreeSet<>(disabled);
        if (off) {
            next.add(plugin);
        } else {
            next.remove(plugin);
        }
        try {
            Files.createDirectories(directory);
            Files.writeString(
                    directory.resolve(DISABLED_FILE),
                    next.isEmpty() ? "" : String.join("\n", next) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rescan();
        return registry.entries().stream()
                .filter(e -> e.plugin().equals(plugin))
                .toList();
    }

    /**
     * {@code <plugin>-<version><suffix>.jar}, every character but letters, digits, {@code .}, {@code _}, {@code +}
     * and {@code -} replaced: a descriptor's version is free text, and the file must stay in its directory.
     */
    public static String fileName(String plugin, String version, String suffix) {
        return (plugin + "-" + version + suffix).replaceAll("[^A-Za-z0-9._+-]", "_") + ".jar";
    }

    private static void requireExternal(String plugin) {
        if (PluginLoader.BUILTIN.equals(plugin)) {
            throw new InvalidInputException("plugin", "the built-in plugins come with the platform");
        }
    }

    private Set<String> readDisabled() {
        Path file = directory.resolve(DISABLED_FILE);
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "SWL-PLUGIN-031 cannot read {0}: {1}", file, e);
            return disabled;
        }
    }
}
