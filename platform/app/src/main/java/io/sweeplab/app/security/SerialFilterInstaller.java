package io.sweeplab.app.security;

import io.quarkus.runtime.StartupEvent;
import io.sweeplab.core.security.SerialFilter;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/**
 * Installs the JVM-wide {@link SerialFilter} first thing at start-up: before the HTTP server takes requests (uploads)
 * and before the embedded worker resumes any run.
 */
@Singleton
public class SerialFilterInstaller {

    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        SerialFilter.install();
    }
}
