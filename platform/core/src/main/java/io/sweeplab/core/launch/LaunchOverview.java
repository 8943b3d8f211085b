package io.sweeplab.core.launch;

import io.sweeplab.core.access.Caller;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** The launchers and the workers they started, for administrators: one source for the API and the dashboard. */
public final class LaunchOverview {

    /** What administrators see: every launcher and the latest launches, newest first. */
    public record Overview(List<LauncherStatus> launchers, List<Launch> launches) {}

    static final int LATEST = 100;

    private final Supplier<List<LauncherStatus>> launchers;
    private final IntFunction<List<Launch>> recent;

    /** @param recent the latest n launches, newest first ({@link LaunchStore#recent}) */
    public LaunchOverview(Supplier<List<LauncherStatus>> launchers, IntFunction<List<Launch>> recent) {
        this.launchers = launchers;
        this.recent = recent;
    }

    public Overview overview(Caller caller) {
        caller.requireAdmin();
        return new Overview(launchers.get(), recent.apply(LATEST));
    }
}
