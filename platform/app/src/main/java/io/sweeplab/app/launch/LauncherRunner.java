package io.sweeplab.app.launch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.core.launch.Launch;
import io.sweeplab.core.launch.LaunchOverview;
import io.sweeplab.core.launch.LaunchService;
import io.sweeplab.core.launch.LaunchState;
import io.sweeplab.core.launch.LauncherSettings;
import io.sweeplab.core.launch.LauncherStatus;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamStore;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.WorkerLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the enabled launchers ({@code sweeplab.launchers.<id>.enabled=true}): a {@link LaunchService#round} every
 * {@code sweeplab.launchers.interval}, on one platform instance at a time (a PostgreSQL advisory lock, released with
 * the connection of an instance that dies).
 */
@ApplicationScoped
public class LauncherRunner {

    private static final Logger LOG = Logger.getLogger(LauncherRunner.class);

    /** The advisory lock of launch rounds: one instance at a time. */
    static final long LOCK = 0x5357_4c4c_4155_4eL; // "SWLLAUN"

    private static final String PREFIX = "sweeplab.launchers.";

    private final PluginCatalog plugins;
    private final JdbcLaunchStore store;
    private final TeamStore teams;
    private final DataSource db;
    private final Config config;
    private final Duration interval;
    private final int port;
    private final MeterRegistry registry;
    private final Map<String, Map<LaunchState, Integer>> counts = new ConcurrentHashMap<>();
    private volatile List<LauncherStatus> statuses = List.of();
    private volatile LaunchService service;
    private volatile boolean haveProgram;
    private volatile List<String> readFor;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService thread;

    public LauncherRunner(
            PluginCatalog plugins,
            JdbcLaunchStore store,
            TeamStore teams,
            DataSource db,
            Config config,
            MeterRegistry registry,
            @ConfigProperty(name = "sweeplab.launchers.interval", defaultValue = "5s") Duration interval,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.plugins = plugins;
        this.store = store;
        this.teams = teams;
        this.db = db;
        this.config = config;
        this.registry = registry;
        this.interval = interval;
        this.port = port;
    }

    void start(@Observes StartupEvent event) {
        Optional<List<String>> program = defaultProgram();
        haveProgram = program.isPresent();
        service = new LaunchService(
                store,
                java.time.Clock.systemUTC(),
                program.orElse(List.of("sweeplab-worker")),
                "http://" + host() + ":" + port,
                slug -> teams.team(slug).map(Team::id).orElse(null));
        refreshStatuses();
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sweeplab-launchers");
            t.setDaemon(true);
            return t;
        });
        // the first round after the plugins directory was read: a launcher plugin installed there is found
        thread.scheduleWithFixedDelay(this::roundNow, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the launchers' keys and the installed launchers again (a plugin installed since is found), logging a
     * launcher whose state changed, and registering the gauges of one that runs.
     */
    private void refreshStatuses() {
        // the configuration does not change while the platform runs: read again only when the launchers do
        List<String> installed = plugins.registry().loaded(ExtensionType.LAUNCHER).stream()
                .map(e -> e.id() + "@" + e.version() + "/" + e.sha256())
                .toList();
        if (installed.equals(readFor)) {
            return;
        }
        readFor = installed;
        List<LauncherStatus> now = read();
        for (LauncherStatus s : now) {
            if (statuses.contains(s)) {
                continue;
            }
            if (!s.problems().isEmpty()) {
                LOG.errorf("SWL-LAUNCH-006 launcher %s is not run: %s", s.id(), String.join("; ", s.problems()));
            } else if (s.enabled()) {
                LOG.infof(
                        "SWL-LAUNCH-007 launcher %s runs: at most %d CPU and %d GPU workers",
                        s.id(), s.settings().maxWorkers(), s.settings().maxGpuWorkers());
                if (s.settings().command().isEmpty() && !haveProgram) {
                    // a launcher that runs a worker image (kubernetes) needs no command; one that runs a command does
                    LOG.warnf(
                            "SWL-LAUNCH-011 launcher %s has no command and no worker jar of this build was found:"
                                    + " workers it starts with a command run 'sweeplab-worker' from their PATH; build the"
                                    + " jar (./mvnw -pl platform/worker -am package) or set sweeplab.launchers.%s.command"
                                    + " (or sweeplab.launchers.worker-jar)",
                            s.id(), s.id());
                }
                if (gauged.add(s.id())) {
                    for (LaunchState state : List.of(LaunchState.PENDING, LaunchState.RUNNING)) {
                        Gauge.builder(
                                        "sweeplab.launcher.workers",
                                        this,
                                        r -> r.counts
                                                .getOrDefault(s.id(), Map.of())
                                                .getOrDefault(state, 0))
                                .description("workers a launcher started that have not ended, by state")
                                .tags("launcher", s.id(), "state", state.jsonName())
                                .register(registry);
                    }
                }
            }
        }
        statuses = now;
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** Every launcher the configuration names or the plugins offer, enabled or not. */
    public List<LauncherStatus> statuses() {
        return statuses;
    }

    @jakarta.enterprise.inject.Produces
    @ApplicationScoped
    LaunchOverview overview() {
        return new LaunchOverview(this::statuses, store::recent);
    }

    /** One round now, if no other instance is in one; for the timer and for tests. */
    public synchronized void roundNow() {
        try {
            refreshStatuses();
        } catch (RuntimeException e) {
            LOG.warnf("SWL-LAUNCH-008 reading the launchers' settings failed: %s", e.getMessage());
            return;
        }
        List<LaunchService.Configured> run = installed();
        try {
            List<Launch> active = store.active();
            countActive(active);
            if (run.stream().noneMatch(LaunchService.Configured::enabled) && active.isEmpty()) {
                return; // nothing to launch and nothing to look after
            }
        } catch (RuntimeException e) {
            LOG.warnf("SWL-LAUNCH-008 a launch round failed: %s", e.getMessage());
            return;
        }
        // a transaction-level lock on a connection of its own: whatever happens to the round, ending the
        // transaction (or losing the connection) releases it, and the pool never gets a connection that holds it
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    return; // another instance runs the launchers now
                }
                LaunchService.Round r = service.round(run);
                if (!r.ended().isEmpty()) {
                    LOG.debugf("launches ended: %s", r.ended());
                }
            } finally {
                c.rollback(); // nothing was written on it: this ends the transaction and its lock
                c.setAutoCommit(true);
            }
            countActive(store.active());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("SWL-LAUNCH-008 a launch round failed: %s", e.getMessage());
        }
    }

    /** The gauges' numbers, on every instance (not only the one that ran the round). */
    private void countActive(List<Launch> active) {
        Map<String, Map<LaunchState, Integer>> now = new LinkedHashMap<>();
        for (Launch l : active) {
            now.computeIfAbsent(l.launcher(), k -> new ConcurrentHashMap<>()).merge(l.state(), 1, Integer::sum);
        }
        counts.keySet().retainAll(now.keySet());
        counts.putAll(now);
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(" + LOCK + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * The installed launchers with good settings: the enabled ones launch; the disabled ones have their workers
     * cancelled. A launcher enabled with bad settings is neither: its launches are left as they are.
     */
    private List<LaunchService.Configured> installed() {
        List<LaunchService.Configured> run = new ArrayList<>();
        for (LauncherStatus s : statuses) {
            if (s.settings() != null && s.problems().isEmpty()) {
                plugins.registry()
                        .find(ExtensionType.LAUNCHER, s.id())
                        .filter(PluginEntry::usable)
                        .ifPresent(e -> run.add(new LaunchService.Configured(
                                s.settings(), (WorkerLauncher) e.extension(), s.enabled())));
            }
        }
        return run;
    }

    /** The launchers' keys, as the configuration gives them (properties, environment variables, ...). */
    private List<LauncherStatus> read() {
        Map<String, PluginEntry> offered = new LinkedHashMap<>();
        for (PluginEntry e : plugins.registry().loaded(ExtensionType.LAUNCHER)) {
            offered.put(e.id(), e);
        }
        Set<String> named = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                String rest = name.substring(PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    named.add(rest.substring(0, dot));
                }
            }
        }
        List<LauncherStatus> out = new ArrayList<>();
        for (String id : Stream.concat(offered.keySet().stream(), named.stream())
                .distinct()
                .toList()) {
            String prefix = PREFIX + id + ".";
            boolean enabled = config.getOptionalValue(prefix + "enabled", String.class)
                    .map(v -> v.strip().equalsIgnoreCase("true"))
                    .orElse(false);
            PluginEntry entry = offered.get(id);
            if (entry == null) {
                if (enabled) {
                    out.add(new LauncherStatus(
                            id,
                            true,
                            null,
                            List.of("no launcher '" + id + "' is installed; installed: "
                                    + String.join(", ", offered.keySet()))));
                }
                continue;
            }
            Map<String, String> keys = new LinkedHashMap<>();
            Set<String> known = new TreeSet<>(LauncherSettings.COMMON_KEYS);
            for (ParamSpec p : entry.params().specs()) {
                known.add(LauncherSettings.kebab(p.name()));
            }
            known.addAll(unknownKeys(prefix, config.getPropertyNames(), known)); // refused by name below
            for (String k : known) {
                config.getOptionalValue(prefix + k, String.class).ifPresent(v -> keys.put(k, v));
            }
            LauncherSettings.Parsed p = LauncherSettings.parse(id, keys, entry.params());
            List<String> problems = new ArrayList<>(p.errors());
            if (p.settings() != null) {
                // the launcher's own checks across its parameters, as at launch
                try {
                    // guarded, as every call into an extension: a launcher that throws or hangs is not run
                    WorkerLauncher launcher = (WorkerLauncher) entry.extension();
                    var violations = io.sweeplab.core.plugin.Guard.call(
                            id + ".validate",
                            Duration.ofSeconds(10),
                            () -> launcher.validate(p.settings().params()));
                    for (var v : violations == null ? List.<io.sweeplab.plugin.api.ParamViolation>of() : violations) {
                        problems.add(prefix + LauncherSettings.kebab(v.param()) + ": " + v.message());
                    }
                } catch (io.sweeplab.core.plugin.Guard.PluginFailure e) {
                    problems.add(e.getMessage());
                }
            }
            out.add(new LauncherStatus(id, enabled, p.settings(), enabled ? List.copyOf(problems) : List.of()));
        }
        return List.copyOf(out);
    }

    /**
     * The keys under {@code prefix} that are none of {@code known}. An environment variable shows in the
     * configuration's names with its underscores turned into dots ({@code SWEEPLAB_LAUNCHERS_SLURM_MAX_WORKERS} as
     * {@code sweeplab.launchers.slurm.max.workers}): a name that is a known key so spelt is that key.
     */
    static Set<String> unknownKeys(String prefix, Iterable<String> names, Set<String> known) {
        Set<String> envForms = new java.util.HashSet<>();
        for (String k : known) {
            envForms.add(envForm(prefix + k));
        }
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                String key = name.substring(prefix.length());
                if (!known.contains(key) && !envForms.contains(envForm(name))) {
                    unknown.add(key);
                }
            }
        }
        return unknown;
    }

    private static String envForm(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The worker jar of this build with the platform's Java, if the jar is there. */
    private Optional<List<String>> defaultProgram() {
        Optional<Path> jar = config.getOptionalValue("sweeplab.launchers.worker-jar", String.class)
                .map(Path::of)
                .or(LauncherRunner::builtWorkerJar);
        return jar.filter(Files::isRegularFile)
                .map(j -> List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-jar",
                        j.toAbsolutePath().toString()));
    }

    /** {@code platform/worker/target/sweeplab-worker-<version>.jar}, beside the worker's classes or under the repository. */
    static Optional<Path> builtWorkerJar() {
        List<Path> places = new ArrayList<>();
        try {
            Path source = Path.of(io.sweeplab.worker.remote.RemoteWorker.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isDirectory(source)) {
                places.add(source.getParent()); // .../platform/worker/target/classes
            }
        } catch (Exception e) {
            // no code source: look in the repository only
        }
        places.add(Path.of(System.getProperty("user.dir"), "platform", "worker", "target"));
        for (Path dir : places) {
            try (Stream<Path> files = Files.list(dir)) {
                Optional<Path> jar = files.filter(f -> {
                            String n = f.getFileName().toString();
                            return n.startsWith("sweeplab-worker-") && n.endsWith(".jar") && !n.contains("-sources");
                        })
                        .findFirst();
                if (jar.isPresent()) {
                    return jar;
                }
            } catch (java.io.IOException e) {
                // not there
            }
        }
        return Optional.empty();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
