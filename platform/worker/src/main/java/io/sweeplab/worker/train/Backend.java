package io.sweeplab.worker.train;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend a worker computes on: the one its build carries (nd4j-native, or nd4j-cuda with -Pcuda). */
public enum Backend {
    CPU,
    CUDA;

    /** The backend ND4J loaded (which loads ND4J's native libraries). */
    public static Backend detect() {
        return Nd4j.getBackend()
                        .getClass()
                        .getSimpleName()
                        .toLowerCase(Locale.ROOT)
                        .contains("cuda")
                ? CUDA
                : CPU;
    }

    /** {@code cpu} or {@code cuda}, as the worker protocol and the workers page spell it. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
