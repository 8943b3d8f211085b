package io.sweeplab.core.launch;

import java.util.List;

/**
 * A launcher the platform offers or the configuration names: whether it is enabled, its settings when they are good,
 * and what keeps it from running (bad keys, a missing worker jar, no such launcher).
 */
public record LauncherStatus(String id, boolean enabled, LauncherSettings settings, List<String> problems) {

    public LauncherStatus {
        problems = List.copyOf(problems);
    }
}
