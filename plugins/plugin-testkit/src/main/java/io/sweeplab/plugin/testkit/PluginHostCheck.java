package io.sweeplab.plugin.testkit;

import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads the jar an extension class comes from through the platform's own plugin host ({@link PluginLoader}), as
 * the platform loads a jar from its plugins directory: descriptor, API range, bundled platform classes, a class
 * loader of its own, the constructors and the metadata. When the class comes from a directory of compiled classes
 * (as in {@code mvn test}, before the jar exists) the directory is packed into a jar first, descriptor and
 * registrations included.
 */
final class PluginHostCheck {

    /** As long as the platform allows by default ({@code sweeplab.plugins.call-timeout}). */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(10);

    private static final String REGISTRATIONS = "META-INF/services/io.sweeplab.plugin.api.";

    private PluginHostCheck() {}

    /** The entries the host makes of the extension's jar: loaded, or refused with the host's reason. */
    static List<PluginEntry> load(Class<?> extensionClass) {
        Path location = location(extensionClass);
        try {
            Path dir = Files.createTempDirectory("sweeplab-contract");
            if (Files.isDirectory(location)) {
                PluginJarBuilder.create("plugin-under-test").classes(location).build(dir);
            } else {
                Files.copy(location, dir.resolve(location.getFileName()));
            }
            PluginRegistry registry = new PluginLoader(CALL_LIMIT).load(new NoBuiltIns(extensionClass), dir);
            return registry.entries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path location(Class<?> c) {
        try {
            URL url = c.getProtectionDomain().getCodeSource().getLocation();
            return Path.of(url.toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where " + c.getName() + " was loaded from", e);
        }
    }

    /**
     * The platform's class path as a plugin sees it: the test class path (with the API, DL4J and ND4J), minus the
     * registrations of the extensions under test, which would otherwise load twice, once as built-ins.
     */
    private static final class NoBuiltIns extends ClassLoader {
        NoBuiltIns(Class<?> extensionClass) {
            super("sweeplab-contract-platform", extensionClass.getClassLoader());
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith(REGISTRATIONS) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith(REGISTRATIONS) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
