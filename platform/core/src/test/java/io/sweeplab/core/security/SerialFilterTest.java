package io.sweeplab.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The filter refuses every class; installed JVM-wide (in a JVM of its own: the JVM-wide filter can be set only
 * once), it stops any {@link ObjectInputStream}; an operator's {@code -Djdk.serialFilter} is kept.
 */
class SerialFilterTest {

    /** Records that it was deserialized, as an attacker's gadget would run code. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean tripped;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            tripped = true;
            in.defaultReadObject();
        }
    }

    static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @Test
    void every_class_is_refused_before_it_is_created() throws Exception {
        for (Object o : List.of(new HashMap<>(java.util.Map.of("a", 1)), new Tripwire(), new int[] {1, 2})) {
            ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized(o)));
            in.setObjectInputFilter(SerialFilter.INSTANCE);
            assertThatThrownBy(in::readObject)
                    .isInstanceOf(InvalidClassException.class)
                    .hasMessageContaining("REJECTED");
        }
        assertThat(Tripwire.tripped).isFalse();
    }

    /** What {@link #installed_jvm_wide_it_stops_every_object_input_stream} runs in a JVM of its own. */
    public static void main(String[] args) throws Exception {
        System.out.println("installed: " + SerialFilter.install());
        System.out.println("installed again: " + SerialFilter.install());
        try {
            Object o = new ObjectInputStream(
                            new ByteArrayInputStream(serialized(new HashMap<>(java.util.Map.of("a", 1)))))
                    .readObject();
            System.out.println("read: " + o);
        } catch (InvalidClassException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }

    static String fork(String... jvmOptions) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SerialFilterTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void installed_jvm_wide_it_stops_every_object_input_stream() throws Exception {
        String out = fork();
        assertThat(out)
                .contains("installed: true", "installed again: true", "refused: filter status: REJECTED")
                .contains("SWL-SERIAL-001 refused to deserialize java.util.HashMap")
                .doesNotContain("read: ");
    }

    @Test
    void an_operators_own_filter_is_kept() throws Exception {
        String out = fork("-Djdk.serialFilter=java.util.*;java.lang.*;!*");
        assertThat(out)
                .contains("installed: false", "SWL-SERIAL-002", "java.util.*;java.lang.*;!*")
                .contains("read: {a=1}");
    }
}
