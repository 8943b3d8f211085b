package io.sweeplab.app.security;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.sweeplab.app.db.EmbeddedPostgresConfigSourceFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Sign-in sessions are cookies encrypted with {@code quarkus.http.auth.session.encryption-key}. Quarkus makes up a
 * new key at each start when none is configured, which signs everybody out on every restart; so when none is
 * configured this source supplies one kept in {@code <sweeplab.home>/session.key} (created on first start,
 * readable by its owner only).
 */
public final class SessionKeyConfigSourceFactory implements ConfigSourceFactory {

    static final String KEY = "quarkus.http.auth.session.encryption-key";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (value(context, KEY) != null) {
            return List.of();
        }
        String home = value(context, "sweeplab.home");
        Path base = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".sweeplab");
        return List.of(new KeySource(base.resolve("session.key")));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }

    static final class KeySource implements ConfigSource {
        private final Path file;
        private volatile String key;

        KeySource(Path file) {
            this.file = file.toAbsolutePath().normalize();
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(KEY);
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of();
        }

        @Override
        public String getValue(String name) {
            if (!KEY.equals(name) || EmbeddedPostgresConfigSourceFactory.duringBuild()) {
                return null;
            }
            if (key == null) {
                key = readOrCreate(file);
            }
            return key;
        }

        @Override
        public String getName() {
            return "sweeplab-session-key";
        }

        @Override
        public int getOrdinal() {
            return 50;
        }

        /**
         * Several platform instances may share one home and start at once: the key is written whole to a file of
         * its own and then linked into place, which fails if another made it first (then theirs is used), so no
         * instance ever reads a key half written or one that another replaced.
         */
        static synchronized String readOrCreate(Path file) {
            try {
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    byte[] b = new byte[32];
                    new SecureRandom().nextBytes(b);
                    // a temporary file is readable by its owner only
                    Path made = Files.createTempFile(file.getParent(), ".session.key-", ".tmp");
                    try {
                        Files.writeString(made, Base64.getEncoder().encodeToString(b), StandardCharsets.US_ASCII);
                        try {
                            Files.createLink(file, made);
                        } catch (UnsupportedOperationException e) { // a file system without hard links
                            Files.move(made, file);
                        }
                    } catch (FileAlreadyExistsException e) {
                        // another instance made it first: use theirs
                    } finally {
                        Files.deleteIfExists(made);
                    }
                }
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create the session key " + file, e);
            }
        }
    }
}
