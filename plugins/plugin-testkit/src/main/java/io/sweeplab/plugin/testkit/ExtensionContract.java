package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sweeplab.core.plugin.PluginDescriptor;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every extension's contract checks: its metadata, its parameter schema, and that its jar loads through the
 * platform's own plugin host. Extend {@link ArchitectureContract}, {@link CallbackContract},
 * {@link VisualizerContract}, {@link StrategyContract} or {@link SchedulerContract} rather than this class.
 *
 * <p>The schema's <em>cases</em> are the parameter values the type-specific checks run with: the defaults (with
 * {@link #requiredParams()} for parameters without one), then for each numeric parameter its minimum and its
 * maximum with the others at their defaults. A case that the extension's own {@link Extension#validate} refuses is
 * skipped (the platform would refuse it at launch), with the reason.
 *
 * @param <T> the extension point
 */
public abstract class ExtensionContract<T extends Extension> {

    ExtensionContract() {}

    /** The extension under test, made as the host makes it (a new instance per call is fine). */
    abstract T extension();

    /**
     * Values for the parameters that have no default, so that the defaults case validates; none by default.
     * Override when the schema has required parameters.
     */
    protected Map<String, Object> requiredParams() {
        return Map.of();
    }

    /** The platform's rule for ids: lower-case letters, digits and dashes, starting with a letter, at most 64. */
    @Test
    public void idIsWellFormed() {
        String id = extension().id();
        assertNotNull(id, "id() returned null");
        assertTrue(
                PluginDescriptor.ID.matcher(id).matches(),
                "id '" + id + "' must be lower-case letters, digits and dashes, starting with a letter, at most 64");
    }

    /** A label for the dashboard, a version recorded with each run, and a description of what it does. */
    @Test
    public void labelVersionAndDescriptionAreGiven() {
        T ext = extension();
        assertTrue(ext.label() != null && !ext.label().isBlank(), "label() is empty");
        String version = ext.version();
        assertTrue(version != null && !version.isBlank(), "version() is empty");
        assertEquals(version.strip(), version, "version() has surrounding spaces");
        assertTrue(
                ext.description() != null && !ext.description().isBlank(),
                "description() is empty: say in a sentence what " + ext.id() + " does");
    }

    /** Metadata is read once by the host; it must not change between calls or instances. */
    @Test
    public void metadataIsStable() {
        T a = extension();
        T b = extension();
        assertEquals(a.id(), b.id(), "id()");
        assertEquals(a.version(), b.version(), "version()");
        assertEquals(a.params(), b.params(), "params()");
        assertEquals(a.params(), a.params(), "params()");
    }

    /** Each parameter documents itself and its bounds and choices fit its type. */
    @Test
    public void schemaIsConsistent() {
        ParamSchema schema = extension().params();
        assertNotNull(schema, "params() returned null");
        for (ParamSpec spec : schema.specs()) {
            String at = "parameter '" + spec.name() + "': ";
            assertFalse(spec.description().isBlank(), at + "has no description (the dashboard shows it as help)");
            boolean numeric = spec.type() == ParamType.INT
                    || spec.type() == ParamType.DOUBLE
                    || spec.type() == ParamType.INT_LIST;
            if (!numeric) {
                assertTrue(spec.min() == null && spec.max() == null, at + "bounds only apply to numbers");
            }
            for (Double bound : new Double[] {spec.min(), spec.max()}) {
                if (bound != null) {
                    assertTrue(Double.isFinite(bound), at + "bound " + bound + " is not finite");
                    if (spec.type() != ParamType.DOUBLE) {
                        assertEquals(Math.rint(bound), bound, at + "bound " + bound + " of whole numbers");
                        assertTrue(Math.abs(bound) <= Integer.MAX_VALUE, at + "bound " + bound + " is not an int");
                    }
                }
            }
            if (spec.type() == ParamType.CHOICE) {
                assertEquals(
                        spec.choices().size(),
                        new HashSet<>(spec.choices()).size(),
                        at + "choices repeat: " + spec.choices());
                assertTrue(spec.choices().stream().noneMatch(c -> c == null || c.isBlank()), at + "blank choice");
            } else {
                assertTrue(spec.choices().isEmpty(), at + "choices only apply to choice parameters");
            }
            if (spec.type() == ParamType.INT_LIST && spec.defaultValue() != null) {
                assertFalse(((List<?>) spec.defaultValue()).isEmpty(), at + "default list is empty");
            }
        }
    }

    /** The defaults (with {@link #requiredParams()}) pass the schema and the extension's own checks. */
    @Test
    public void defaultsValidate() {
        T ext = extension();
        ParamSchema.Validation v = ext.params().validate(requiredParams());
        assertTrue(v.valid(), "the defaults do not validate: " + v.violations());
        List<ParamViolation> own = ext.validate(v.params());
        assertTrue(own.isEmpty(), "the extension refuses its own defaults: " + own);
    }

    /** Every bound of every numeric parameter passes the schema (the dashboard offers it). */
    @TestFactory
    public Stream<DynamicTest> boundsValidateAgainstTheSchema() {
        T ext = extension();
        return SchemaCases.of(ext.params(), requiredParams()).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    ParamSchema.Validation v = ext.params().validate(c.values());
                    assertTrue(v.valid(), c.name() + " does not validate: " + v.violations());
                }));
    }

    /** The jar (the compiled classes with the descriptor and registrations) loads through the platform's host. */
    @Test
    public void loadsThroughThePlatformHost() {
        T ext = extension();
        List<PluginEntry> entries = PluginHostCheck.load(ext.getClass());
        List<PluginEntry> refused = entries.stream().filter(e -> !e.loaded()).toList();
        if (!refused.isEmpty()) {
            fail("the platform refuses the plugin: "
                    + refused.stream().map(e -> e.id() + ": " + e.reason()).toList());
        }
        assertTrue(
                entries.stream()
                        .anyMatch(e -> e.id().equals(ext.id()) && e.type().api() == extensionPoint()),
                ext.id() + " is not among the extensions the platform loads from the jar: "
                        + entries.stream()
                                .map(e -> e.type().jsonName() + " " + e.id())
                                .toList()
                        + " (is it listed in META-INF/services/"
                        + extensionPoint().getName() + "?)");
    }

    /** The values of the defaults case. */
    final Params defaults(T ext) {
        return ext.params().validate(requiredParams()).params();
    }

    /** The extension point this contract is about. */
    abstract Class<? extends Extension> extensionPoint();

    /**
     * Runs a check for each of the schema's cases (see the class comment), skipping those the extension refuses.
     *
     * @param what the check's name in the report, for example {@code builds}
     */
    final Stream<DynamicTest> forEachCase(String what, CaseCheck<T> check) {
        T ext = extension();
        return SchemaCases.of(ext.params(), requiredParams()).stream()
                .map(c -> DynamicTest.dynamicTest(what + " with " + c.name(), () -> {
                    ParamSchema.Validation v = ext.params().validate(c.values());
                    Assumptions.assumeTrue(v.valid(), () -> "the schema refuses " + c.name() + ": " + v.violations());
                    List<ParamViolation> own = ext.validate(v.params());
                    Assumptions.assumeTrue(
                            own.isEmpty(), () -> "the extension refuses " + c.name() + " (as at launch): " + own);
                    check.run(ext, v.params());
                }));
    }

    /** One check on one case. */
    @FunctionalInterface
    interface CaseCheck<T> {
        void run(T ext, Params params) throws Throwable;
    }
}
