package io.sweeplab.worker.remote;

import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.run.ExtensionVersion;
import io.sweeplab.worker.loop.JobPreparer;
import io.sweeplab.worker.loop.PluginUnavailableException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Gets a remote worker the plugin versions a job records: those it lacks are downloaded from the platform into its
 * plugins cache ({@code <work-dir>/plugins}), checked against the job's SHA-256, and loaded before the job trains.
 * A jar it cannot get or load sends the job back to the queue for another worker; a version the platform no longer
 * holds fails the job, since no worker could get it.
 */
final class RemotePlugins implements JobPreparer {

    private static final System.Logger LOG = System.getLogger(RemotePlugins.class.getName());

    private final PluginCatalog catalog;
    private final HttpChannel channel;

    RemotePlugins(PluginCatalog catalog, HttpChannel channel) {
        this.catalog = catalog;
        this.channel = channel;
    }

    @Override
    public void prepare(Assignment a) throws PluginUnavailableException {
        for (ExtensionVersion use : a.spec().extensions()) {
            if (use.external() && !present(use)) {
                fetch(use);
                catalog.rescan();
                if (!present(use)) {
                    throw new PluginUnavailableException(
                            "plugin " + use.plugin() + " " + use.pluginVersion() + " does not load here: "
                                    + catalog.registry().entries().stream()
                                            .filter(e -> e.plugin().equals(use.plugin()) && !e.usable())
                                            .map(e -> e.reason())
                                            .findFirst()
                                            .orElse(use.type() + " '" + use.id() + "' is not in it"),
                            null);
                }
            }
        }
    }

    private boolean present(ExtensionVersion use) {
        return catalog.registry()
                .find(use.extensionType(), use.id(), use.plugin(), use.pluginVersion())
                .filter(e -> e.sha256().equals(use.sha256()))
                .isPresent();
    }

    private synchronized void fetch(ExtensionVersion use) throws PluginUnavailableException {
        if (present(use)) { // another slot fetched it meanwhile
            return;
        }
        String what = "plugin " + use.plugin() + " " + use.pluginVersion();
        Path dir = catalog.directory();
        if (!use.sha256().matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("the run records no valid SHA-256 for " + what + ": " + use.sha256());
        }
        Path part = dir.resolve(".download-" + use.sha256() + ".part");
        try {
            Files.createDirectories(dir);
            boolean found;
            try {
                found = channel.pluginJar(use.plugin(), use.pluginVersion(), part);
            } catch (RuntimeException e) {
                throw new PluginUnavailableException("cannot download " + what + ": " + e.getMessage(), e);
            }
            if (!found) {
                throw new IllegalStateException(
                        "SWL-WORKER-061 " + what + " is no longer on the platform; launch the run again");
            }
            String sha = PluginLoader.sha256(part);
            if (!sha.equals(use.sha256())) {
                throw new PluginUnavailableException(
                        what + " downloaded with SHA-256 " + sha + ", not the " + use.sha256() + " the run records",
                        null);
            }
            Path jar =
                    dir.resolve(PluginCatalog.fileName(use.plugin(), use.pluginVersion(), "-" + sha.substring(0, 12)));
            Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(Level.INFO, "SWL-WORKER-060 {0} downloaded into {1}", what, jar);
        } catch (IOException e) {
            throw new PluginUnavailableException("cannot store " + what + " in " + dir + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "cannot delete {0}: {1}", part, e);
            }
        }
    }
}
