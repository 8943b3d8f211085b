package io.sweeplab.worker.data;

import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.DatasetContext;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.ParamSchema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The datasets a worker has loaded, by (id, parameters), so that runs on the same data load it once: the most
 * recently used {@value #KEPT} are kept (Fashion-MNIST holds about 220 MB). Loads happen one at a time, on the
 * thread of the run that needs them, through the dataset plugin found in the registry; each load is checksummed
 * for the run's provenance.
 */
public final class DatasetCache {

    static final int KEPT = 2;

    private final java.util.function.Supplier<PluginRegistry> plugins;
    private final Path root;
    private final Map<String, String> settings;
    private final Map<ExtensionUse, LoadedDataset> loaded = new LinkedHashMap<>(4, 0.75f, true);

    /**
     * @param root where datasets keep files, one directory per dataset id ({@code <root>/fashion-mnist})
     * @param settings the worker's dataset settings by name ({@code dir}, {@code download}, {@code url})
     */
    public DatasetCache(PluginRegistry plugins, Path root, Map<String, String> settings) {
        this(() -> plugins, root, settings);
    }

    /** @param plugins the plugins now (each load looks its dataset up afresh) */
    public DatasetCache(java.util.function.Supplier<PluginRegistry> plugins, Path root, Map<String, String> settings) {
        this.plugins = plugins;
        this.root = root;
        this.settings = Map.copyOf(settings);
    }

    /** The directories runs may read datasets from: the {@code roots} setting, or the defaults. */
    List<Path> roots() {
        String given = settings.get("roots");
        List<Path> out = new ArrayList<>();
        if (given == null || given.isBlank()) {
            out.add(root);
            out.add(Path.of("/usr/share/datasets"));
        } else {
            for (String r : given.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
                if (!r.isBlank()) {
                    out.add(Path.of(r.strip()));
                }
            }
        }
        return out.stream().map(DatasetCache::real).toList();
    }

    /** A directory a run names, if it lies inside a root (after resolving {@code ..} and symbolic links). */
    Path allowed(String path) {
        Path p = real(Path.of(path));
        for (Path r : roots()) {
            if (p.startsWith(r)) {
                return p;
            }
        }
        throw new IllegalArgumentException("SWL-DATA-010 " + path + " is outside the directories this worker lets runs"
                + " read (" + roots().stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "))
                + "); an administrator adds a directory with sweeplab.dataset.roots (remote workers: --dataset-roots)");
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (java.io.IOException e) {
            return abs; // does not exist (yet): its normalised form; the dataset says it is missing
        }
    }

    /**
     * The dataset a run names, loaded now or earlier.
     *
     * @throws IllegalStateException when the dataset is not loaded on this worker or its stored parameters no
     *     longer fit its schema
     * @throws Exception what the dataset's load threw (its message says what to fix)
     */
    public synchronized LoadedDataset get(ExtensionUse use) throws Exception {
        LoadedDataset d = loaded.get(use);
        if (d != null) {
            return d;
        }
        Dataset dataset = plugins.get()
                .extension(Dataset.class, use.id())
                .orElseThrow(
                        () -> new IllegalStateException("dataset '" + use.id() + "' is not loaded on this worker"));
        ParamSchema.Validation v = dataset.params().validate(use.params());
        if (!v.valid()) {
            throw new IllegalStateException(
                    "stored parameters of dataset " + use.id() + " no longer fit its schema: " + v.violations());
        }
        Path dir = root.resolve(use.id());
        DatasetContent content = dataset.load(v.params(), new DatasetContext() {
            @Override
            public Path cacheDirectory() {
                return dir;
            }

            @Override
            public Optional<String> setting(String name) {
                return Optional.ofNullable(settings.get(name));
            }

            @Override
            public Path directory(String path) {
                return allowed(path);
            }
        });
        if (content == null) {
            throw new IllegalStateException("dataset " + use.id() + " loaded nothing");
        }
        d = new LoadedDataset(content, provenance(dataset, content));
        loaded.put(use, d);
        while (loaded.size() > KEPT) {
            loaded.remove(loaded.keySet().iterator().next());
        }
        return d;
    }

    static DatasetProvenance provenance(Dataset dataset, DatasetContent c) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String name : c.classNames()) {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        digest(sha, c.train());
        digest(sha, c.test());
        return new DatasetProvenance(
                dataset.id(),
                dataset.version(),
                HexFormat.of().formatHex(sha.digest()),
                c.train().height(),
                c.train().width(),
                c.train().channels(),
                c.classNames().size(),
                c.train().size(),
                c.test().size());
    }

    /** The shape, then the pixels as float bits and the labels, big-endian, in chunks. */
    private static void digest(MessageDigest sha, ImageSet s) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        buf.putInt(s.size()).putInt(s.height()).putInt(s.width()).putInt(s.channels());
        for (float p : s.pixels()) {
            if (buf.remaining() < 4) {
                sha.update(buf.flip());
                buf.clear();
            }
            buf.putFloat(p);
        }
        for (int l : s.labels()) {
            if (buf.remaining() < 4) {
                sha.update(buf.flip());
                buf.clear();
            }
            buf.putInt(l);
        }
        sha.update(buf.flip());
    }
}
