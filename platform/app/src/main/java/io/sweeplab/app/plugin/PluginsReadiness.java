package io.sweeplab.app.plugin;

import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once plugins are loaded and at least one architecture can be trained; refused plugins are counted. The
 * health endpoints are open to anyone, so they say nothing about the machine: no paths, no versions.
 */
@Readiness
@ApplicationScoped
public class PluginsReadiness implements HealthCheck {

    private final PluginHost host;

    public PluginsReadiness(PluginHost host) {
        this.host = host;
    }

    @Override
    public HealthCheckResponse call() {
        long loaded =
                host.registry().entries().stream().filter(PluginEntry::loaded).count();
        long refused = host.registry().entries().size() - loaded;
        return HealthCheckResponse.named("plugins")
                .status(!host.registry().loaded(ExtensionType.ARCHITECTURE).isEmpty())
                .withData("loaded", loaded)
                .withData("refused", refused)
                .build();
    }
}
