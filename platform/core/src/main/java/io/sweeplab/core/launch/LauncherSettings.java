package io.sweeplab.core.launch;

import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerRequest.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One launcher's configuration, the keys {@code sweeplab.launchers.<id>.<key>}: those every launcher has (how many
 * workers, their resources, their command) and the launcher's own parameters (every other key).
 *
 * @param maxWorkers the most CPU workers running or waiting at once (0: none)
 * @param maxGpuWorkers the most GPU workers at once (0: none)
 * @param cpus cores per worker
 * @param memoryMb MiB per worker
 * @param gpus GPUs per GPU worker
 * @param timeLimit the engine's time limit for a worker, or null for the engine's default
 * @param idleExit how long a worker waits without a job before it exits
 * @param command the worker's command without its arguments, or empty for the worker jar of this build with the
 *     platform's Java
 * @param gpuCommand a GPU worker's command (a CUDA build), or empty for {@code command}
 * @param workerArgs further worker options, e.g. {@code --engine fast --dataset-dir /data}
 * @param server the platform's address as workers reach it, or null for this host and port
 * @param team the team whose runs alone its workers take, or null for every team's
 * @param params the launcher's own parameters, validated against its schema
 */
public record LauncherSettings(
        String id,
        int maxWorkers,
        int maxGpuWorkers,
        int cpus,
        long memoryMb,
        int gpus,
        Duration timeLimit,
        Duration idleExit,
        List<String> command,
        List<String> gpuCommand,
        List<String> workerArgs,
        String server,
        String team,
        Params params) {

    /** The keys every launcher has; any other key is one of the launcher's parameters. */
    public static final Set<String> COMMON_KEYS = Set.of(
            "enabled",
            "max-workers",
            "max-gpu-workers",
            "cpus",
            "memory-mb",
            "gpus",
            "time-limit",
            "idle-exit",
            "command",
            "gpu-command",
            "worker-args",
            "server",
            "team");

    public static final Duration DEFAULT_IDLE_EXIT = Duration.ofMinutes(2);

    /** Worker options the platform gives a launched worker itself, which {@code worker-args} may not. */
    static final List<String> PLATFORMS_OPTIONS =
            List.of("--server", "--token", "--token-file", "--name", "--idle-exit", "--slots", "--threads");

    public int max(Kind kind) {
        return kind == Kind.GPU ? maxGpuWorkers : maxWorkers;
    }

    /** What reading a launcher's keys gave: its settings, or every key at fault. */
    public record Parsed(LauncherSettings settings, List<String> errors) {}

    /**
     * Reads a launcher's keys.
     *
     * @param keys the keys under {@code sweeplab.launchers.<id>.}, without that prefix
     * @param schema the launcher's parameters
     */
    public static Parsed parse(String id, Map<String, String> keys, ParamSchema schema) {
        String prefix = "sweeplab.launchers." + id + ".";
        List<String> errors = new ArrayList<>();
        Reader r = new Reader(prefix, keys, errors);
        int maxWorkers = r.integer("max-workers", 4, 0, 10_000);
        int maxGpuWorkers = r.integer("max-gpu-workers", 0, 0, 10_000);
        int cpus = r.integer("cpus", 1, 1, 4096);
        long memoryMb = r.integer("memory-mb", 4096, 64, 16 * 1024 * 1024);
        int gpus = r.integer("gpus", 1, 1, 64);
        Duration timeLimit = r.duration("time-limit", null);
        Duration idleExit = r.duration("idle-exit", DEFAULT_IDLE_EXIT);
        if (idleExit != null && idleExit.isZero()) {
            errors.add(prefix + "idle-exit: must be more than 0 (a worker that exits at once never takes a job)");
        }
        List<String> command = words(keys.get("command"));
        List<String> gpuCommand = words(keys.get("gpu-command"));
        List<String> workerArgs = words(keys.get("worker-args"));
        for (String a : workerArgs) {
            if (PLATFORMS_OPTIONS.contains(a)) {
                errors.add(prefix + "worker-args: " + a + " is the platform's to give (" + PLATFORMS_OPTIONS
                        + "): a launched worker has the token of its launch, one slot and the launcher's cpus");
            }
        }
        String server = blankToNull(keys.get("server"));
        if (server != null && !server.matches("https?://[^\\s/]+(/\\S*)?")) {
            errors.add(prefix + "server: must be the platform's http(s) address, e.g. http://platform:8080; not "
                    + server);
        }
        String team = blankToNull(keys.get("team"));

        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            if (COMMON_KEYS.contains(e.getKey())) {
                continue;
            }
            String name = camel(e.getKey());
            ParamSpec spec = schema.spec(name).orElse(null);
            try {
                raw.put(name, spec == null ? e.getValue() : typed(spec, e.getValue()));
            } catch (IllegalArgumentException ex) {
                errors.add(prefix + e.getKey() + ": " + ex.getMessage());
            }
        }
        ParamSchema.Validation v = schema.validate(raw);
        for (ParamViolation pv : v.violations()) {
            errors.add(prefix + kebab(pv.param()) + ": " + pv.message());
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, List.copyOf(errors));
        }
        return new Parsed(
                new LauncherSettings(
                        id,
                        maxWorkers,
                        maxGpuWorkers,
                        cpus,
                        memoryMb,
                        gpus,
                        timeLimit,
                        idleExit,
                        command,
                        gpuCommand,
                        workerArgs,
                        server,
                        team,
                        v.params()),
                List.of());
    }

    /** {@code gpu-partition} to {@code gpuPartition}. */
    static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    /** {@code gpuPartition} to {@code gpu-partition}. */
    public static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Object typed(ParamSpec spec, String text) {
        String t = text.strip();
        ParamType type = spec.type();
        try {
            return switch (type) {
                case INT -> Long.parseLong(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOLEAN -> {
                    if (!t.equals("true") && !t.equals("false")) {
                        throw new IllegalArgumentException("must be true or false; not " + text);
                    }
                    yield Boolean.parseBoolean(t);
                }
                case INT_LIST ->
                    t.isEmpty()
                            ? List.of()
                            : Arrays.stream(t.split(","))
                                    .map(String::strip)
                                    .map(Long::parseLong)
                                    .toList();
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be " + (type == ParamType.DOUBLE ? "a number" : "a whole number")
                    + (type == ParamType.INT_LIST ? " list, separated by commas" : "") + "; not " + text);
        }
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private record Reader(String prefix, Map<String, String> keys, List<String> errors) {
        int integer(String key, int otherwise, int min, int max) {
            String v = keys.get(key);
            if (v == null || v.isBlank()) {
                return otherwise;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n < min || n > max) {
                    errors.add(prefix + key + ": must be between " + min + " and " + max + "; not " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                errors.add(prefix + key + ": must be a whole number; not " + v);
                return otherwise;
            }
        }

        Duration duration(String key, Duration otherwise) {
            String v = keys.get(key);
            if (v == null || v.isBlank()) {
                return otherwise;
            }
            try {
                return Durations.parse(v, prefix + key);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
                return otherwise;
            }
        }
    }
}
