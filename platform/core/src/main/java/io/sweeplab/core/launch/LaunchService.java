package io.sweeplab.core.launch;

import io.sweeplab.core.access.Tokens;
import io.sweeplab.core.plugin.Guard;
import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.api.WorkerLauncher.WorkerStatus;
import io.sweeplab.plugin.api.WorkerRequest;
import io.sweeplab.plugin.api.WorkerRequest.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Starts workers through the configured launchers when jobs wait: one {@link #round} at a time (the platform runs
 * one every few seconds, on one instance). A round first asks each launcher how its workers are (an ended one has its
 * token revoked), then, per queue, launches as many workers as there are queued jobs that no idle launched worker
 * will take, up to each launcher's most. It never stops a worker: workers exit by themselves when idle.
 */
public final class LaunchService {

    private static final System.Logger LOG = System.getLogger(LaunchService.class.getName());
    /** The longest one call into a launcher may take (a Slurm launcher's call runs up to three commands). */
    static final Duration CALL_LIMIT = Duration.ofMinutes(3);

    /** How long past its time limit a launch may still be active before its token ends anyway. */
    static final Duration PAST_TIME_LIMIT = Duration.ofMinutes(15);

    /** What a submission older than the call limit must also be older than to count as left behind. */
    static final Duration SUBMIT_MARGIN = Duration.ofMinutes(1);

    /**
     * An installed launcher with good settings: enabled, it launches; disabled, its workers still running are
     * cancelled (and their tokens revoked).
     */
    public record Configured(LauncherSettings settings, WorkerLauncher launcher, boolean enabled) {
        public Configured(LauncherSettings settings, WorkerLauncher launcher) {
            this(settings, launcher, true);
        }

        public String id() {
            return settings.id();
        }
    }

    /** What one round did, for logs and tests. */
    public record Round(List<Launch> launched, List<Long> ended) {}

    /** Launches in a row that end without their worker registering before the launcher waits. */
    static final int FAILURES_BEFORE_BACKOFF = 3;

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration LONGEST_BACKOFF = Duration.ofMinutes(30);

    private final LaunchStore store;
    private final java.time.Clock clock;
    private final Map<String, Integer> warnedStreaks = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> unmanaged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> defaultCommand;
    private final String defaultServer;
    private final Function<String, Long> teamIds;

    /**
     * @param defaultCommand the worker jar of this build with the platform's Java, for launchers given no command
     * @param defaultServer this platform's address, for launchers given no {@code server}
     * @param teamIds a team's id by its slug, or null when there is none
     */
    public LaunchService(
            LaunchStore store,
            java.time.Clock clock,
            List<String> defaultCommand,
            String defaultServer,
            Function<String, Long> teamIds) {
        this.store = store;
        this.clock = clock;
        this.defaultCommand = List.copyOf(defaultCommand);
        this.defaultServer = defaultServer;
        this.teamIds = teamIds;
    }

