package io.sweeplab.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugins.architectures.CnnArchitecture;
import io.sweeplab.plugins.architectures.DenseArchitecture;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugins.datasets.FashionMnistLoader;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.engine.FastNet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and evaluation throughput of the lab's dense net and CNN(32, 32) on the full Fashion-MNIST, batch 32,
 * Adam 1e-3: Sweeplab's fast engine, DL4J's MultiLayerNetwork, and the same CNN in PyTorch through DJL in the same
 * process as the measuring stick. Prints one line per measurement and a summary.
 *
 * <p>Options: {@code --dl4j-images N} (images of DL4J's CNN epoch to time, default 6000; 0 for all 60,000),
 * {@code --threads T} (fast engine threads, default all cores), {@code --skip-pytorch}.
 */
public final class TrainingBenchmark {

    static final int BATCH = 32;
    static final InputType INPUT = InputType.convolutionalFlat(28, 28, 1);

    record Result(String what, long images, double seconds, double accuracy) {
        double perSecond() {
            return images / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int dl4jImages = 6000;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean pytorch = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dl4j-images" -> dl4jImages = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--skip-pytorch" -> pytorch = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --dl4j-images N, --threads T, --skip-pytorch)");
            }
        }
        System.out.printf(Locale.ROOT, "CPU: %d cores; fast engine threads: %d; batch %d; Adam 1e-3%n",
                Runtime.getRuntime().availableProcessors(), threads, BATCH);
        long t0 = System.nanoTime();
        DatasetContent data = new FashionMnistLoader(Optional.empty(), Path.of(FashionMnistLoader.DEBIAN_DIR),
                        Path.of(System.getProperty("user.home"), ".sweeplab", "datasets", "fashion-mnist"), Optional.empty())
                .load();
        System.out.printf(Locale.ROOT, "dataset loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        List<Result> results = new ArrayList<>();
        for (String arch : List.of("dense", "cnn")) {
            results.addAll(fast(arch, data, threads));
            results.addAll(dl4j(arch, data, arch.equals("dense") ? 0 : dl4jImages));
        }
        if (pytorch) {
            results.addAll(PyTorch.run(data));
        }

        System.out.println();
        System.out.println("| measurement | images | seconds | images/s | accuracy |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.0f | %s |%n", r.what, r.images, r.seconds,
                    r.perSecond(), Double.isNaN(r.accuracy) ? "" : String.format(Locale.ROOT, "%.4f", r.accuracy));
        }
        Result fastCnn = find(results, "fast cnn train");
        Result torchCnn = find(results, "pytorch cnn train");
        if (fastCnn != null && torchCnn != null) {
            System.out.printf(Locale.ROOT, "%nfast engine / PyTorch, CNN training: %.2f%n",
                    fastCnn.perSecond() / torchCnn.perSecond());
        }
        Result dl4jCnn = find(results, "dl4j cnn train");
        if (fastCnn != null && dl4jCnn != null) {
            System.out.printf(Locale.ROOT, "fast engine / DL4J, CNN training: %.1fx%n",
                    fastCnn.perSecond() / dl4jCnn.perSecond());
        }
        System.exit(0);
    }

    static Result find(List<Result> results, String what) {
        return results.stream().filter(r -> r.what.equals(what)).findFirst().orElse(null);
    }

    static MultiLayerNetwork network(String arch) {
        Architecture a = arch.equals("dense") ? new DenseArchitecture() : new CnnArchitecture();
        MultiLayerConfiguration conf = ((ModelConfiguration.Sequential) a.build(
                        a.params().validate(Map.of()).params(), new BuildContext(28, 28, 1, 10, 1e-3, 42)))
                .configuration();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
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

    static void gather(ImageSet set, int[] order, int start, int n, float[] x, int[] labels) {
        int ppi = set.pixelsPerImage();
        for (int i = 0; i < n; i++) {
            System.arraycopy(set.pixels(), order[start + i] * ppi, x, i * ppi, ppi);
            labels[i] = set.labels()[order[start + i]];
        }
    }

    static List<Result> fast(String arch, DatasetContent data, int threads) {
        MultiLayerNetwork net = network(arch);
        try (FastNet fast = FastNet.fromDl4j(net, INPUT, threads, 1000)) {
            ImageSet train = data.train();
            int[] order = shuffled(train.size(), 1);
            float[] x = new float[BATCH * 784];
            int[] labels = new int[BATCH];
            // warm the JIT on a few batches, outside the timing
            for (int s = 0; s < 50 * BATCH; s += BATCH) {
                gather(train, order, s, BATCH, x, labels);
                fast.train(x, labels, BATCH);
            }
            fast.readWeights(net);
            long t0 = System.nanoTime();
            long correct = 0;
            for (int s = 0; s + BATCH <= train.size(); s += BATCH) {
                gather(train, order, s, BATCH, x, labels);
                correct += fast.train(x, labels, BATCH).correct();
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            int images = train.size() / BATCH * BATCH;
            Result tr = new Result("fast " + arch + " train", images, trainSeconds, (double) correct / images);
            print(tr);

            ImageSet test = data.test();
            t0 = System.nanoTime();
            long right = 0;
            for (int s = 0; s < test.size(); s += 1000) {
                int n = Math.min(1000, test.size() - s);
                float[] p = fast.predict(java.util.Arrays.copyOfRange(test.pixels(), s * 784, (s + n) * 784), n);
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < 10; c++) {
                        if (p[i * 10 + c] > p[i * 10 + best]) {
                            best = c;
                        }
                    }
                    if (best == test.labels()[s + i]) {
                        right++;
                    }
                }
            }
            Result ev = new Result("fast " + arch + " evaluate", test.size(), (System.nanoTime() - t0) / 1e9,
                    (double) right / test.size());
            print(ev);
            return List.of(tr, ev);
        }
    }

    static List<Result> dl4j(String arch, DatasetContent data, int limit) {
        MultiLayerNetwork net = network(arch);
        ImageSet train = data.train();
        int images = limit <= 0 ? train.size() : Math.min(limit, train.size());
        int[] order = shuffled(train.size(), 1);
        float[] x = new float[BATCH * 784];
        int[] labels = new int[BATCH];
        for (int s = 0; s < 10 * BATCH; s += BATCH) {
            net.fit(batch(train, order, s, x, labels));
        }
        long t0 = System.nanoTime();
        int done = 0;
        for (int s = 0; s + BATCH <= images; s += BATCH) {
            net.fit(batch(train, order, s, x, labels));
            done += BATCH;
        }
        Result tr = new Result("dl4j " + arch + " train", done, (System.nanoTime() - t0) / 1e9, Double.NaN);
        print(tr);
        ImageSet test = data.test();
        t0 = System.nanoTime();
        long right = 0;
        for (int s = 0; s < test.size(); s += 1000) {
            int n = Math.min(1000, test.size() - s);
            INDArray out = net.output(Nd4j.create(java.util.Arrays.copyOfRange(test.pixels(), s * 784, (s + n) * 784),
                    new long[] {n, 784}), false);
            long[] pred = out.argMax(1).toLongVector();
            for (int i = 0; i < n; i++) {
                if (pred[i] == test.labels()[s + i]) {
                    right++;
                }
            }
        }
        Result ev = new Result("dl4j " + arch + " evaluate", test.size(), (System.nanoTime() - t0) / 1e9,
                (double) right / test.size());
        print(ev);
        return List.of(tr, ev);
    }

    static DataSet batch(ImageSet train, int[] order, int start, float[] x, int[] labels) {
        gather(train, order, start, BATCH, x, labels);
        float[] y = new float[BATCH * 10];
        for (int i = 0; i < BATCH; i++) {
            y[i * 10 + labels[i]] = 1f;
        }
        return new DataSet(Nd4j.create(x.clone(), new long[] {BATCH, 784}), Nd4j.create(y, new long[] {BATCH, 10}));
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-22s %6d images in %7.2f s = %7.0f images/s%s%n", r.what, r.images,
                r.seconds, r.perSecond(),
                Double.isNaN(r.accuracy) ? "" : String.format(Locale.ROOT, ", accuracy %.4f", r.accuracy));
    }

    /** The lab's CNN in PyTorch through DJL: the measuring stick. */
    static final class PyTorch {
        static List<Result> run(DatasetContent data) throws Exception {
            SequentialBlock block = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(128).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
            try (Model model = Model.newInstance("lab-cnn", "PyTorch")) {
                model.setBlock(block);
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                        .optDevices(new Device[] {Device.cpu()});
                try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(BATCH, 1, 28, 28));
                    NDManager manager = trainer.getManager();
                    ImageSet train = data.train();
                    int[] order = shuffled(train.size(), 1);
                    float[] x = new float[BATCH * 784];
                    int[] labels = new int[BATCH];
                    for (int s = 0; s < 20 * BATCH; s += BATCH) {
                        step(trainer, manager, train, order, s, x, labels);
                    }
                    long t0 = System.nanoTime();
                    int done = 0;
                    for (int s = 0; s + BATCH <= train.size(); s += BATCH) {
                        step(trainer, manager, train, order, s, x, labels);
                        done += BATCH;
                    }
                    Result tr = new Result("pytorch cnn train", done, (System.nanoTime() - t0) / 1e9, Double.NaN);
                    print(tr);

                    ImageSet test = data.test();
                    t0 = System.nanoTime();
                    long right = 0;
                    for (int s = 0; s < test.size(); s += 1000) {
                        int n = Math.min(1000, test.size() - s);
                        try (NDManager sub = manager.newSubManager()) {
                            NDArray xs = sub.create(java.util.Arrays.copyOfRange(test.pixels(), s * 784, (s + n) * 784),
                                    new Shape(n, 1, 28, 28));
                            NDArray out = trainer.evaluate(new NDList(xs)).singletonOrThrow();
                            long[] pred = out.argMax(1).toLongArray();
                            for (int i = 0; i < n; i++) {
                                if (pred[i] == test.labels()[s + i]) {
                                    right++;
                                }
                            }
                        }
                    }
                    Result ev = new Result("pytorch cnn evaluate", test.size(), (System.nanoTime() - t0) / 1e9,
                            (double) right / test.size());
                    print(ev);
                    return List.of(tr, ev);
                }
            }
        }

        private static void step(ai.djl.training.Trainer trainer, NDManager manager, ImageSet train, int[] order,
                int start, float[] x, int[] labels) {
            gather(train, order, start, BATCH, x, labels);
            float[] y = new float[BATCH];
            for (int i = 0; i < BATCH; i++) {
                y[i] = labels[i];
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray xs = sub.create(x, new Shape(BATCH, 1, 28, 28));
                NDArray ys = sub.create(y, new Shape(BATCH));
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList pred = trainer.forward(new NDList(xs), new NDList(ys));
                    NDArray loss = trainer.getLoss().evaluate(new NDList(ys), pred);
                    gc.backward(loss);
                }
                trainer.step();
            }
        }
    }
}
