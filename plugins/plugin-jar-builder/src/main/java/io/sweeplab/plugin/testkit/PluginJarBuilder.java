package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.PluginApi;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar at test time: from Java sources, compiled against the current class path (which holds the
 * plugin API), or from a directory of compiled classes and resources such as {@code target/classes}; adds the
 * descriptor and the {@code META-INF/services} registrations, and writes the jar.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.create("acme")
 *         .source("com.acme.Stop", "package com.acme; public class Stop implements Callback { ... }")
 *         .service(Callback.class, "com.acme.Stop")
 *         .build(dir);
 * }</pre>
 */
public final class PluginJarBuilder {

    private final String name;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final Map<String, Set<String>> services = new LinkedHashMap<>();

    private PluginJarBuilder(String name) {
        this.name = name;
    }

    /** A builder for a jar named {@code <name>.jar}, with no descriptor yet. */
    public static PluginJarBuilder create(String name) {
        return new PluginJarBuilder(name);
    }

    /** Adds a well-formed descriptor with the given id and version, requiring {@code requiresApi}. */
    public PluginJarBuilder descriptor(String id, String version, String requiresApi) {
        return descriptorText("id=" + id + "\nversion=" + version + "\nrequires.api=" + requiresApi + "\n");
    }

    /** Adds a descriptor with exactly this text, well-formed or not. */
    public PluginJarBuilder descriptorText(String text) {
        return resource(PluginApi.DESCRIPTOR_PATH, text);
    }

    /** Adds a Java source file for the class with this fully qualified name. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Registers implementations of an extension point in {@code META-INF/services}. */
    public PluginJarBuilder service(Class<?> extensionPoint, String... implementations) {
        services.computeIfAbsent(extensionPoint.getName(), k -> new LinkedHashSet<>())
                .addAll(List.of(implementations));
        return this;
    }

    /** Adds any other file to the jar. */
    public PluginJarBuilder resource(String path, String text) {
        resources.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Adds every file under a directory of compiled classes and resources (for example {@code target/classes}),
     * at its path relative to the directory, descriptor and {@code META-INF/services} files included.
     */
    public PluginJarBuilder classes(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                resources.put(dir.relativize(p).toString().replace(File.separatorChar, '/'), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Compiles the sources and writes {@code <dir>/<name>.jar}; returns its path. */
    public Path build(Path dir) {
        try {
            Files.createDirectories(dir);
            Path work = Files.createTempDirectory("plugin-" + name);
            Path src = work.resolve("src");
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                files.add(file.toString());
            }
            if (!files.isEmpty()) {
                compile(files, classes);
            }
            Path jar = dir.resolve(name + ".jar");
            try (OutputStream out = Files.newOutputStream(jar);
                    JarOutputStream jos = new JarOutputStream(out)) {
                try (Stream<Path> walk = Files.walk(classes)) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        put(
                                jos,
                                classes.relativize(p).toString().replace(File.separatorChar, '/'),
                                Files.readAllBytes(p));
                    }
                }
                Map<String, byte[]> entries = new LinkedHashMap<>(resources);
                for (Map.Entry<String, Set<String>> e : services.entrySet()) {
                    byte[] added = (String.join("\n", e.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
                    entries.merge("META-INF/services/" + e.getKey(), added, PluginJarBuilder::concat);
                }
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    put(jos, e.getKey(), e.getValue());
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(List<String> files, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        List<String> args = new ArrayList<>(List.of(
                "-d", classes.toString(), "-classpath", classPath(), "--release", "17", "-proc:none", "-nowarn"));
        args.addAll(files);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, err, err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException(
                    "fixture plugin sources do not compile:\n" + err.toString(StandardCharsets.UTF_8));
        }
    }

    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>(
                List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        try {
            entries.add(Path.of(PluginApi.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        } catch (URISyntaxException | NullPointerException e) {
            // the class path above is all we have
        }
        return String.join(File.pathSeparator, entries);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        String text = new String(first, StandardCharsets.UTF_8);
        return (text.isEmpty() || text.endsWith("\n") ? text : text + "\n")
                .concat(new String(second, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void put(JarOutputStream jos, String path, byte[] bytes) throws IOException {
        JarEntry entry = new JarEntry(path);
        entry.setTime(0);
        jos.putNextEntry(entry);
        jos.write(bytes);
        jos.closeEntry();
    }
}
