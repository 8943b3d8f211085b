package io.sweeplab.plugin.api;

/**
 * The version of this plugin contract.
 *
 * <p>A plugin jar declares the API versions it works with in its descriptor
 * ({@value #DESCRIPTOR_PATH}, key {@code requires.api}, a range such as {@code [1,2)}); the host refuses a plugin
 * whose range does not contain {@link #VERSION}. Within a major version the API only grows, and grows by default
 * methods, so a plugin built against 1.0 keeps working on 1.x. See {@code CHANGELOG.md} of this module.
 */
public final class PluginApi {

    /** The version of the API this jar provides, {@code major.minor}. */
    public static final String VERSION = "1.4";

    /** Where a plugin jar keeps its descriptor. */
    public static final String DESCRIPTOR_PATH = "META-INF/sweeplab-plugin.properties";

    private PluginApi() {}
}
