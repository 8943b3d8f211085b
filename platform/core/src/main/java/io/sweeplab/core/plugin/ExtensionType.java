package io.sweeplab.core.plugin;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.TrialScheduler;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.WorkerLauncher;
import java.util.Locale;
import java.util.Optional;

/** The extension points of the plugin API, as the host and the REST API name them. */
public enum ExtensionType {
    ARCHITECTURE(Architecture.class),
    CALLBACK(Callback.class),
    VISUALIZER(Visualizer.class),
    DATASET(Dataset.class),
    STRATEGY(SweepStrategy.class),
    SCHEDULER(TrialScheduler.class),
    LAUNCHER(WorkerLauncher.class);

    private final Class<? extends Extension> api;

    ExtensionType(Class<? extends Extension> api) {
        this.api = api;
    }

    public Class<? extends Extension> api() {
        return api;
    }

    /** The lower-case name used in JSON, for example {@code architecture}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ExtensionType> fromJsonName(String name) {
        for (ExtensionType t : values()) {
            if (t.jsonName().equalsIgnoreCase(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
