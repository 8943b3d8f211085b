package io.sweeplab.app.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives the platform a database when none is configured: with no {@code quarkus.datasource.jdbc.url} (from any
 * source: environment, system properties, application.properties), it contributes a low-priority source whose
 * values start the shared {@link EmbeddedPostgresServer} the first time the URL is read at run time.
 *
 * <p>Keys: {@code sweeplab.db.embedded.enabled} (default true), {@code sweeplab.db.embedded.data-dir} (default
 * {@code <sweeplab.home>/postgres}, with {@code sweeplab.home} defaulting to {@code ~/.sweeplab}),
 * {@code sweeplab.db.embedded.port} (default 0: any free port).
 */
public final class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USER = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (value(context, URL) != null || "false".equalsIgnoreCase(value(context, "sweeplab.db.embedded.enabled"))) {
            return List.of();
        }
        String home = value(context, "sweeplab.home");
        Path base = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".sweeplab");
        String dir = value(context, "sweeplab.db.embedded.data-dir");
        String port = value(context, "sweeplab.db.embedded.port");
        return List.of(new LazySource(
                dir != null ? Path.of(dir) : base.resolve("postgres"), port == null ? 0 : Integer.parseInt(port)));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    /** Whether Quarkus is building (augmenting) the application rather than running it. */
    public static boolean duringBuild() {
        return LazySource.duringBuild();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }

    /** Starts the server only when a value is read at run time, never while Quarkus builds the application. */
    static final class LazySource implements ConfigSource {
        private static final Set<String> NAMES = Set.of(URL, USER, PASSWORD);
        private final Path dataDir;
        private final int port;

        LazySource(Path dataDir, int port) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
            this.port = port;
        }

        @Override
        public Set<String> getPropertyNames() {
            return NAMES;
        }

        @Override
        public Map<String, String> getProperties() {
            // Listing all properties must not start a server; values come through getValue.
            return Map.of();
        }

        @Override
        public String getValue(String name) {
            if (!NAMES.contains(name) || duringBuild()) {
                return null;
            }
            return switch (name) {
                case URL -> EmbeddedPostgresServer.sharedUrl(dataDir, port);
                case USER -> EmbeddedPostgresServer.USER;
                default -> EmbeddedPostgresServer.sharedPassword(dataDir, port);
            };
        }

        @Override
        public String getName() {
            return "sweeplab-embedded-postgres";
        }

        @Override
        public int getOrdinal() {
            return 50;
        }

        /**
         * The classes on the stack while Quarkus augments the application: it reads configuration then, and no
         * server belongs in that. (Run-time reads in test and dev mode pass through deployment-side interceptors
         * too, so the package alone does not tell.)
         */
        private static final Set<String> BUILD_FRAMES = Set.of(
                "io.quarkus.deployment.QuarkusAugmentor",
                // build steps run on threads of their own, where only the builder's frames show
                "io.quarkus.builder.BuildContext",
                "io.quarkus.deployment.ExtensionLoader",
                "io.quarkus.deployment.configuration.BuildTimeConfigurationReader");

        static boolean duringBuild() {
            return StackWalker.getInstance()
                    .walk(frames -> frames.anyMatch(f -> BUILD_FRAMES.contains(f.getClassName())));
        }
    }
}
