package io.sweeplab.worker.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/** Describes the device ND4J computes on, for the run record and the workers page. */
public final class Devices {

    private Devices() {}

    public static String describe(int threads) {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (backend.toLowerCase(java.util.Locale.ROOT).contains("cuda")) {
            return "cuda: " + backend;
        }
        return "cpu: " + cpuModel() + " (" + threads + " of "
                + Runtime.getRuntime().availableProcessors()
                + " threads, ND4J "
                + backend.replace("Backend", "").toLowerCase(java.util.Locale.ROOT) + ", "
                + Nd4j.factory().blas().getBlasVendor() + ")";
    }

    /** The CPU without touching ND4J (whose native libraries load on first use). */
    public static String cpu(int threads) {
        return "cpu: " + cpuModel() + " (" + threads + " of "
                + Runtime.getRuntime().availableProcessors() + " threads)";
    }

    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
