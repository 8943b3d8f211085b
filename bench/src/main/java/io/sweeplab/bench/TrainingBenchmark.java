package io.sweeplab.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.bench.Networks.Network;
import io.sweeplab.engine.FastNet;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugins.datasets.FashionMnistLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and evaluation throughput on the full Fashion-MNIST, batch 32, Adam 1e-3: the networks of
 * {@link Networks} on Sweeplab's fast engine, on DL4J's MultiLayerNetwork, and in PyTorch through DJL in the same
 * process as the measuring stick. Prints one line per measurement, a markdown table, the fast engine's ratios, and
 * writes {@code bench/target/bench-summary.json}.
 *
 * <p>Options: {@code --models a,b} (default all), {@code --engines fast,pytorch,dl4j} (default all; {@code
 * --skip-pytorch} drops PyTorch), {@code --threads T} (fast engine and PyTorch threads, default all cores), {@code
 * --train-images N} (training images timed per model and engine, default 0: the whole epoch), {@code --dl4j-images
 * N} (DL4J's bound for every model but lab-dense, default 6000; 0: no bound), {@code --slots-images N} (images per
 * network of the slot comparison, default 20000; 0 skips it).
 */
public final class TrainingBenchmark {

    static final int BATCH = 32;
    static final int EVAL_BATCH = 1000;
    static final int PIXELS = 784;
    static final int CLASSES = 10;
    static final List<String> ENGINES = List.of("fast", "pytorch", "dl4j");
    static final Path SUMMARY = Path.of("bench", "target", "bench-summary.json");
    /** How long each engine trains before its timing starts: the JIT's and the native libraries' first calls. */
    static final long WARMUP_NANOS = 3_000_000_000L;

