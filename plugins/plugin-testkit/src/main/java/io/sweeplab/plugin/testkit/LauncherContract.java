package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.api.WorkerLauncher.WorkerStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a {@link WorkerLauncher}: extend it in your tests and return your launcher.
 *
 * <pre>{@code
 * class PbsLauncherTest extends LauncherContract {
 *     protected WorkerLauncher launcher() {
 *         return new PbsLauncher();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it
 * asks, for the defaults and every bound of the schema, the state of no workers: the answer must be an empty map,
 * given without reaching the engine (this contract runs where there is none). What needs the engine (what
 * {@code launch} submits, how states map, that the token travels only in the environment) belongs in your own
 * tests, against a stand-in for the engine: {@link WorkerRequests} makes the requests the platform sends, with a
 * token to look for.
 */
public abstract class LauncherContract extends ExtensionContract<WorkerLauncher> {

    /** For subclasses. */
    protected LauncherContract() {}

    /** The launcher under test. */
    protected abstract WorkerLauncher launcher();

    @Override
    final WorkerLauncher extension() {
        return launcher();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return WorkerLauncher.class;
    }

    @TestFactory
    public Stream<DynamicTest> answersTheStateOfNoWorkersWithoutTheEngine() {
        return forEachCase("status of no workers", (ext, params) -> {
            Map<String, WorkerStatus> states = ext.status(params, List.of());
            assertNotNull(states, "status(params, []) returned null");
            assertTrue(states.isEmpty(), "status(params, []) answered states for no workers: " + states);
        });
    }
}
