package io.sweeplab.core.security;

import java.io.ObjectInputFilter;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide deserialization filter of the platform and of remote workers: no class is deserialized. Sweeplab
 * reads no Java-serialized data (checkpoints are checked by the worker's {@code CheckpointArchive} and read without
 * it; nothing else in the platform, DL4J/ND4J, Vaadin or Quarkus needs it in this application), so any
 * {@link java.io.ObjectInputStream}, in Sweeplab or in a library, is refused before it instantiates anything, and
 * each refused class is logged once ({@code SWL-SERIAL-001}).
 *
 * <p>{@link #install()} runs first thing in every entry point. An operator's own filter ({@code -Djdk.serialFilter}
 * or {@code java.security}) is kept ({@code SWL-SERIAL-002}).
 */
public final class SerialFilter implements ObjectInputFilter {

    private static final System.Logger LOG = System.getLogger(SerialFilter.class.getName());

    public static final SerialFilter INSTANCE = new SerialFilter();

    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    private SerialFilter() {}

    @Override
    public Status checkInput(FilterInfo info) {
        Class<?> c = info.serialClass();
        if (c == null) {
            return Status.UNDECIDED; // a back reference or a depth check: no class to create
        }
        if (logged.add(c.getName())) {
            LOG.log(
                    Level.WARNING,
                    "SWL-SERIAL-001 refused to deserialize {0}: Sweeplab reads no Java-serialized data",
                    c.getName());
        }
        return Status.REJECTED;
    }

    /**
     * Makes this the JVM-wide filter, unless an operator set one.
     *
     * @return whether this filter is the JVM's now
     */
    public static synchronized boolean install() {
        ObjectInputFilter current = ObjectInputFilter.Config.getSerialFilter();
        // by name: a platform restarted in the same JVM (tests, dev mode) loads this class again
        if (current != null && current.getClass().getName().equals(SerialFilter.class.getName())) {
            return true;
        }
        try {
            ObjectInputFilter.Config.setSerialFilter(INSTANCE);
            return true;
        } catch (IllegalStateException e) {
            LOG.log(
                    Level.WARNING,
                    "SWL-SERIAL-002 keeping the deserialization filter set for this JVM ({0}) instead of Sweeplab''s,"
                            + " which refuses every class",
                    current);
            return false;
        }
    }
}