    /**
     * One measurement, also a row of the JSON summary. {@code accuracy} is null where it is not measured (training on
     * PyTorch and DL4J, the slot comparison); {@code layout} ({@code slots x threads}) only on the slot comparison.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"model", "engine", "phase", "imagesPerSecond", "accuracy", "images", "seconds", "threads"})
    record Result(
            String model,
            String engine,
            String phase,
            long images,
            double seconds,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double accuracy,
            Integer threads,
            String layout) {

        @JsonProperty
        double imagesPerSecond() {
            return images / seconds;
        }

        boolean is(String model, String engine, String phase) {
            return layout == null && model.equals(this.model) && engine.equals(this.engine) && phase.equals(this.phase);
        }
    }

    record Options(
            List<String> models, List<String> engines, int threads, int trainImages, int dl4jImages, int slotsImages) {

        static final String USAGE = "--models " + String.join(",", Networks.NAMES) + ", --engines "
                + String.join(",", ENGINES)
                + ", --threads T, --train-images N, --dl4j-images N, --slots-images N, --skip-pytorch";

        static Options parse(String[] args) {
            List<String> models = Networks.NAMES;
            List<String> engines = ENGINES;
            int threads = Runtime.getRuntime().availableProcessors();
            int trainImages = 0;
            int dl4jImages = 6000;
            int slotsImages = 20_000;
            boolean skipPytorch = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--skip-pytorch")) {
                    skipPytorch = true;
                    continue;
                }
                String value = i + 1 < args.length ? args[++i] : null;
                switch (option) {
                    case "--models" -> models = names(option, value, Networks.NAMES);
                    case "--engines" -> engines = names(option, value, ENGINES);
                    case "--threads" -> threads = count(option, value, 1);
                    case "--train-images" -> trainImages = count(option, value, 0);
                    case "--dl4j-images" -> dl4jImages = count(option, value, 0);
                    case "--slots-images" -> slotsImages = count(option, value, 0);
                    default ->
                        throw new IllegalArgumentException("unknown option " + option + " (options: " + USAGE + ")");
                }
            }
            if (skipPytorch) {
                engines = engines.stream().filter(e -> !e.equals("pytorch")).toList();
            }
            return new Options(models, engines, threads, trainImages, dl4jImages, slotsImages);
        }

        /** Comma-separated names, each one of {@code known}, in the order of {@code known}. */
        private static List<String> names(String option, String value, List<String> known) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value: some of " + String.join(",", known));
            }
            List<String> given =
                    Arrays.stream(value.split(",")).map(String::trim).toList();
            for (String name : given) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException(
                            option + ": unknown name " + name + " (known: " + String.join(",", known) + ")");
                }
            }
            return known.stream().filter(given::contains).toList();
        }

        /** A count of at least {@code min}; a count of images is 0 (no bound) or at least one batch. */
        private static int count(String option, String value, int min) {
            int n;
            try {
                n = Integer.parseInt(String.valueOf(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        option + " needs a whole number, got " + (value == null ? "none" : value));
            }
            if (n < min || (option.endsWith("-images") && n > 0 && n < BATCH)) {
                throw new IllegalArgumentException(
                        option + (min == 0 ? " is 0 (no bound) or at least " + BATCH : " is at least " + min) + ", got "
                                + value);
            }
            return n;
        }

        /** The training images to time on {@code engine}: the epoch, bounded. */
        int trainImages(String model, String engine, int epoch) {
            int n = bound(epoch, trainImages);
            return engine.equals("dl4j") && !model.equals("lab-dense") ? bound(n, dl4jImages) : n;
        }

        private static int bound(int n, int limit) {
            return limit == 0 ? n : Math.min(n, limit);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.engines().contains("pytorch") && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        }
        System.out.printf(
                Locale.ROOT,
                "CPU: %d cores; threads: fast engine %d, PyTorch %s, DL4J its own; batch %d; Adam 1e-3%n",
                Runtime.getRuntime().availableProcessors(),
                options.threads(),
                System.getProperty("ai.djl.pytorch.num_threads", "-"),
                BATCH);
        long t0 = System.nanoTime();
        DatasetContent data = new FashionMnistLoader(
                        Optional.empty(),
                        Path.of(FashionMnistLoader.DEBIAN_DIR),
                        Path.of(System.getProperty("user.home"), ".sweeplab", "datasets", "fashion-mnist"),
                        Optional.empty())
                .load();
        System.out.printf(Locale.ROOT, "dataset loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        List<Result> results = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        // Engine by engine, the fast engine first: PyTorch's and DL4J's OpenMP threads keep spinning after their
        // work and would slow whatever runs next in this process.
        Result oneByTwo = null;
        Result twoByOne = null;
        int slotImages = options.trainImages(
                "lab-cnn", "fast", Math.min(options.slotsImages(), data.train().size()));
        boolean slots = options.slotsImages() > 0
                && options.engines().contains("fast")
                && options.models().contains("lab-cnn");
        for (String engine : List.of("fast", "pytorch", "dl4j")) {
            if (!options.engines().contains(engine)) {
                continue;
            }
            for (String name : options.models()) {
                Network network = Networks.named(name);
                int images = options.trainImages(name, engine, data.train().size());
                switch (engine) {
                    case "fast" -> {
                        Optional<String> why =
                                FastNet.unsupported(network.dl4j().get(), Networks.INPUT);
                        if (why.isPresent()) {
                            unsupported.add("fast " + name + ": unsupported (" + why.get() + ")");
                            System.out.println(unsupported.get(unsupported.size() - 1));
                        } else {
                            results.addAll(measure(
                                    name,
                                    engine,
                                    options.threads(),
                                    data,
                                    images,
                                    () -> fast(network, options.threads(), BATCH)));
                        }
                    }
                    case "pytorch" ->
                        results.addAll(measure(name, engine, options.threads(), data, images, () -> pytorch(network)));
                    case "dl4j" -> results.addAll(measure(name, engine, null, data, images, () -> dl4j(network)));
                    default -> throw new IllegalStateException(engine);
                }
            }
            if (engine.equals("fast") && slots) {
                oneByTwo = slots(1, 2, data.train(), slotImages);
                twoByOne = slots(2, 1, data.train(), slotImages);
            }
        }

        System.out.println();
        System.out.println("| model | engine | phase | images | seconds | images/s | accuracy |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %.2f | %.0f | %s |%n",
                    r.model(),
                    r.engine(),
                    r.phase(),
                    r.images(),
                    r.seconds(),
                    r.imagesPerSecond(),
                    r.accuracy() == null ? "" : String.format(Locale.ROOT, "%.4f", r.accuracy()));
        }
        System.out.println();
        for (String other : List.of("pytorch", "dl4j")) {
            for (String name : options.models()) {
                List<String> ratios = new ArrayList<>();
                for (String phase : List.of("train", "evaluate")) {
                    Result fast = find(results, name, "fast", phase);
                    Result them = find(results, name, other, phase);
                    if (fast != null && them != null) {
                        ratios.add(String.format(
                                Locale.ROOT, "%s %.2f", phase, fast.imagesPerSecond() / them.imagesPerSecond()));
                    }
                }
                if (!ratios.isEmpty()) {
                    System.out.println("fast / " + other + ", " + name + ": " + String.join(", ", ratios));
                }
            }
        }
        unsupported.forEach(System.out::println);
        if (slots) {
            results.add(oneByTwo);
            results.add(twoByOne);
            System.out.printf(
                    Locale.ROOT,
                    "lab-cnn on the fast engine, %d images per network: 1 slot x 2 threads: %.0f img/s;"
                            + " 2 slots x 1 thread: %.0f img/s (%.2f)%n",
                    slotImages,
                    oneByTwo.imagesPerSecond(),
                    twoByOne.imagesPerSecond(),
                    twoByOne.imagesPerSecond() / oneByTwo.imagesPerSecond());
        }
        Files.createDirectories(SUMMARY.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(SUMMARY.toFile(), results);
        System.out.println("summary: " + SUMMARY);
        System.exit(0); // DJL's and ND4J's native threads would keep the JVM alive
    }

    static Result find(List<Result> results, String model, String engine, String phase) {
        return results.stream()
                .filter(r -> r.is(model, engine, phase))
                .findFirst()
                .orElse(null);
    }

    // --- the measurements every engine shares

    /** One network on one engine. */
    interface Session extends AutoCloseable {

        /** Trains one batch of 32; how many it classified right, or -1 where the engine does not tell. */
        int train(float[] x, int[] labels) throws Exception;

        /** The {@code n x 10} probabilities or logits of {@code n} images. */
        float[] scores(float[] x, int n) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    interface Opener {
        Session open() throws Exception;
    }

    /**
     * Warms up on a twin of the network (training it for {@link #WARMUP_NANOS}, scoring one test batch: the JIT's and
     * the native libraries' first calls), then times a fresh one from its initialisation: {@code images} images of one
     * shuffled epoch, and the test set in batches of 1000. With the twin, the accuracies do not depend on how many
     * batches the warm-up took.
     */
    static List<Result> measure(
            String model, String engine, Integer threads, DatasetContent data, int images, Opener opener)
            throws Exception {
        ImageSet train = data.train();
        ImageSet test = data.test();
        int[] order = shuffled(train.size(), 1);
        try (Session twin = opener.open()) {
            warmUp(train, order, twin);
            int first = Math.min(EVAL_BATCH, test.size());
            twin.scores(Arrays.copyOf(test.pixels(), first * PIXELS), first);
        }
        try (Session session = opener.open()) {
            long t0 = System.nanoTime();
            long correct = batches(train, order, images / BATCH, session);
            int done = images / BATCH * BATCH;
            Result tr = new Result(
                    model,
                    engine,
                    "train",
                    done,
                    (System.nanoTime() - t0) / 1e9,
                    correct < 0 ? null : (double) correct / done,
                    threads,
                    null);
            print(tr);

            t0 = System.nanoTime();
            long right = 0;
            for (int s = 0; s < test.size(); s += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, test.size() - s);
                float[] p = session.scores(Arrays.copyOfRange(test.pixels(), s * PIXELS, (s + n) * PIXELS), n);
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < CLASSES; c++) {
                        if (p[i * CLASSES + c] > p[i * CLASSES + best]) {
                            best = c;
                        }
                    }
                    if (best == test.labels()[s + i]) {
                        right++;
                    }
                }
            }
            Result ev = new Result(
                    model,
                    engine,
                    "evaluate",
                    test.size(),
                    (System.nanoTime() - t0) / 1e9,
                    (double) right / test.size(),
                    threads,
                    null);
            print(ev);
            return List.of(tr, ev);
        }
    }

    /** Trains the first ten batches of {@code order} over and over for {@link #WARMUP_NANOS}, and at least once. */
    static void warmUp(ImageSet set, int[] order, Session session) throws Exception {
        long until = System.nanoTime() + WARMUP_NANOS;
        do {
            batches(set, order, 10, session);
        } while (System.nanoTime() < until);
    }

    /** Trains the first {@code count} batches of {@code order}; the images classified right, or -1 if unknown. */
    static long batches(ImageSet set, int[] order, int count, Session session) throws Exception {
        float[] x = new float[BATCH * PIXELS];
        int[] labels = new int[BATCH];
        long correct = 0;
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < BATCH; i++) {
                int image = order[b * BATCH + i];
                System.arraycopy(set.pixels(), image * PIXELS, x, i * PIXELS, PIXELS);
                labels[i] = set.labels()[image];
            }
            int right = session.train(x, labels);
            correct = right < 0 || correct < 0 ? -1 : correct + right;
        }
        return correct;
    }

    static int[] shuffled(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static void print(Result r) {
        System.out.printf(
                Locale.ROOT,
                "%-14s %-8s %-9s %6d images in %7.2f s = %7.0f images/s%s%n",
                r.model(),
                r.engine(),
                r.phase(),
                r.images(),
                r.seconds(),
                r.imagesPerSecond(),
                r.accuracy() == null ? "" : String.format(Locale.ROOT, ", accuracy %.4f", r.accuracy()));
    }

    /**
     * {@code slots} fast engines of lab-cnn with {@code threads} threads each, training at once with their own
     * shuffled order ({@code images} images each, after a warm-up); the aggregate images/s.
     */
    static Result slots(int slots, int threads, ImageSet train, int images) throws Exception {
        AtomicLong start = new AtomicLong();
        CyclicBarrier warm = new CyclicBarrier(slots, () -> start.set(System.nanoTime()));
        ExecutorService pool = Executors.newFixedThreadPool(slots);
        try {
            List<Future<Long>> ends = new ArrayList<>();
            for (int s = 0; s < slots; s++) {
                int[] order = shuffled(train.size(), s + 1);
                Session session = fast(Networks.named("lab-cnn"), threads, BATCH);
                ends.add(pool.submit(() -> {
                    try (session) {
                        warmUp(train, order, session);
                        warm.await();
                        batches(train, order, images / BATCH, session);
                        return System.nanoTime();
                    } catch (Exception e) {
                        warm.reset(); // the other slots stop waiting for this one
                        throw e;
                    }
                }));
            }
            long end = 0;
            for (Future<Long> f : ends) {
                end = Math.max(end, f.get());
            }
            return new Result(
                    "lab-cnn",
                    "fast",
                    "train",
                    (long) slots * (images / BATCH * BATCH),
                    (end - start.get()) / 1e9,
                    null,
                    threads,
                    slots + "x" + threads);
        } finally {
            pool.shutdown();
        }
    }

    // --- the engines

    static MultiLayerNetwork dl4jNetwork(Network network) {
        MultiLayerNetwork net = new MultiLayerNetwork(network.dl4j().get());
        net.init();
        return net;
    }

    static Session fast(Network network, int threads, int maxBatch) {
        FastNet fast = FastNet.fromDl4j(dl4jNetwork(network), Networks.INPUT, threads, maxBatch);
        return new Session() {
            @Override
            public int train(float[] x, int[] labels) {
                return fast.train(x, labels, BATCH).correct();
            }

            @Override
            public float[] scores(float[] x, int n) {
                return fast.predict(x, n);
            }

            @Override
            public void close() {
                fast.close();
            }
        };
    }

    static Session dl4j(Network network) {
        MultiLayerNetwork net = dl4jNetwork(network);
        return new Session() {
            @Override
            public int train(float[] x, int[] labels) {
                float[] y = new float[BATCH * CLASSES];
                for (int i = 0; i < BATCH; i++) {
                    y[i * CLASSES + labels[i]] = 1f;
                }
                net.fit(new DataSet(
                        Nd4j.create(x.clone(), new long[] {BATCH, PIXELS}),
                        Nd4j.create(y, new long[] {BATCH, CLASSES})));
                return -1;
            }

            @Override
            public float[] scores(float[] x, int n) {
                return net.output(Nd4j.create(x, new long[] {n, PIXELS}), false)
                        .ravel()
                        .toFloatVector();
            }
        };
    }

    /** The same network in PyTorch through DJL: the measuring stick. */
    static Session pytorch(Network network) {
        ai.djl.Model model = ai.djl.Model.newInstance(network.name(), "PyTorch");
        model.setBlock(network.pytorch().get());
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(1e-3f))
                        .build())
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(BATCH, 1, 28, 28));
        NDManager manager = trainer.getManager();
        return new Session() {
            @Override
            public int train(float[] x, int[] labels) {
                float[] y = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    y[i] = labels[i];
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray xs = sub.create(x, new Shape(BATCH, 1, 28, 28));
                    NDArray ys = sub.create(y, new Shape(BATCH));
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList pred = trainer.forward(new NDList(xs), new NDList(ys));
                        gc.backward(trainer.getLoss().evaluate(new NDList(ys), pred));
                    }
                    trainer.step();
                }
                return -1;
            }

            @Override
            public float[] scores(float[] x, int n) {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray xs = sub.create(x, new Shape(n, 1, 28, 28));
                    return trainer.evaluate(new NDList(xs)).singletonOrThrow().toFloatArray();
                }
            }

            @Override
            public void close() {
                trainer.close();
                model.close();
            }
        };
    }
}
