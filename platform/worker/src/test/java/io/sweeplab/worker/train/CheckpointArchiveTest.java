package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugins.architectures.CnnArchitecture;
import io.sweeplab.plugins.architectures.DenseArchitecture;
import io.sweeplab.worker.data.TestData;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are read without Java serialization, and only once {@link CheckpointArchive} has checked them: a
 * checkpoint placed in a worker's folder with a crafted Java-serialized entry is refused with the reason, and the
 * crafted object is never instantiated.
 */
class CheckpointArchiveTest {

    static final InputType INPUT = InputType.convolutionalFlat(28, 28, 1);

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Tripwire.tripped = false;
    }

    static MultiLayerConfiguration dense() {
        return conf(new DenseArchitecture(), Map.of());
    }

    static MultiLayerConfiguration conf(io.sweeplab.plugin.api.Architecture a, Map<String, Object> params) {
        return ((ModelConfiguration.Sequential)
                        a.build(a.params().validate(params).params(), new BuildContext(28, 28, 1, 10, 1e-3, 1)))
                .configuration();
    }

    static EngineRegistry engines(String choice) {
        return new EngineRegistry(Backend.CPU, choice, 1);
    }

    /** A real checkpoint of an engine choice ({@code auto}: the fast engine, {@code dl4j}: DL4J's). */
    Path checkpoint(String choice) throws IOException {
        Path file = dir.resolve("checkpoint-" + choice + ".zip");
        try (Engine e = engines(choice).create(dense(), INPUT, 32)) {
            e.save(file);
        }
        return file;
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                m.put(e.getName(), in.readAllBytes());
            }
        }
        return m;
    }

    /** A zip of these entries, in this order (a name may repeat). */
    Path zip(List<Map.Entry<String, byte[]>> entries) throws IOException {
        Path file = Files.createTempFile(dir, "crafted-", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    /** A real checkpoint of {@code choice} with one more entry at the end. */
    Path plus(String choice, String name, byte[] content) throws IOException {
        List<Map.Entry<String, byte[]>> e =
                new ArrayList<>(entries(checkpoint(choice)).entrySet());
        e.add(Map.entry(name, content));
        return zip(e);
    }

    Path without(String choice, String name) throws IOException {
        Map<String, byte[]> e = entries(checkpoint(choice));
        e.remove(name);
        return zip(new ArrayList<>(e.entrySet()));
    }

    Path replacing(String choice, String name, byte[] content) throws IOException {
        Map<String, byte[]> e = entries(checkpoint(choice));
        e.put(name, content);
        return zip(new ArrayList<>(e.entrySet()));
    }

    void refused(Path zip, String... reason) {
        assertThatThrownBy(() -> CheckpointArchive.validate(zip))
                .isInstanceOf(CheckpointArchive.InvalidCheckpointException.class)
                .hasMessageContainingAll(reason);
        assertThatThrownBy(() -> engines("auto").resume(zip, INPUT, 32).close())
                .isInstanceOf(CheckpointArchive.InvalidCheckpointException.class)
                .hasMessageContainingAll(reason);
    }

    @Test
    void a_serialized_preprocessor_is_refused_and_never_deserialized() throws Exception {
        Path bad = plus("dl4j", "preprocessor.bin", Tripwire.serialized());
        refused(bad, "preprocessor.bin", "Java deserialization");
        assertThat(Tripwire.tripped).as("the crafted object's readObject ran").isFalse();
    }

    @Test
    void the_old_java_serialized_adam_entry_is_refused_and_never_deserialized() throws Exception {
        Path bad = plus("dl4j", "objects/sweeplab-adam-state", Tripwire.serialized());
        refused(bad, "objects/sweeplab-adam-state", "older Sweeplab", "launch the run again");
        assertThat(Tripwire.tripped).as("the crafted object's readObject ran").isFalse();
    }

    @Test
    void a_serialized_object_in_place_of_the_adam_state_is_refused() throws Exception {
        refused(replacing("auto", CheckpointArchive.ADAM_ENTRY, Tripwire.serialized()), "wrong magic number");
        assertThat(Tripwire.tripped).isFalse();
    }

    @Test
    void both_engines_write_only_the_entries_the_archive_reads() throws Exception {
        assertThat(entries(checkpoint("auto")).keySet())
                .containsExactly("configuration.json", "coefficients.bin", "sweeplab-adam.bin");
        assertThat(entries(checkpoint("dl4j")).keySet())
                .containsExactly("configuration.json", "coefficients.bin", "updaterState.bin");
        CheckpointArchive.validate(checkpoint("auto"));
        CheckpointArchive.validate(checkpoint("dl4j"));
        // still DL4J model zips
        assertThat(ModelSerializer.restoreMultiLayerNetwork(checkpoint("dl4j").toFile(), true)
                        .numParams())
                .isEqualTo(101_770);
    }

    @Test
    void unexpected_names_directories_traversal_and_duplicates_are_refused() throws Exception {
        refused(plus("auto", "normalizer.bin", new byte[10]), "normalizer.bin", "Java deserialization");
        refused(plus("auto", "noParams.marker", new byte[0]), "unexpected entry 'noParams.marker'");
        refused(plus("auto", "../../etc/cron.d/x", new byte[1]), "unexpected entry '../../etc/cron.d/x'");
        refused(plus("auto", "objects/", new byte[0]), "unexpected entry 'objects/'");
        // ZipOutputStream refuses to write a duplicate: rename a second entry to it in the bytes
        Path twice = plus("dl4j", "updaterState.bix", new byte[1]);
        byte[] raw = Files.readAllBytes(twice);
        String latin = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("updaterState.bix", "updaterState.bin");
        Files.write(twice, latin.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        refused(twice, "'updaterState.bin' appears twice");
        Path notUtf8 = plus("auto", "x.bin", new byte[1]);
        byte[] bytes = Files.readAllBytes(notUtf8);
        Files.write(
                notUtf8,
                new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replace("x.bin", "\u00ff.bin")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        refused(notUtf8, "not a readable zip");
    }

    @Test
    void the_configuration_comes_first_and_must_be_a_multilayer_configuration() throws Exception {
        Map<String, byte[]> good = entries(checkpoint("auto"));
        refused(
                zip(List.of(
                        Map.entry("coefficients.bin", good.get("coefficients.bin")),
                        Map.entry("configuration.json", good.get("configuration.json")))),
                "first entry must be configuration.json");
        refused(
                replacing("auto", "configuration.json", "{\"no\": 1}".getBytes()),
                "not a DL4J MultiLayerConfiguration");
        refused(without("auto", "coefficients.bin"), "no coefficients.bin");
        refused(zip(List.of()), "no configuration.json");
        Path notZip = Files.write(dir.resolve("not.zip"), "plain text".getBytes());
        refused(notZip, "no configuration.json");
    }

    /** A zip of a configuration (or 64 MB of zeros in its place) and 64 MB of zeros after a valid array header. */
    Path bomb(boolean configuration) throws IOException {
        Path bomb = Files.createTempFile(dir, "bomb-", ".zip");
        Map<String, byte[]> good = entries(checkpoint("dl4j"));
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("configuration.json"));
            if (configuration) {
                for (int i = 0; i < 64; i++) {
                    out.write(zeros);
                }
            } else {
                out.write(good.get("configuration.json"));
                out.putNextEntry(new ZipEntry("coefficients.bin"));
                out.write(ndArray(101_770, 101_770, "FLOAT", 0));
                for (int i = 0; i < 64; i++) {
                    out.write(zeros);
                }
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        return bomb;
    }

    @Test
    void sizes_are_bounded_by_the_bytes_inflated_not_by_the_headers() throws Exception {
        // 64 MB of zeros deflate to about 64 KB
        refused(bomb(true), "'configuration.json' is larger than");
        // the dense net's 101,770 parameters allow ~3.3 MB per entry: reading one to resume stops there
        assertThatThrownBy(() -> engines("auto").resume(bomb(false), INPUT, 32))
                .hasMessageContaining("'coefficients.bin' is larger than");
        // checking one stops at the first byte after the values the header announced
        assertThatThrownBy(() -> CheckpointArchive.validate(bomb(false)))
                .hasMessageContaining("coefficients.bin has bytes after its 101770 values");
        // and all entries together are bounded too
        assertThatThrownBy(() -> CheckpointArchive.scan(checkpoint("dl4j"), false, 100_000))
                .hasMessageContaining("is larger than");
    }

    @Test
    void the_adam_state_is_read_with_strict_bounds() throws Exception {
        int n = 101_770;
        refused(
                replacing("auto", CheckpointArchive.ADAM_ENTRY, adam(1, 7, n - 1, n - 1)),
                "state of 101769 parameters",
                "has 101770");
        refused(replacing("auto", CheckpointArchive.ADAM_ENTRY, adam(2, 7, n, n)), "format version 2");
        refused(replacing("auto", CheckpointArchive.ADAM_ENTRY, adam(1, -1, n, n)), "at step -1");
        refused(replacing("auto", CheckpointArchive.ADAM_ENTRY, adam(1, 7, n, n + 1)), "bytes after");
        refused(replacing("auto", CheckpointArchive.ADAM_ENTRY, adam(1, 7, n, n - 1)), "ends before the values");
        CheckpointArchive.validate(replacing("auto", CheckpointArchive.ADAM_ENTRY, adam(1, 7, n, n)));
    }

    @Test
    void parameter_arrays_are_checked_before_nd4j_allocates_what_their_headers_claim() throws Exception {
        int n = 101_770;
        refused(
                replacing("auto", "coefficients.bin", ndArray(1L << 40, 1L << 40, "FLOAT", 10)),
                "holds 1099511627776 values",
                "101770 parameters");
        refused(replacing("auto", "coefficients.bin", ndArray(5, n, "FLOAT", n)), "not a vector");
        refused(replacing("auto", "coefficients.bin", ndArray(n, n, "UTF8", n)), "not a vector");
        refused(replacing("auto", "coefficients.bin", ndArray(n, n, "FLOAT", n + 1)), "bytes after");
        refused(
                replacing("dl4j", "updaterState.bin", ndArray(4 * n, 4 * n, "FLOAT", 4 * n)),
                "updaterState.bin holds 407080 values");
        CheckpointArchive.validate(replacing("auto", "coefficients.bin", ndArray(n, n, "FLOAT", n)));
    }

    /** {@code Nd4j.write} of a {@code [1, columns]} array whose data buffer claims {@code length} values. */
    static byte[] ndArray(long columns, long length, String type, int written) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(8);
        out.writeUTF("LONG");
        for (long v : new long[] {2, 1, columns, columns, 1, 8192, 1, 'c'}) {
            out.writeLong(v);
        }
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(length);
        out.writeUTF(type);
        for (int i = 0; i < written; i++) {
            out.writeFloat(0.25f);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** An Adam entry: {@code count} claimed, {@code floats} floats of each moment written. */
    static byte[] adam(int version, long step, int count, int floats) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(CheckpointArchive.ADAM_MAGIC);
        out.writeInt(version);
        out.writeLong(step);
        out.writeInt(count);
        for (int i = 0; i < 2 * floats; i++) {
            out.writeFloat(0.5f);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void a_resumed_fast_engine_takes_the_next_step_exactly_as_the_uninterrupted_one() throws Exception {
        MultiLayerConfiguration cnn = conf(new CnnArchitecture(), Map.of("filters", List.of(4, 4)));
        ImageSet data = TestData.full().train().first(96);
        float[] x = data.pixels();
        int[] labels = data.labels();
        int ppi = data.pixelsPerImage();
        Path file = dir.resolve("fast.zip");
        try (Engine straight = engines("auto").create(cnn, INPUT, 32)) {
            assertThat(straight.description()).startsWith("fast (");
            straight.fit(java.util.Arrays.copyOfRange(x, 0, 32 * ppi), java.util.Arrays.copyOfRange(labels, 0, 32), 32);
            straight.fit(
                    java.util.Arrays.copyOfRange(x, 32 * ppi, 64 * ppi),
                    java.util.Arrays.copyOfRange(labels, 32, 64),
                    32);
            straight.save(file);
            try (Engine resumed = engines("auto").resume(file, INPUT, 32)) {
                assertThat(resumed.description()).startsWith("fast (");
                float[] bx = java.util.Arrays.copyOfRange(x, 64 * ppi, 96 * ppi);
                int[] by = java.util.Arrays.copyOfRange(labels, 64, 96);
                double[] a = straight.fit(bx, by, 32);
                double[] b = resumed.fit(bx, by, 32);
                assertThat(b).containsExactly(a);
                assertThat(resumed.network().params().data().asFloat())
                        .containsExactly(straight.network().params().data().asFloat());
            }
        }
    }
}
