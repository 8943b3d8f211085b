package io.sweeplab.plugin.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One worker the platform asks a {@link WorkerLauncher} to start.
 *
 * @param launch the platform's number for this launch, unique and increasing: for names and labels
 * @param kind which queue the worker is for: a GPU worker takes the jobs that need a GPU
 * @param gpus GPUs the worker needs (0 for a CPU worker)
 * @param cpus CPU cores the worker needs
 * @param memoryMb memory the worker needs, in MiB
 * @param timeLimit the longest the engine should let the worker run, or null for the engine's default; a worker
 *     stopped at its limit hands its run back like any dead worker, and the run resumes from its checkpoint
 * @param program how the worker is started, without any secret: the executable and its own options (by default the
 *     worker jar of this build with the platform's Java, {@code java --add-modules jdk.incubator.vector -jar
 *     .../sweeplab-worker-<version>.jar}); a launcher that runs a worker image may use the image's entry point instead
 * @param arguments the worker's options after the program, without any secret: {@code --server URL --idle-exit 2m
 *     --slots 1 --threads N} and the operator's own
 * @param environment what the worker needs in its environment, its token among them ({@value #TOKEN_ENV}): pass it
 *     through the engine's environment or a secret, never on a command line
 * @since 1.4
 */
public record WorkerRequest(
        long launch,
        Kind kind,
        int gpus,
        int cpus,
        long memoryMb,
        Duration timeLimit,
        List<String> program,
        List<String> arguments,
        Map<String, String> environment) {

    /** The environment variable that holds the worker's token. */
    public static final String TOKEN_ENV = "SWEEPLAB_WORKER_TOKEN";

    /** The environment variable a worker takes its name from when it is given no {@code --name}. */
    public static final String NAME_ENV = "SWEEPLAB_WORKER_NAME";

    /** The two queues. */
    public enum Kind {
        CPU,
        GPU
    }

    public WorkerRequest {
        if (kind == null || program == null || program.isEmpty() || arguments == null || environment == null) {
            throw new IllegalArgumentException(
                    "a worker request needs a kind, a program, arguments and an environment");
        }
        program = List.copyOf(program);
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    /** The whole command line: {@link #program} then {@link #arguments}. */
    public List<String> command() {
        List<String> all = new java.util.ArrayList<>(program);
        all.addAll(arguments);
        return List.copyOf(all);
    }

    /** The environment with the worker's name added, for a launcher that knows the name before the worker starts. */
    public Map<String, String> environmentNamed(String workerName) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        env.put(NAME_ENV, workerName);
        return java.util.Collections.unmodifiableMap(env);
    }

    /** What {@code toString} shows: never the environment, which holds a secret. */
    @Override
    public String toString() {
        return "WorkerRequest[launch=" + launch + ", kind=" + kind + ", gpus=" + gpus + ", cpus=" + cpus
                + ", memoryMb=" + memoryMb + ", timeLimit=" + timeLimit + ", command=" + command()
                + ", environment=" + environment.keySet() + "]";
    }
}
