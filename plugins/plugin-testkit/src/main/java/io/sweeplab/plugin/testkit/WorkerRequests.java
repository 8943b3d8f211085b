package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.WorkerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Worker requests as the platform sends them to a {@link io.sweeplab.plugin.api.WorkerLauncher}, for its tests. */
public final class WorkerRequests {

    /** The token the requests carry: look for it anywhere but the worker's environment, where it must not be. */
    public static final String TOKEN = "swl_testkit0000000000000000000000000000000000";

    private WorkerRequests() {}

    /**
     * A request like the platform's: launch 1, 2 cores and 4096 MiB (a GPU worker: 1 GPU), a time limit of 2 hours,
     * the worker jar with the platform's Java, and the worker's usual options.
     */
    public static WorkerRequest of(WorkerRequest.Kind kind) {
        return new WorkerRequest(
                1,
                kind,
                kind == WorkerRequest.Kind.GPU ? 1 : 0,
                2,
                4096,
                Duration.ofHours(2),
                List.of(
                        "/usr/lib/jvm/java-17/bin/java",
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-jar",
                        "/opt/sweeplab/sweeplab-worker.jar"),
                List.of("--server", "http://platform:8080", "--idle-exit", "2m", "--slots", "1", "--threads", "2"),
                Map.of(WorkerRequest.TOKEN_ENV, TOKEN));
    }
}
