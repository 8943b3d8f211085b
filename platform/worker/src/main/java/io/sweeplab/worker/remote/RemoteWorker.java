package io.sweeplab.worker.remote;

import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.security.SerialFilter;
import io.sweeplab.worker.data.DatasetCache;
import io.sweeplab.worker.loop.CpuShare;
import io.sweeplab.worker.loop.WorkerLoop;
import io.sweeplab.worker.train.Backend;
import io.sweeplab.worker.train.Devices;
import io.sweeplab.worker.train.EngineRegistry;
import io.sweeplab.worker.train.Trainer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * A worker on another machine: {@code SWEEPLAB_WORKER_TOKEN=T java --add-modules jdk.incubator.vector -jar
 * sweeplab-worker.jar --server http://platform:8080}. It talks to the platform only over HTTP, trains with the built-in plugins,
 * those in {@code --plugins-dir} and those it downloads from the platform as its jobs need them, and on SIGTERM hands
 * its running jobs back to the queue.
 */
public final class RemoteWorker {

    static final String USAGE = """
            usage: SWEEPLAB_WORKER_TOKEN=TOKEN sweeplab-worker --server URL [options]
              --server URL        the platform, for example http://platform:8080 (required)
              --token-file PATH   a file holding the worker token (instead of SWEEPLAB_WORKER_TOKEN)
              --token TOKEN       the worker token on the command line (visible to other local users)
              --retry-for TIME    how long a call that got no answer is retried, e.g. 90s, 2m, 0 (default 2m;
                                  under a lease at most half the lease)
              --name NAME         how the worker is listed (default: SWEEPLAB_WORKER_NAME, then the host name)
              --idle-exit TIME    exit (status 0) after holding no job for this long, e.g. 2m (default: never);
                                  how workers a launcher started end when the queue is empty
              --slots N           runs trained at once (default 1)
              --threads N         CPU threads per run (default: cores / slots); slots x threads may not
                                  exceed the cores
              --engine E          auto (the fast engine where it applies on the CPU, DL4J otherwise and
                                  on CUDA), fast (the fast engine where it applies, even on CUDA) or dl4j
                                  (default auto)
              --work-dir DIR      local checkpoints (default ~/.sweeplab-worker)
              --dataset-dir DIR   Fashion-MNIST files (default: the Debian package, then the work dir);
                                  other datasets name their directories, on this machine, in their params
              --dataset-roots DIRS the directories runs may name datasets in, separated by ':' (default: the
                                  work dir's datasets and /usr/share/datasets)
              --plugins-dir DIR   external plugin jars to load at start (default: none); the plugin versions a
                                  job needs and the worker lacks are downloaded from the platform into
                                  <work-dir>/plugins
            """;

    /** The dataset settings of the command line: {@code dir} and {@code roots}. */
    static Map<String, String> datasetSettings(Options o) {
        Map<String, String> s = new LinkedHashMap<>();
        if (o.get("dataset-dir") != null) {
            s.put("dir", o.get("dataset-dir"));
        }
        if (o.get("dataset-roots") != null) {
            s.put("roots", o.get("dataset-roots"));
        }
        return s;
    }

    static final String TOKEN_ENV = io.sweeplab.plugin.api.WorkerRequest.TOKEN_ENV;
    static final String NAME_ENV = io.sweeplab.plugin.api.WorkerRequest.NAME_ENV;
    static final Duration DEFAULT_RETRY = Duration.ofMinutes(2);

    /** The command line: its options, the worker token from wherever it was given, and the cores' share per run. */
    record Options(Map<String, String> flags, String token, Duration retryFor, CpuShare cpu, Duration idleExit) {
        String get(String name) {
            return flags.get(name);
        }

        String getOrDefault(String name, String otherwise) {
            return flags.getOrDefault(name, otherwise);
        }

        boolean containsKey(String name) {
            return flags.containsKey(name);
        }
    }

    private RemoteWorker() {}

    public static void main(String[] args) throws Exception {
        SerialFilter.install(); // before anything could read a checkpoint
        Options o;
        try {
            o = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sweeplab-worker: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o.containsKey("token")) {
            System.err.println("sweeplab-worker: SWL-WORKER-045 --token is visible to other users of this machine"
                    + " (ps, /proc); give the token in " + TOKEN_ENV + " or --token-file instead");
        }
        int slots = o.cpu().slots();
        int threads = o.cpu().threadsPerRun();
        Path work = Path.of(o.getOrDefault("work-dir", System.getProperty("user.home") + "/.sweeplab-worker"));
        String name = o.getOrDefault("name", host());

        // the plugins a job needs and this worker lacks are fetched from the platform into the cache
        PluginCatalog plugins = new PluginCatalog(
                new PluginLoader(Duration.ofSeconds(10)),
                RemoteWorker.class.getClassLoader(),
                work.resolve("plugins"),
                o.containsKey("plugins-dir") ? List.of(Path.of(o.get("plugins-dir"))) : List.of());
        Trainer trainer;
        try {
            trainer = new Trainer(plugins::registry, Duration.ofSeconds(10), o.getOrDefault("engine", "auto"), threads);
        } catch (IllegalStateException e) {
            System.err.println("sweeplab-worker: " + e.getMessage());
            System.exit(3);
            return;
        }
        boolean cuda = Backend.detect() == Backend.CUDA;
        DatasetCache data = new DatasetCache(plugins::registry, work.resolve("datasets"), datasetSettings(o));

        HttpChannel channel = new HttpChannel(URI.create(o.get("server")), o.token(), o.retryFor());
        WorkerInfo me = WorkerInfo.announce(
                null, // the platform gives the id when the worker registers
                name,
                "remote",
                cuda ? "cuda" : "cpu",
                cuda ? trainer.device() : Devices.describe(threads),
                threads,
                null,
                null,
                slots);
        WorkerLoop loop = new WorkerLoop(
                me,
                channel,
                () -> trainer,
                data,
                work,
                Duration.ofSeconds(1),
                new RemotePlugins(plugins, channel),
                Duration.ofSeconds(10));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            loop.stop();
                            done.countDown();
                        },
                        "sweeplab-worker-shutdown"));
        try {
            loop.start(); // registers: learns its id, its key and the lease
        } catch (RuntimeException e) {
            System.err.println("sweeplab-worker: cannot register with " + o.get("server") + ": " + e.getMessage());
            System.exit(4);
            return;
        }
        System.out.println("SWL-WORKER-050 worker " + loop.info().id() + " serving " + o.get("server"));
        if (o.idleExit() != null) {
            exitWhenIdle(loop, o.idleExit(), done);
        }
        done.await();
    }

    /** Stops the worker once it has held no job for {@code limit}: the shutdown hook's path, then exit status 0. */
    private static void exitWhenIdle(WorkerLoop loop, Duration limit, CountDownLatch done) {
        Thread t = new Thread(
                () -> {
                    while (done.getCount() > 0) {
                        Duration idle = loop.idle();
                        if (idle.compareTo(limit) >= 0) {
                            System.out.println("SWL-WORKER-051 no job for " + idle.toSeconds() + " s (--idle-exit "
                                    + io.sweeplab.core.launch.Durations.format(limit) + "): exiting");
                            System.exit(0); // runs the shutdown hook, which stops the loop
                        }
                        try {
                            Thread.sleep(Math.min(
                                    1000, Math.max(50, limit.minus(idle).toMillis())));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "sweeplab-worker-idle-exit");
        t.setDaemon(true);
        t.start();
    }

    /** Parses and checks the command line; {@code env} gives {@value #TOKEN_ENV}. */
    static Options parse(String[] args, Map<String, String> env) {
        return parse(args, env, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #parse(String[], Map)}, on a machine of {@code cores} cores. */
    static Options parse(String[] args, Map<String, String> env, int cores) {
        Map<String, String> o = new LinkedHashMap<>();
        java.util.Set<String> known = java.util.Set.of(
                "server",
                "token",
                "token-file",
                "retry-for",
                "idle-exit",
                "name",
                "slots",
                "threads",
                "engine",
                "work-dir",
                "dataset-dir",
                "dataset-roots",
                "plugins-dir");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (o.containsKey(a.substring(2))) {
                throw new IllegalArgumentException(a + " is given twice");
            }
            o.put(a.substring(2), args[++i]);
        }
        if (!o.containsKey("server")) {
            throw new IllegalArgumentException("--server is required");
        }
        if (!o.containsKey("name")
                && env.get(NAME_ENV) != null
                && !env.get(NAME_ENV).isBlank()) {
            o.put("name", env.get(NAME_ENV).strip()); // a launcher names its workers so
        }
        String token = token(o, env);
        URI server;
        try {
            server = URI.create(o.get("server"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server " + o.get("server") + " is not a URL");
        }
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
            throw new IllegalArgumentException("--server must be an http:// or https:// URL");
        }
        for (String n : new String[] {"slots", "threads"}) {
            if (o.containsKey(n)) {
                try {
                    if (Integer.parseInt(o.get(n)) < 1) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + n + " must be a whole number of at least 1");
                }
            }
        }
        if (o.containsKey("engine") && !EngineRegistry.PREFERENCES.contains(o.get("engine"))) {
            throw new IllegalArgumentException("--engine must be one of " + EngineRegistry.PREFERENCES);
        }
        CpuShare cpu = CpuShare.of(
                cores,
                Integer.parseInt(o.getOrDefault("slots", "1")),
                o.containsKey("threads") ? OptionalInt.of(Integer.parseInt(o.get("threads"))) : OptionalInt.empty(),
                CpuShare.FLAGS);
        Duration retryFor = o.containsKey("retry-for") ? duration(o.get("retry-for")) : DEFAULT_RETRY;
        Duration idleExit = null;
        if (o.containsKey("idle-exit")) {
            idleExit = io.sweeplab.core.launch.Durations.parse(o.get("idle-exit"), "--idle-exit");
            if (idleExit.isZero()) {
                throw new IllegalArgumentException("--idle-exit must be more than 0");
            }
        }
        return new Options(Map.copyOf(o), token, retryFor, cpu, idleExit);
    }

    /** The token: from {@code --token-file}, {@code --token} or {@value #TOKEN_ENV}, in that order. */
    private static String token(Map<String, String> o, Map<String, String> env) {
        if (o.containsKey("token-file") && o.containsKey("token")) {
            throw new IllegalArgumentException("give the token once: --token-file or --token, not both");
        }
        String token;
        if (o.containsKey("token-file")) {
            Path file = Path.of(o.get("token-file"));
            try {
                token = Files.readString(file).strip();
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("--token-file " + file + " cannot be read (" + e + ")");
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException("--token-file " + file + " is empty");
            }
        } else if (o.containsKey("token")) {
            token = o.get("token");
        } else {
            token = env.get(TOKEN_ENV);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "no worker token: set " + TOKEN_ENV + " or give --token-file PATH (an administrator creates"
                            + " one: POST /api/tokens {\"name\": ..., \"scope\": \"worker\"})");
        }
        if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("the worker token has spaces or control characters in it");
        }
        return token;
    }

    /** {@code 0}, or a whole number with a unit: {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}. */
    static Duration duration(String text) {
        return io.sweeplab.core.launch.Durations.parse(text, "--retry-for");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "worker";
        }
    }
}
