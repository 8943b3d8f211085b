package io.sweeplab.core.plugin;

import io.sweeplab.core.plugin.PluginEntry.Source;
import io.sweeplab.core.plugin.PluginEntry.Status;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.PluginApi;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads the built-in extensions from the platform's class path and external plugin jars from a directory, and
 * refuses, with a logged reason, every one that cannot be used: a missing or malformed descriptor, an API range
 * that excludes this platform, bundled platform libraries, a constructor that throws or hangs, bad metadata, or an
 * id already taken. A refused jar is refused whole, so a plugin is never half-loaded. Nothing a plugin does here
 * stops the platform.
 */
public final class PluginLoader {

    static final String BUILTIN = "builtin";
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());

    private final Duration callLimit;

    /** @param callLimit how long one call into plugin code (a constructor, reading metadata) may take */
    public PluginLoader(Duration callLimit) {
        this.callLimit = callLimit;
    }

    /**
     * @param builtins the class loader holding the built-in plugins (the platform's)
     * @param pluginsDir the directory of external plugin jars; may be null or absent
     */
    public PluginRegistry load(ClassLoader builtins, Path pluginsDir) {
        return PluginRegistry.assemble(builtins(builtins), directory(pluginsDir, builtins), java.util.Set.of());
    }

    /** The built-in extensions on this class loader's class path, each checked like a plugin's. */
    public List<PluginEntry> builtins(ClassLoader loader) {
        List<PluginEntry> entries = new ArrayList<>();
        loadBuiltins(loader, entries, new HashMap<>());
        return entries;
    }

    /** Every {@code *.jar} in the directory, each checked on its own; none when the directory is null or absent. */
    public List<PluginJar> directory(Path pluginsDir, ClassLoader parent) {
        if (pluginsDir == null) {
            return List.of();
        }
        if (!Files.isDirectory(pluginsDir)) {
            LOG.log(Level.INFO, "SWL-PLUGIN-002 no plugins directory at {0}; only built-in plugins", pluginsDir);
            return List.of();
        }
        List<PluginJar> jars = new ArrayList<>();
        for (Path jar : jarsIn(pluginsDir)) {
            jars.add(jar(jar, parent));
        }
        return jars;
    }

    /** The {@code *.jar} files of a directory, by name. */
    static List<Path> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "SWL-PLUGIN-001 cannot list plugins directory {0}: {1}", dir, e);
            return List.of();
        }
    }

    /**
     * Checks and loads one plugin jar in a class loader of its own, as the platform checks every jar of its plugins
     * directory; a jar refused here is refused whole.
     */
    public PluginJar jar(Path jar, ClassLoader parent) {
        String sha;
        try {
            sha = sha256(jar);
        } catch (IOException e) {
            String name = jar.getFileName().toString();
            return new PluginJar(
                    jar,
                    name,
                    "",
                    "",
                    List.of(refuse(PluginEntry.refused(
                            name,
                            null,
                            "",
                            name,
                            jar.toAbsolutePath().toString(),
                            Source.EXTERNAL,
                            "not a readable jar: " + e.getMessage()))));
        }
        List<PluginEntry> entries = loadJar(jar, parent, sha);
        PluginEntry first = entries.get(0);
        return new PluginJar(jar, first.plugin(), first.pluginVersion(), sha, entries);
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private void loadBuiltins(ClassLoader loader, List<PluginEntry> entries, Map<String, String> owners) {
        for (ExtensionType type : ExtensionType.values()) {
            List<ServiceLoader.Provider<? extends Extension>> providers = new ArrayList<>();
            try {
                ServiceLoader.load(type.api(), loader).stream().forEach(providers::add);
            } catch (java.util.ServiceConfigurationError e) {
                entries.add(refuse(PluginEntry.refused(
                        type.jsonName() + "-providers",
                        type,
                        "",
                        BUILTIN,
                        "classpath",
                        Source.BUILTIN,
                        Guard.describe(e))));
                continue;
            }
            for (ServiceLoader.Provider<? extends Extension> provider : providers) {
                String className = provider.type().getName();
                try {
                    Extension ext = Guard.call("constructor of " + className, callLimit, loader, provider::get);
                    Meta meta = readMeta(ext, loader);
                    String key = type.jsonName() + ":" + meta.id;
                    String owner = owners.putIfAbsent(key, BUILTIN);
                    if (owner != null) {
                        throw new Guard.PluginFailure(
                                "duplicate id: " + type.jsonName() + " '" + meta.id + "' is already provided", null);
                    }
                    entries.add(meta.entry(type, BUILTIN, "classpath", Source.BUILTIN, ext, "", ""));
                } catch (Guard.PluginFailure e) {
                    entries.add(refuse(PluginEntry.refused(
                            className, type, "", BUILTIN, "classpath", Source.BUILTIN, e.getMessage())));
                }
            }
        }
    }

    private List<PluginEntry> loadJar(Path jar, ClassLoader parent, String sha) {
        String fileName = jar.getFileName().toString();
        String location = jar.toAbsolutePath().toString();
        PluginDescriptor descriptor;
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry entry = file.getJarEntry(PluginApi.DESCRIPTOR_PATH);
            if (entry == null) {
                return List.of(refuse(PluginEntry.refused(
                        fileName,
                        null,
                        "",
                        fileName,
                        location,
                        Source.EXTERNAL,
                        "no descriptor " + PluginApi.DESCRIPTOR_PATH + " in the jar")));
            }
            try (InputStream in = file.getInputStream(entry)) {
                descriptor = PluginDescriptor.parse(in);
            } catch (IllegalArgumentException e) {
                return List.of(refuse(
                        PluginEntry.refused(fileName, null, "", fileName, location, Source.EXTERNAL, e.getMessage())));
            }
            String bundled = bundledPlatformPackages(file);
            if (!bundled.isEmpty()) {
                return List.of(refuse(PluginEntry.refused(
                        descriptor.id(),
                        null,
                        descriptor.version(),
                        descriptor.id(),
                        location,
                        Source.EXTERNAL,
                        "bundles " + bundled + ", which the platform provides; declare them as provided")));
            }
        } catch (IOException e) {
            return List.of(refuse(PluginEntry.refused(
                    fileName, null, "", fileName, location, Source.EXTERNAL, "not a readable jar: " + e.getMessage())));
        }

        String pluginId = descriptor.id();
        if (!descriptor.acceptsApi(PluginApi.VERSION)) {
            return List.of(refuse(PluginEntry.refused(
                    pluginId,
                    null,
                    descriptor.version(),
                    pluginId,
                    location,
                    Source.EXTERNAL,
                    "requires plugin API " + descriptor.requiresApi() + " but the platform provides "
                            + PluginApi.VERSION)));
        }
        PluginClassLoader loader;
        try {
            loader = new PluginClassLoader("plugin:" + pluginId, jar.toUri().toURL(), parent);
        } catch (IOException e) {
            return List.of(refuse(PluginEntry.refused(
                    pluginId, null, descriptor.version(), pluginId, location, Source.EXTERNAL, e.toString())));
        }
        try {
            List<Loaded> found = Guard.call("loading plugin " + pluginId, callLimit, loader, () -> instantiate(loader));
            if (found.isEmpty()) {
                throw new Guard.PluginFailure(
                        "registers no extension (expected META-INF/services/"
                                + ExtensionType.ARCHITECTURE.api().getName()
                                + " or the Callback, Visualizer, Dataset, SweepStrategy or TrialScheduler equivalent)",
                        null);
            }
            List<PluginEntry> result = new ArrayList<>();
            Map<String, String> claimed = new HashMap<>();
            for (Loaded l : found) {
                Meta meta = readMeta(l.extension, loader);
                String key = l.type.jsonName() + ":" + meta.id;
                if (claimed.put(key, pluginId) != null) {
                    throw new Guard.PluginFailure(
                            "duplicate id: " + l.type.jsonName() + " '" + meta.id + "' is already provided by"
                                    + " this plugin",
                            null);
                }
                result.add(meta.entry(
                        l.type, pluginId, location, Source.EXTERNAL, l.extension, descriptor.version(), sha));
            }
            for (PluginEntry e : result) {
                LOG.log(
                        Level.INFO,
                        "SWL-PLUGIN-010 loaded {0} ''{1}'' {2} from {3}",
                        e.type().jsonName(),
                        e.id(),
                        e.version(),
                        fileName);
            }
            return result;
        } catch (Guard.PluginFailure e) {
            closeQuietly(loader);
            return List.of(refuse(PluginEntry.refused(
                    pluginId, null, descriptor.version(), pluginId, location, Source.EXTERNAL, e.getMessage())));
        }
    }

    private static List<Loaded> instantiate(PluginClassLoader loader) {
        List<Loaded> found = new ArrayList<>();
        for (ExtensionType type : ExtensionType.values()) {
            ServiceLoader.load(type.api(), loader).stream()
                    .filter(p -> p.type().getClassLoader() == loader)
                    .forEach(p -> found.add(new Loaded(type, p.get())));
        }
        return found;
    }

    private Meta readMeta(Extension ext, ClassLoader loader) throws Guard.PluginFailure {
        String what = "metadata of " + ext.getClass().getName();
        Meta meta = Guard.call(
                what,
                callLimit,
                loader,
                () -> new Meta(ext.id(), ext.label(), ext.version(), ext.description(), ext.params()));
        List<String> problems = new ArrayList<>();
        if (meta.id == null || !PluginDescriptor.ID.matcher(meta.id).matches()) {
            problems.add("id " + (meta.id == null ? "null" : "'" + meta.id + "'")
                    + " must be lower-case letters, digits and dashes, starting with a letter");
        }
        if (meta.label == null || meta.label.isBlank()) {
            problems.add("label is empty");
        }
        if (meta.version == null || meta.version.isBlank()) {
            problems.add("version is empty");
        }
        if (meta.params == null) {
            problems.add("params() returned null");
        }
        if (!problems.isEmpty()) {
            throw new Guard.PluginFailure("invalid " + what + ": " + String.join("; ", problems), null);
        }
        return meta;
    }

    private static String bundledPlatformPackages(JarFile file) {
        TreeSet<String> found = new TreeSet<>();
        file.stream()
                .map(JarEntry::getName)
                .filter(n -> n.endsWith(".class"))
                .map(n -> n.replace('/', '.'))
                .filter(PluginClassLoader::isParentFirst)
                .forEach(n -> found.add(PluginClassLoader.PARENT_FIRST.stream()
                        .filter(n::startsWith)
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("\\.$", "")));
        return String.join(", ", found);
    }

    static PluginEntry refuse(PluginEntry entry) {
        LOG.log(
                Level.WARNING,
                "SWL-PLUGIN-020 refused plugin {0} ({1}): {2}",
                entry.id(),
                entry.location(),
                entry.reason());
        return entry;
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing class loader of a refused plugin failed", e);
        }
    }

    private record Loaded(ExtensionType type, Extension extension) {}

    private record Meta(String id, String label, String version, String description, ParamSchema params) {
        PluginEntry entry(
                ExtensionType type,
                String plugin,
                String location,
                Source source,
                Extension ext,
                String pluginVersion,
                String sha) {
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
                    Status.LOADED,
                    null,
                    ext,
                    pluginVersion,
                    sha);
        }
    }
}