    public Round round(List<Configured> launchers) {
        Map<String, Configured> byId =
                launchers.stream().collect(Collectors.toMap(Configured::id, c -> c, (a, b) -> a, LinkedHashMap::new));
        List<Long> ended = new ArrayList<>();
        List<Launch> active = new ArrayList<>();
        Map<String, List<Launch>> submitted = new LinkedHashMap<>();
        java.time.Instant now = clock.instant();
        for (Launch l : store.active()) {
            Configured c = byId.get(l.launcher());
            if (l.state() == LaunchState.SUBMITTING) {
                // a submission takes at most the call limit: an older one was left by a platform that stopped; a
                // younger one may be another instance's, mid-round, so it counts as a worker on its way
                if (l.createdAt().plus(CALL_LIMIT).plus(SUBMIT_MARGIN).isBefore(now)) {
                    end(l, "the platform stopped while submitting it", true, ended);
                } else {
                    active.add(l);
                }
            } else if (c == null) {
                // not installed, or its settings are bad (on this instance, maybe only for now): its workers and
                // their tokens are left as they are, to be looked after when it runs again
                if (unmanaged.add(l.launcher())) {
                    warn(
                            "SWL-LAUNCH-013 launches of launcher %s are left as they are: it is not installed here, or"
                                    + " its settings are bad; they are looked after again once it runs or is disabled",
                            l.launcher());
                }
            } else if (!c.enabled()) {
                cancel(c, l, "its launcher was disabled", ended);
            } else if (c.settings().timeLimit() != null
                    && l.createdAt()
                            .plus(c.settings().timeLimit())
                            .plus(PAST_TIME_LIMIT)
                            .isBefore(now)) {
                // the engine should have stopped it long ago; whether or not it can be asked, its token ends now
                if (!cancel(c, l, "past its time limit", ended)) {
                    end(l, "past its time limit (the engine could not be told)", true, ended);
                }
            } else {
                unmanaged.remove(l.launcher());
                submitted.computeIfAbsent(l.launcher(), k -> new ArrayList<>()).add(l);
                active.add(l);
            }
        }
        for (Map.Entry<String, List<Launch>> e : submitted.entrySet()) {
            Configured c = byId.get(e.getKey());
            List<String> ids = e.getValue().stream().map(Launch::externalId).toList();
            Map<String, WorkerStatus> states;
            try {
                states = Guard.call(
                        c.id() + ".status",
                        CALL_LIMIT,
                        () -> c.launcher().status(c.settings().params(), ids));
                if (states == null) {
                    throw new Guard.PluginFailure(c.id() + ".status answered nothing", null);
                }
            } catch (Guard.PluginFailure ex) {
                warn(
                        "SWL-LAUNCH-003 launcher %s could not say how its %d workers are: %s",
                        c.id(), ids.size(), ex.getMessage());
                continue;
            }
            for (Launch l : e.getValue()) {
                WorkerStatus s = states.get(l.externalId());
                if (s == null && !MISSING.equals(l.detail())) {
                    // once missing from an answer may be the engine's hiccup: ended only when missing twice
                    store.status(l.id(), l.state(), MISSING);
                    active.set(active.indexOf(l), with(l, l.state(), MISSING));
                } else if (s == null || s.state() == WorkerLauncher.State.ENDED) {
                    String detail =
                            s == null ? "unknown to the engine" : s.detail().isEmpty() ? "ended" : s.detail();
                    end(l, detail, false, ended);
                    active.remove(l);
                    info(
                            "SWL-LAUNCH-004 worker %s (%s %s) ended: %s; its token is revoked",
                            l.workerName(), c.id(), l.externalId(), detail);
                } else {
                    LaunchState state =
                            s.state() == WorkerLauncher.State.RUNNING ? LaunchState.RUNNING : LaunchState.PENDING;
                    if (state != l.state() || !Objects.equals(s.detail(), l.detail())) {
                        store.status(l.id(), state, s.detail());
                        active.set(active.indexOf(l), with(l, state, s.detail()));
                    }
                }
            }
        }

        List<Launch> launched = new ArrayList<>();
        // launchers of one team share its queue: each takes what the ones before it left, in configuration order
        Map<String, List<Configured>> byTeam = new LinkedHashMap<>();
        for (Configured c : launchers) {
            if (c.enabled()) {
                byTeam.computeIfAbsent(Objects.toString(c.settings().team(), ""), k -> new ArrayList<>())
                        .add(c);
            }
        }
        // the jobs of a team with launchers of its own are theirs: team-less launchers leave them
        java.util.Set<Long> ownLaunchers = new java.util.HashSet<>();
        for (String team : byTeam.keySet()) {
            Long id = team.isEmpty() ? null : teamIds.apply(team);
            if (id != null) {
                ownLaunchers.add(id);
            }
        }
        for (List<Configured> group : byTeam.values()) {
            String team = group.get(0).settings().team();
            Long teamId = team == null ? null : teamIds.apply(team);
            if (team != null && teamId == null) {
                warn(
                        "SWL-LAUNCH-005 launchers %s name team '%s', which does not exist: they launch nothing",
                        group.stream().map(Configured::id).toList(), team);
                continue;
            }
            LaunchStore.Demand demand = store.demand(teamId, teamId == null ? ownLaunchers : java.util.Set.of());
            for (Kind kind : Kind.values()) {
                int queued = demand.queued(kind);
                Map<String, Integer> running = new HashMap<>();
                int idle = 0;
                for (Launch l : active) {
                    if (l.kind() == kind && group.stream().anyMatch(c -> c.id().equals(l.launcher()))) {
                        running.merge(l.launcher(), 1, Integer::sum);
                        if (!demand.busy().contains(l.id())) {
                            idle++;
                        }
                    }
                }
                int need = queued - idle;
                if (need < 0) {
                    cancelSurplus(group, kind, active, demand, -need, queued, ended);
                    continue;
                }
                for (Configured c : group) {
                    if (need <= 0) {
                        break;
                    }
                    if (backingOff(c)) {
                        continue; // its workers keep failing to start: the next launcher of the group, if any
                    }
                    int room = c.settings().max(kind) - running.getOrDefault(c.id(), 0);
                    int here = 0;
                    while (here < Math.min(room, need)) {
                        Launch l = launch(c, kind, teamId);
                        if (l == null) {
                            break; // the engine refused: the next launcher of the group, or the next round
                        }
                        launched.add(l);
                        here++;
                    }
                    need -= here;
                }
            }
        }
        return new Round(List.copyOf(launched), List.copyOf(ended));
    }

