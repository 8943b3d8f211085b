package io.sweeplab.worker.train;

import io.sweeplab.engine.FastNet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checkpoint format, read and written without Java serialization: a DL4J model zip (the entries
 * {@code ModelSerializer} writes for a {@code MultiLayerNetwork} without a normalizer, so DL4J still reads it) plus,
 * from the fast engine, its Adam state in an entry of our own. Checkpoints cross a trust boundary (remote workers
 * upload them, the embedded worker resumes from them inside the platform), so every one is checked here before
 * anything of it is used: by the platform when one is uploaded, and by the worker before it resumes.
 *
 * <p>Entries, in this order, and nothing else:
 *
 * <ul>
 *   <li>{@code configuration.json}: the {@code MultiLayerConfiguration} as JSON; required, first, at most
 *       {@value #MAX_CONFIGURATION_BYTES} bytes, and it must parse;
 *   <li>{@code coefficients.bin}: the parameters ({@code Nd4j.write}); required;
 *   <li>{@code updaterState.bin}: DL4J's updater state (checkpoints of the DL4J engine);
 *   <li>{@value #ADAM_ENTRY}: the fast engine's Adam state (checkpoints of the fast engine), big-endian: int magic
 *       {@code 0x53574144} ("SWAD"), int format version 1, long step (0 or more), int n (the configuration's
 *       parameter count), n floats (first moments), n floats (second moments), nothing after.
 * </ul>
 *
 * <p>Refused: DL4J's {@code preprocessor.bin} and {@code normalizer.bin} (Java-serialized), {@code noParams.marker}
 * (every network a worker trains has parameters), the Java-serialized Adam state of Sweeplab before 0.1
 * ({@code objects/sweeplab-adam-state}), any other name, directories and duplicates. Sizes are counted as the
 * entries inflate, not as their headers claim: each binary entry at most {@value #BYTES_PER_PARAMETER} bytes per
 * parameter of the configuration plus {@value #ENTRY_OVERHEAD} bytes, all together at most {@link #MAX_BYTES}.
 */
public final class CheckpointArchive {

    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER = "updaterState.bin";
    static final String ADAM_ENTRY = "sweeplab-adam.bin";
    /** Where Sweeplab before 0.1 kept the Adam state, Java-serialized (through {@code ModelSerializer}). */
    static final String OLD_ADAM_ENTRY = "objects/sweeplab-adam-state";

    static final int ADAM_MAGIC = 0x53574144;
    static final int ADAM_VERSION = 1;

    static final int MAX_CONFIGURATION_BYTES = 4 << 20;
    /** Room for double precision and an updater with three values per parameter. */
    static final int BYTES_PER_PARAMETER = 32;

    static final int ENTRY_OVERHEAD = 64 << 10;
    /** The most a checkpoint may hold, uncompressed: 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;

    /** DL4J's updaters keep at most three values per parameter (AMSGrad). */
    static final int UPDATER_VALUES_PER_PARAMETER = 3;

    private static final java.util.Map<String, Integer> VALUE_BYTES =
            java.util.Map.of("FLOAT", 4, "DOUBLE", 8, "HALF", 2, "BFLOAT16", 2);

    private static final List<String> ORDER = List.of(CONFIGURATION, COEFFICIENTS, UPDATER, ADAM_ENTRY);

    private CheckpointArchive() {}

    /** Why a file is not a checkpoint Sweeplab reads; the message says what is wrong, for the run or the uploader. */
    public static final class InvalidCheckpointException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidCheckpointException(String reason) {
            super(reason);
        }
    }

    /** A checked checkpoint: its configuration, parameters and optimiser state ({@code null} where absent). */
    record Contents(MultiLayerConfiguration conf, byte[] coefficients, byte[] updater, FastNet.OptimizerState adam) {

        /** The network with its parameters, and DL4J's updater state where the checkpoint has it. */
        MultiLayerNetwork network() throws IOException {
            INDArray params = array(coefficients);
            conf.setDataType(params.dataType());
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init(params, false);
            if (updater != null) {
                net.getUpdater().setStateViewArray(net, array(updater), false);
            }
            return net;
        }

        private static INDArray array(byte[] bytes) throws IOException {
            return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        }
    }

    /** Checks a checkpoint without keeping its contents: the platform, when one is uploaded. */
    public static void validate(Path zip) throws IOException {
        scan(zip, false, MAX_BYTES);
    }

    /** Checks a checkpoint and returns what it holds: the worker, before it resumes. */
    static Contents read(Path zip) throws IOException {
        return scan(zip, true, MAX_BYTES);
    }

    static Contents scan(Path zip, boolean keep, long maxBytes) throws IOException {
        MultiLayerConfiguration conf = null;
        long params = 0;
        byte[] coefficients = null;
        byte[] updater = null;
        FastNet.OptimizerState adam = null;
        Set<String> seen = new HashSet<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName();
                if (!ORDER.contains(name)) {
                    throw new InvalidCheckpointException(refusedName(name));
                }
                if (!seen.add(name)) {
                    throw new InvalidCheckpointException("the entry '" + name + "' appears twice");
                }
                if (conf == null && !name.equals(CONFIGURATION)) {
                    throw new InvalidCheckpointException("the first entry must be " + CONFIGURATION + ", not " + name);
                }
                long limit = Math.min(
                        conf == null ? MAX_CONFIGURATION_BYTES : params * BYTES_PER_PARAMETER + ENTRY_OVERHEAD,
                        maxBytes - total);
                Bounded entry = new Bounded(in, name, limit);
                switch (name) {
                    case CONFIGURATION -> {
                        conf = configuration(entry.readAll());
                        params = parameterCount(conf);
                    }
                    case COEFFICIENTS -> coefficients = array(entry, params, params, params, keep);
                    case UPDATER -> updater = array(entry, params, 1, UPDATER_VALUES_PER_PARAMETER * params, keep);
                    default -> adam = adam(entry, params - runningStatistics(conf), keep);
                }
                total += entry.count;
            }
        } catch (EOFException e) {
            throw new InvalidCheckpointException("an entry ends before the values its header announces");
        } catch (ZipException | IllegalArgumentException e) { // IllegalArgumentException: a name that is not UTF-8
            throw new InvalidCheckpointException("not a readable zip: " + e.getMessage());
        }
        if (conf == null) {
            throw new InvalidCheckpointException("no " + CONFIGURATION + " (is it a DL4J model zip?)");
        }
        if (!seen.contains(COEFFICIENTS)) {
            throw new InvalidCheckpointException("no " + COEFFICIENTS + ": the checkpoint holds no parameters");
        }
        return new Contents(conf, coefficients, updater, adam);
    }

    /** Writes a checkpoint {@link #read} reads back (and DL4J's {@code ModelSerializer} too). */
    static void write(Path file, MultiLayerNetwork net, boolean withUpdater, FastNet.OptimizerState adam)
            throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            DataOutputStream out = new DataOutputStream(zip);
            zip.putNextEntry(new ZipEntry(CONFIGURATION));
            out.write(net.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry(COEFFICIENTS));
            Nd4j.write(net.params(), out);
            INDArray state = withUpdater ? net.getUpdater().getStateViewArray() : null;
            if (state != null && state.length() > 0) {
                zip.putNextEntry(new ZipEntry(UPDATER));
                Nd4j.write(state, out);
            }
            if (adam != null) {
                zip.putNextEntry(new ZipEntry(ADAM_ENTRY));
                out.writeInt(ADAM_MAGIC);
                out.writeInt(ADAM_VERSION);
                out.writeLong(adam.step());
                out.writeInt(adam.m().length);
                writeFloats(out, adam.m());
                writeFloats(out, adam.v());
            }
            out.flush();
        }
    }

    private static String refusedName(String name) {
        if (name.equals(OLD_ADAM_ENTRY)) {
            return "the entry '" + name + "' is the Java-serialized optimiser state of an older Sweeplab, which is no"
                    + " longer read; launch the run again";
        }
        if (name.equals("preprocessor.bin") || name.equals("normalizer.bin")) {
            return "the entry '" + name + "' would be read by Java deserialization, which Sweeplab refuses";
        }
        return "unexpected entry '" + name + "' (a checkpoint holds only " + String.join(", ", ORDER) + ")";
    }

    private static MultiLayerConfiguration configuration(byte[] json) throws InvalidCheckpointException {
        try {
            return MultiLayerConfiguration.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new InvalidCheckpointException(CONFIGURATION + " is not a DL4J MultiLayerConfiguration: "
                    + firstLine(String.valueOf(e.getMessage())));
        }
    }

    /** Batch normalisation's running mean and variance: parameters to DL4J, but no optimiser's business. */
    private static long runningStatistics(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            if (layer.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization bn) {
                n += 2 * bn.getNOut();
            }
        }
        return n;
    }

    private static long parameterCount(MultiLayerConfiguration conf) throws InvalidCheckpointException {
        try {
            long n = 0;
            for (NeuralNetConfiguration layer : conf.getConfs()) {
                n = Math.addExact(n, layer.getLayer().initializer().numParams(layer));
            }
            if (n < 0 || n > MAX_BYTES / Float.BYTES) {
                throw new ArithmeticException(n + " parameters, more than a checkpoint may hold");
            }
            return n;
        } catch (RuntimeException e) {
            throw new InvalidCheckpointException(CONFIGURATION + " describes no trainable network: " + e);
        }
    }

    /**
     * Checks an {@code Nd4j.write} array before ND4J reads it (ND4J allocates what the header claims and trusts its
     * shape): a vector ({@code [length]} or {@code [1, length]}) of floating-point values, {@code min <= length <=
     * max}, nothing after.
     * Each buffer is written as: UTF allocation mode, long length, UTF data type, the values; shape first, data next.
     */
    private static byte[] array(Bounded entry, long params, long min, long max, boolean keep) throws IOException {
        byte[] bytes = keep ? entry.readAll() : null;
        DataInputStream in = new DataInputStream(keep ? new ByteArrayInputStream(bytes) : entry);
        String name = entry.name;
        in.readUTF();
        long shapeLength = in.readLong();
        // shape information: rank, the dimensions, the strides, flags, element-wise stride, order
        if ((shapeLength != 6 && shapeLength != 8) || !in.readUTF().equals("LONG")) {
            throw new InvalidCheckpointException(name + " is not a vector written by ND4J");
        }
        long[] shape = new long[(int) shapeLength];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong();
        }
        in.readUTF();
        long length = in.readLong();
        Integer width = VALUE_BYTES.get(in.readUTF());
        int rank = (int) shape[0];
        boolean vector = rank == 1
                ? shape.length == 6 && shape[1] == length && shape[2] == 1
                : rank == 2
                        && shape.length == 8
                        && shape[1] == 1
                        && shape[2] == length
                        && shape[4] == 1
                        && (shape[3] == 1 || shape[3] == length);
        char order = (char) shape[shape.length - 1];
        if (width == null || !vector || shape[shape.length - 2] != 1 || (order != 'c' && order != 'f')) {
            throw new InvalidCheckpointException(name + " is not a vector of floating-point values");
        }
        if (length < min || length > max) {
            throw new InvalidCheckpointException(
                    name + " holds " + length + " values, not those of a network of " + params + " parameters");
        }
        in.skipNBytes(length * width);
        if (in.read() != -1) {
            throw new InvalidCheckpointException(name + " has bytes after its " + length + " values");
        }
        return bytes;
    }

    private static FastNet.OptimizerState adam(Bounded entry, long params, boolean keep) throws IOException {
        DataInputStream in = new DataInputStream(entry);
        if (in.readInt() != ADAM_MAGIC) {
            throw new InvalidCheckpointException(ADAM_ENTRY + " is not Sweeplab's Adam state (wrong magic number)");
        }
        int version = in.readInt();
        if (version != ADAM_VERSION) {
            throw new InvalidCheckpointException(
                    ADAM_ENTRY + " has format version " + version + "; this worker reads version " + ADAM_VERSION);
        }
        long step = in.readLong();
        int n = in.readInt();
        if (step < 0 || n != params) {
            throw new InvalidCheckpointException(ADAM_ENTRY + " holds the state of " + n + " parameters at step " + step
                    + ", but the network has " + params + " trainable parameters");
        }
        float[] m = keep ? readFloats(in, n) : null;
        float[] v = keep ? readFloats(in, n) : null;
        if (!keep) {
            in.skipNBytes(8L * n);
        }
        if (in.read() != -1) {
            throw new InvalidCheckpointException(ADAM_ENTRY + " has bytes after the state of " + n + " parameters");
        }
        return keep ? new FastNet.OptimizerState(m, v, step) : null;
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** One entry as it inflates, refused as soon as it passes its limit; it never closes the zip. */
    private static final class Bounded extends FilterInputStream {
        private final String name;
        private final long limit;
        long count;

        Bounded(InputStream in, String name, long limit) {
            super(in);
            this.name = name;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // through read, so that skipped bytes are inflated and counted too
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public void close() {}

        private void counted(int n) throws InvalidCheckpointException {
            count += n;
            if (count > limit) {
                throw new InvalidCheckpointException("the entry '" + name + "' is larger than the " + limit
                        + " bytes a checkpoint of this network may hold");
            }
        }

        byte[] readAll() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            transferTo(bytes);
            return bytes.toByteArray();
        }
    }
}
