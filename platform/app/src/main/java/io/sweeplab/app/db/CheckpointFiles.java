package io.sweeplab.app.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/** The platform's checkpoint files: {@code <sweeplab.home>/checkpoints/run-<id>/epoch-<n>.zip}. */
public final class CheckpointFiles {

    private static final Logger LOG = Logger.getLogger(CheckpointFiles.class);

    private CheckpointFiles() {}

    public static Path dir(Path root, long run) {
        return root.resolve("run-" + run);
    }

    public static Path file(Path root, long run, int epoch) {
        return dir(root, run).resolve("epoch-" + epoch + ".zip");
    }

    /** Deletes checkpoints the queue forgot; a file that cannot be deleted is logged, never fatal. */
    public static void delete(List<String> paths) {
        for (String p : paths) {
            try {
                Files.deleteIfExists(Path.of(p));
            } catch (IOException e) {
                LOG.warnf("SWL-WORKER-031 cannot delete checkpoint %s: %s", p, e.getMessage());
            }
        }
    }
}
