package io.sweeplab.core.plugin;

import io.sweeplab.plugin.api.PluginApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A plugin jar's descriptor, {@value PluginApi#DESCRIPTOR_PATH}, parsed strictly: required keys present, no unknown
 * keys (a misspelt key is an error, not a silent default), the id well-formed and the API range parseable.
 */
public record PluginDescriptor(String id, String version, String requiresApi, String description) {

    /** What a plugin id and an extension id look like: lower-case letters, digits and dashes, starting with a letter. */
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private static final Set<String> REQUIRED = Set.of("id", "version", "requires.api");
    private static final Set<String> OPTIONAL = Set.of("description");

    /** Parses a descriptor; the message of the exception says every problem found. */
    static PluginDescriptor parse(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(REQUIRED);
        unknown.removeAll(OPTIONAL);
        if (!unknown.isEmpty()) {
            problems.add("unknown keys " + unknown + " (allowed: id, version, requires.api, description)");
        }
        for (String key : new TreeSet<>(REQUIRED)) {
            if (p.getProperty(key, "").isBlank()) {
                problems.add("missing '" + key + "'");
            }
        }
        String id = p.getProperty("id", "").trim();
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            problems.add("id '" + id + "' must be lower-case letters, digits and dashes, starting with a letter");
        }
        String version = p.getProperty("version", "").trim();
        String range = p.getProperty("requires.api", "").trim();
        if (!range.isEmpty()) {
            try {
                VersionRange.parse(range);
            } catch (IllegalArgumentException e) {
                problems.add("requires.api: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid descriptor: " + String.join("; ", problems));
        }
        return new PluginDescriptor(
                id, version, range, p.getProperty("description", "").trim());
    }

    /** Whether this plugin works with the API version the platform provides. */
    boolean acceptsApi(String apiVersion) {
        return VersionRange.parse(requiresApi).contains(Version.parse(apiVersion));
    }
}
