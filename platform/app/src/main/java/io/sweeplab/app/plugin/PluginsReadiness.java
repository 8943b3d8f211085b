package io.sweeplab.app.plugin;

import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginRegistry;
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

    private final PluginCatalog host;

    public PluginsReadiness(PluginCatalog host) {
        this.host = host;
    }

    @Override
    public HealthCheckResponse call() {
        PluginRegistry registry = host.registry();
        long loaded = registry.entries().stream().filter(PluginEntry::loaded).count();
        long refused = registry.entries().stream()
                .filter(e -> e.status() == PluginEntry.Status.REFUSED)
                .count();
        return HealthCheckResponse.named("plugins")
                .status(!registry.loaded(ExtensionType.ARCHITECTURE).isEmpty())
                .withData("loaded", loaded)
                .withData("refused", refused)
                .build();
    }
}
