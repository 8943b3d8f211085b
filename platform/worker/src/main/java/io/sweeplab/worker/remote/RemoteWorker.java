package io.sweeplab.worker.remote;

import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.security.SerialFilter;
import io.sweeplab.worker.data.FashionMnist;
import io.sweeplab.worker.data.FashionMnistLoader;
import io.sweeplab.worker.loop.WorkerLoop;
import io.sweeplab.worker.train.Backend;
import io.sweeplab.worker.train.Devices;
import io.sweeplab.worker.train.EngineRegistry;
import io.sweeplab.worker.train.Trainer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A worker on another machine: {@code java --add-modules jdk.incubator.vector -jar sweeplab-worker.jar --server
 * http://platform:8080 --token T}. It talks to the platform only over HTTP, trains with the built-in plugins and
 * those in {@code --plugins-dir}, and on SIGTERM hands its running jobs back to the queue.
 */
public final class RemoteWorker {

    static final String USAGE = """
            usage: sweeplab-worker --server URL --token TOKEN [options]
              --server URL        the platform, for example http://platform:8080 (required)
              --token TOKEN       the platform's worker token (or env SWEEPLAB_WORKER_TOKEN)
              --name NAME         how the worker is listed (default: host name)
              --slots N           runs trained at once (default 1)
              --threads N         CPU threads per run (default: cores / slots)
              --engine E          auto (the fast engine where it applies on the CPU, DL4J otherwise and
                                  on CUDA), fast (the fast engine where it applies, even on CUDA) or dl4j
                                  (default auto)
              --work-dir DIR      local checkpoints (default ~/.sweeplab-worker)
              --dataset-dir DIR   Fashion-MNIST files (default: the Debian package, then the work dir)
              --plugins-dir DIR   external plugin jars (default: none)
            """;

    private RemoteWorker() {}

    public static void main(String[] args) throws Exception {
        SerialFilter.install(); // before anything could read a checkpoint
        Map<String, String> o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sweeplab-worker: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        int slots = Integer.parseInt(o.getOrDefault("slots", "1"));
        int threads = Integer.parseInt(o.getOrDefault(
                "threads", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / slots))));
        Path work = Path.of(o.getOrDefault("work-dir", System.getProperty("user.home") + "/.sweeplab-worker"));
        String name = o.getOrDefault("name", host());

        PluginRegistry plugins = new PluginLoader(Duration.ofSeconds(10))
                .load(
                        RemoteWorker.class.getClassLoader(),
                        o.containsKey("plugins-dir") ? Path.of(o.get("plugins-dir")) : null);
        Trainer trainer;
        try {
            trainer = new Trainer(plugins, Duration.ofSeconds(10), o.getOrDefault("engine", "auto"), threads);
        } catch (IllegalStateException e) {
            System.err.println("sweeplab-worker: " + e.getMessage());
            System.exit(3);
            return;
        }
        boolean cuda = Backend.detect() == Backend.CUDA;
        FashionMnistLoader loader = new FashionMnistLoader(
                Optional.ofNullable(o.get("dataset-dir")).map(Path::of),
                Path.of(FashionMnistLoader.DEBIAN_DIR),
                work.resolve("datasets"),
                Optional.of(FashionMnistLoader.OFFICIAL));
        FashionMnist[] data = new FashionMnist[1];

        HttpChannel channel = new HttpChannel(URI.create(o.get("server")), o.get("token"));
        String id = "remote@" + name + "-" + HexFormat.of().formatHex(randomBytes());
        WorkerInfo me = WorkerInfo.announce(
                id,
                name,
                "remote",
                cuda ? "cuda" : "cpu",
                cuda ? trainer.device() : Devices.describe(threads),
                threads,
                null,
                null,
                slots);
        channel.register(me); // learns the lease
        WorkerLoop loop = new WorkerLoop(
                me,
                channel,
                () -> trainer,
                () -> {
                    synchronized (data) {
                        if (data[0] == null) {
                            data[0] = loader.load();
                        }
                        return data[0];
                    }
                },
                work,
                channel.lease(),
                Duration.ofSeconds(1));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            loop.stop();
                            done.countDown();
                        },
                        "sweeplab-worker-shutdown"));
        loop.start();
        System.out.println("SWL-WORKER-050 worker " + id + " serving " + o.get("server"));
        done.await();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        java.util.Set<String> known = java.util.Set.of(
                "server", "token", "name", "slots", "threads", "engine", "work-dir", "dataset-dir", "plugins-dir");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            o.put(a.substring(2), args[++i]);
        }
        if (!o.containsKey("token") && System.getenv("SWEEPLAB_WORKER_TOKEN") != null) {
            o.put("token", System.getenv("SWEEPLAB_WORKER_TOKEN"));
        }
        if (!o.containsKey("server")) {
            throw new IllegalArgumentException("--server is required");
        }
        if (!o.containsKey("token")) {
            throw new IllegalArgumentException("--token (or SWEEPLAB_WORKER_TOKEN) is required");
        }
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
        return o;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "worker";
        }
    }
}