    /** What a launch's detail says while it was missing from the engine's last answer. */
    static final String MISSING = "missing from the engine's last answer";

    private static Launch with(Launch l, LaunchState state, String detail) {
        return new Launch(
                l.id(), l.launcher(), l.kind(), l.externalId(), l.workerName(), state, detail, l.createdAt(), null);
    }

    /** Cancels a worker in the engine and ends its launch; a cancel that fails is tried again next round. */
    private boolean cancel(Configured c, Launch l, String why, List<Long> ended) {
        if (l.externalId() != null && !cancelInEngine(c, l.externalId())) {
            return false;
        }
        end(l, why, true, ended);
        info("SWL-LAUNCH-009 cancelled worker %s (%s %s): %s", l.workerName(), c.id(), l.externalId(), why);
        return true;
    }

    /**
     * Whether a launcher waits before launching again: its last {@value #FAILURES_BEFORE_BACKOFF} or more launches
     * ended (or were refused) without their worker ever registering, a misconfiguration (a wrong image, command,
     * server address or account) that launching again at once would only repeat. It waits 30 s after the last such
     * end, doubling with each further one up to 30 min; a worker that registers ends the streak.
     */
    private boolean backingOff(Configured c) {
        int streak = 0;
        java.time.Instant last = null;
        for (LaunchStore.Ended e : store.lastEnded(c.id(), 10)) {
            if (e.byPlatform()) {
                continue; // the platform's own ends say nothing about the workers
            }
            if (e.registered()) {
                break;
            }
            streak++;
            last = last == null ? e.endedAt() : last;
        }
        if (streak < FAILURES_BEFORE_BACKOFF) {
            warnedStreaks.remove(c.id());
            return false;
        }
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(16, streak - FAILURES_BEFORE_BACKOFF));
        wait = wait.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : wait;
        if (last != null && clock.instant().isBefore(last.plus(wait))) {
            if (!Integer.valueOf(streak).equals(warnedStreaks.put(c.id(), streak))) {
                warn(
                        "SWL-LAUNCH-012 launcher %s: the last %d workers it started ended without registering (see"
                                + " GET /api/launchers for what the engine said): it waits %s before launching again",
                        c.id(), streak, Durations.format(wait));
            }
            return true;
        }
        return false;
    }

    /**
     * More workers wait in the engine's queue than jobs in the platform's (jobs were cancelled, or taken by other
     * workers): cancels the newest of those still pending (by the engine's answer of this round), so that they never
     * start only to exit. Workers already running are left to exit when idle.
     */
    private void cancelSurplus(
            List<Configured> group,
            Kind kind,
            List<Launch> active,
            LaunchStore.Demand demand,
            int surplus,
            int queued,
            List<Long> ended) {
        List<Launch> pending = new ArrayList<>(active.stream()
                .filter(l -> l.kind() == kind
                        && l.state() == LaunchState.PENDING
                        && !demand.busy().contains(l.id()))
                .filter(l -> group.stream().anyMatch(c -> c.id().equals(l.launcher())))
                .toList());
        java.util.Collections.reverse(pending);
        for (Launch l : pending.subList(0, Math.min(surplus, pending.size()))) {
            Configured c = group.stream()
                    .filter(x -> x.id().equals(l.launcher()))
                    .findFirst()
                    .orElseThrow();
            if (cancel(c, l, "cancelled while pending: " + queued + " job(s) wait for its queue", ended)) {
                active.remove(l);
            }
        }
    }

    private void end(Launch l, String detail, boolean byPlatform, List<Long> ended) {
        if (store.end(l.id(), detail, byPlatform)) {
            ended.add(l.id());
        }
    }

    /** Submits one worker with a token of its own; null when the launcher failed (the token is revoked then). */
    private Launch launch(Configured c, Kind kind, Long teamId) {
        LauncherSettings s = c.settings();
        String secret = Tokens.newSecret();
        Launch l = store.create(c.id(), kind, teamId, Tokens.hash(secret));
        WorkerRequest request = new WorkerRequest(
                l.id(),
                kind,
                kind == Kind.GPU ? s.gpus() : 0,
                s.cpus(),
                s.memoryMb(),
                s.timeLimit(),
                program(s, kind),
                arguments(s),
                Map.of(WorkerRequest.TOKEN_ENV, secret));
        try {
            WorkerLauncher.Launched w = Guard.call(
                    c.id() + ".launch", CALL_LIMIT, () -> c.launcher().launch(s.params(), request));
            if (w == null) {
                throw new Guard.PluginFailure("the launcher returned no worker", null);
            }
            if (w.id().length() > 200 || w.workerName().length() > 200) {
                cancelInEngine(c, w.id());
                throw new Guard.PluginFailure("the launcher answered an id or name longer than 200 characters", null);
            }
            boolean recorded;
            try {
                recorded = store.submitted(l.id(), w.id(), w.workerName());
            } catch (RuntimeException ex) {
                recorded = false;
                warn("SWL-LAUNCH-014 launch %d could not be recorded: %s", l.id(), ex.getMessage());
            }
            if (!recorded) {
                // ended meanwhile (another instance took it for left behind): the engine's job must not live on
                cancelInEngine(c, w.id());
                store.end(l.id(), "submitted, but not recorded in time: cancelled", true);
                return null;
            }
            info(
                    "SWL-LAUNCH-001 launched %s worker %s through %s (%s), launch %d",
                    kind.name().toLowerCase(java.util.Locale.ROOT), w.workerName(), c.id(), w.id(), l.id());
            return new Launch(
                    l.id(), l.launcher(), kind, w.id(), w.workerName(), LaunchState.PENDING, "", l.createdAt(), null);
        } catch (Guard.PluginFailure ex) {
            store.end(l.id(), "not submitted: " + ex.getMessage(), false);
            warn(
                    "SWL-LAUNCH-002 launcher %s could not submit a %s worker: %s",
                    c.id(), kind.name().toLowerCase(java.util.Locale.ROOT), ex.getMessage());
            return null;
        }
    }

    /** Asks the engine to cancel a worker; false (logged) when it could not. */
    private boolean cancelInEngine(Configured c, String externalId) {
        try {
            Guard.call(c.id() + ".cancel", CALL_LIMIT, () -> {
                c.launcher().cancel(c.settings().params(), externalId);
                return null;
            });
            return true;
        } catch (Guard.PluginFailure ex) {
            warn("SWL-LAUNCH-010 launcher %s could not cancel worker %s: %s", c.id(), externalId, ex.getMessage());
            return false;
        }
    }

    /** The worker's program: the configured one, or the worker jar of this build with the platform's Java. */
    List<String> program(LauncherSettings s, Kind kind) {
        return kind == Kind.GPU && !s.gpuCommand().isEmpty()
                ? s.gpuCommand()
                : s.command().isEmpty() ? defaultCommand : s.command();
    }

    /** The worker's options: where the platform is, when to exit, one run at a time, and the operator's own. */
    List<String> arguments(LauncherSettings s) {
        List<String> cmd = new ArrayList<>(List.of(
                "--server",
                s.server() == null ? defaultServer : s.server(),
                "--idle-exit",
                Durations.format(s.idleExit()),
                "--slots",
                "1",
                "--threads",
                String.valueOf(s.cpus())));
        cmd.addAll(s.workerArgs());
        return List.copyOf(cmd);
    }

    private static void warn(String format, Object... args) {
        LOG.log(System.Logger.Level.WARNING, () -> String.format(format, args));
    }

    private static void info(String format, Object... args) {
        LOG.log(System.Logger.Level.INFO, () -> String.format(format, args));
    }
}
