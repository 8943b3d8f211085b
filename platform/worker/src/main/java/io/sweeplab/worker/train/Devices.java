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
        if (Backend.detect() == Backend.CUDA) {
            return "cuda: "
                    + gpu().map(g -> g.name() + " (" + g.memoryMb() + " MiB, sm_" + g.major() + g.minor() + ")")
                            .orElse(backend);
        }
        return "cpu: " + cpuModel() + " (" + threads + " of "
                + Runtime.getRuntime().availableProcessors()
                + " threads, ND4J "
                + backend.replace("Backend", "").toLowerCase(java.util.Locale.ROOT) + ", "
                + Nd4j.factory().blas().getBlasVendor() + ")";
    }

    /**
     * The GPU architectures whose machine code (SASS) ND4J 1.0.0-M2.1's {@code libnd4jcuda.so} (nd4j-cuda-11.6)
     * carries, as {@code bench/cuda-compat.sh} reads them from its {@code .nv_fatbin} section. It carries no PTX,
     * so the driver cannot compile its kernels for any other architecture.
     */
    public static final java.util.List<Integer> ND4J_CUDA_SASS = java.util.List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

    /** A GPU as ND4J's CUDA backend reports it; {@code major.minor} is its compute capability. */
    public record Gpu(String name, long memoryMb, int major, int minor) {}

    /**
     * Why ND4J's CUDA kernels cannot run on a GPU of compute capability {@code major.minor}, or empty when they can.
     * SASS built for {@code X.y} runs on devices {@code X.z} with {@code z >= y} (NVIDIA's binary compatibility
     * rule), so sm_86 code covers 8.6 and 8.9 but nothing of major 9 or newer.
     */
    public static java.util.Optional<String> unsupported(String name, int major, int minor) {
        boolean runs = ND4J_CUDA_SASS.stream().anyMatch(a -> a / 10 == major && a % 10 <= minor);
        if (runs) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the GPU " + name + " has compute capability " + major + "." + minor + " (sm_"
                + major + minor + "), but ND4J 1.0.0-M2.1's CUDA backend only carries kernels for "
                + ND4J_CUDA_SASS.stream().map(a -> "sm_" + a).collect(java.util.stream.Collectors.joining(", "))
                + " and no PTX, so every kernel launch would fail with 'no kernel image is available'."
                + " Run this worker on the CPU backend (build without -Pcuda), or on a GPU of those architectures"
                + " (up to Ampere/Ada: A100, A10, RTX 30xx/40xx).");
    }

    /**
     * On the CUDA backend, fails with {@link IllegalStateException} when ND4J's kernels cannot run on the GPU, so that
     * a worker refuses at start rather than failing every run it claims.
     */
    public static void requireSupportedGpu() {
        if (Backend.detect() != Backend.CUDA) {
            return;
        }
        gpu().flatMap(g -> unsupported(g.name(), g.major(), g.minor())).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    /** The first GPU of the CUDA backend, from ND4J's environment information; empty on the CPU backend. */
    @SuppressWarnings("unchecked")
    public static java.util.Optional<Gpu> gpu() {
        try {
            Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
            if (devices instanceof java.util.List<?> list
                    && !list.isEmpty()
                    && list.get(0) instanceof java.util.Map<?, ?> d) {
                java.util.Map<String, Object> m = (java.util.Map<String, Object>) d;
                Object mem = m.get("cuda.totalMemory");
                return java.util.Optional.of(new Gpu(
                        String.valueOf(m.get("cuda.deviceName")),
                        mem instanceof Number n ? n.longValue() / (1024 * 1024) : 0,
                        m.get("cuda.deviceMajor") instanceof Number n ? n.intValue() : 0,
                        m.get("cuda.deviceMinor") instanceof Number n ? n.intValue() : 0));
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
