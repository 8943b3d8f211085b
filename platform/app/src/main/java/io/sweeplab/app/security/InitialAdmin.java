package io.sweeplab.app.security;

import io.quarkus.runtime.StartupEvent;
import io.sweeplab.core.access.UserService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On the first start (no administrator yet) creates one: user {@code sweeplab.admin.username} (default
 * {@code admin}) with {@code SWEEPLAB_ADMIN_PASSWORD}, or with a one-time password printed once in the log.
 */
@ApplicationScoped
public class InitialAdmin {

    private static final Logger LOG = Logger.getLogger(InitialAdmin.class);

    void onStart(
            @Observes StartupEvent event,
            UserService users,
            @ConfigProperty(name = "sweeplab.admin.username", defaultValue = "admin") String username,
            @ConfigProperty(name = "sweeplab.admin.password") Optional<String> password) {
        users.ensureInitialAdmin(username, password)
                .ifPresentOrElse(
                        generated -> LOG.warnf(
                                "SWL-AUTH-001 created the administrator '%s' with the one-time password %s ; sign in at /login"
                                        + " and change it (this is the only time it is shown)",
                                username, generated),
                        () -> {});
    }
}
