/**
 * The Sweeplab plugin contract, version {@value io.sweeplab.plugin.api.PluginApi#VERSION}.
 *
 * <p>A plugin is a jar holding implementations of the extension points {@link io.sweeplab.plugin.api.Architecture},
 * {@link io.sweeplab.plugin.api.Callback}, {@link io.sweeplab.plugin.api.Visualizer},
 * {@link io.sweeplab.plugin.api.Dataset}, {@link io.sweeplab.plugin.api.SweepStrategy} and
 * {@link io.sweeplab.plugin.api.TrialScheduler}, registered in
 * {@code META-INF/services/<extension point>} (no classpath scanning, no dependency injection), and a descriptor
 * {@code META-INF/sweeplab-plugin.properties}:
 *
 * <pre>
 * id=my-plugins            # lower-case letters, digits, dashes
 * version=1.0.0
 * requires.api=[1,2)       # the API versions the plugin works with
 * description=optional text
 * </pre>
 *
 * <p>Each external plugin gets its own class loader, child-first except for the JDK, this API, DL4J, ND4J,
 * JavaCPP and SLF4J, which always come from the platform: a plugin must not bundle them.
 */
package io.sweeplab.plugin.api;
