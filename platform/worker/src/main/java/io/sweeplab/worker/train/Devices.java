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
            return "cuda: "
                    + gpu().map(g -> g.name() + " (" + g.memoryMb() + " MiB)").orElse(backend);
        }
        return "cpu: " + cpuModel() + " (" + threads + " of "
                + Runtime.getRuntime().availableProcessors()
                + " threads, ND4J "
                + backend.replace("Backend", "").toLowerCase(java.util.Locale.ROOT) + ", "
                + Nd4j.factory().blas().getBlasVendor() + ")";
    }

    /** A GPU as ND4J's CUDA backend reports it. */
    public record Gpu(String name, long memoryMb) {}

    /** The first GPU of the CUDA backend, from ND4J's environment information; empty on the CPU backend. */
    @SuppressWarnings("unchecked")
    public static java.util.Optional<Gpu> gpu() {
        try {
            Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
            if (devices instanceof java.util.List<?> list
                    && !list.isEmpty()
                    && list.get(0) instanceof java.util.Map<?, ?> d) {
                Object name = ((java.util.Map<String, Object>) d).get("cuda.deviceName");
                Object mem = ((java.util.Map<String, Object>) d).get("cuda.totalMemory");
                return java.util.Optional.of(
                        new Gpu(String.valueOf(name), mem instanceof Number n ? n.longValue() / (1024 * 1024) : 0));
            }
        } catch (RuntimeException e) {
            // no CUDA information: the caller describes the backend instead
        }
        return java.util.Optional.empty();
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
