package io.sweeplab.core.metric;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.external.ExternalRunService;
import io.sweeplab.core.external.ExternalRunStore;
import io.sweeplab.core.external.MetricPoint;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Any run's metrics read one way, whether Sweeplab trained it or it was logged from outside: a trained run has the
 * four per-epoch metrics (x the epoch), an external run the metrics of any name its client logged (x the step). One
 * store read per run and metric, however long the history; a curve longer than a chart draws is thinned here, on the
 * server, by {@link Thinning}. The caller's teams are checked by the services read through.
 */
public final class MetricSeries {

    /** A trained run's metrics, in the order its charts show them. */
    public static final List<String> EPOCH_METRICS = List.of("trainLoss", "trainAccuracy", "valLoss", "valAccuracy");

    private static final Map<String, ToDoubleFunction<EpochMetric>> EPOCH_VALUES = Map.of(
            "trainLoss", EpochMetric::trainLoss,
            "trainAccuracy", EpochMetric::trainAccuracy,
            "valLoss", EpochMetric::valLoss,
            "valAccuracy", EpochMetric::valAccuracy);

    /**
     * Keras's names of the same metrics, which {@code mlflow.keras.autolog()} logs (the lab's notebook): a run of the
     * notebook and a trained run compare on them.
     */
    static final Map<String, String> KERAS = Map.of(
            "loss", "trainLoss",
            "accuracy", "trainAccuracy",
            "val_loss", "valLoss",
            "val_accuracy", "valAccuracy");

    /** Where the metrics are read: the port to the run stores, behind the services' access checks. */
    public interface Reader {
        List<EpochMetric> epochs(Caller caller, long run);

        /** Every point of an external run's metric, in step order, in one read. */
        void history(Caller caller, String mlflowRunId, String key, ExternalRunStore.PointSink sink);

        /** The latest point of each metric of an external run. */
        List<MetricPoint> latest(Caller caller, String mlflowRunId);
    }

    private final Reader reader;

    public MetricSeries(RunService runs, ExternalRunService external) {
        this(new Reader() {
            @Override
            public List<EpochMetric> epochs(Caller caller, long run) {
                return runs.metrics(caller, run);
            }

            @Override
            public void history(Caller caller, String mlflowRunId, String key, ExternalRunStore.PointSink sink) {
                external.history(caller, mlflowRunId, key, 0, Integer.MAX_VALUE, sink);
            }

            @Override
            public List<MetricPoint> latest(Caller caller, String mlflowRunId) {
                return external.run(caller, mlflowRunId).metrics();
            }
        });
    }

    public MetricSeries(Reader reader) {
        this.reader = reader;
    }

    /** The names of the run's metrics: the four per-epoch ones of a trained run, the logged ones of an external run. */
    public static List<String> names(Run run) {
        return run.external() == null ? EPOCH_METRICS : run.external().metricKeys();
    }

    /** What x counts for the run: {@link Curve#EPOCH} or {@link Curve#STEP}. */
    public static String axis(Run run) {
        return run.external() == null ? Curve.EPOCH : Curve.STEP;
    }

    /**
     * The run's own name of the metric {@code name} means: that name when the run has it, else its counterpart
     * between Keras's names and Sweeplab's ({@code val_accuracy} and {@code valAccuracy}); empty when it has neither.
     */
    public static Optional<String> resolve(Run run, String name) {
        List<String> names = names(run);
        if (names.contains(name)) {
            return Optional.of(name);
        }
        return counterpart(name).filter(names::contains);
    }

    /** The other name of the same metric: Sweeplab's of a Keras name ({@code loss}: {@code trainLoss}) and back. */
    public static Optional<String> counterpart(String name) {
        if (KERAS.containsKey(name)) {
            return Optional.of(KERAS.get(name));
        }
        return KERAS.entrySet().stream()
                .filter(e -> e.getValue().equals(name))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * One metric of a run, thinned to at most {@code maxPoints}; a curve with no points when the run has no such
     * metric (or none yet).
     */
    public Curve curve(Caller caller, Run run, String metric, int maxPoints) {
        if (run.external() == null) {
            ToDoubleFunction<EpochMetric> value = EPOCH_VALUES.get(metric);
            if (value == null) {
                return new Curve(metric, Curve.EPOCH, 0, List.of());
            }
            List<EpochMetric> epochs = reader.epochs(caller, run.id());
            long[] x = new long[epochs.size()];
            double[] y = new double[epochs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = epochs.get(i).epoch();
                y[i] = value.applyAsDouble(epochs.get(i));
            }
            return thinned(metric, Curve.EPOCH, x, y, x.length, maxPoints);
        }
        if (!run.external().metricKeys().contains(metric)) {
            return new Curve(metric, Curve.STEP, 0, List.of());
        }
        Points points = new Points();
        reader.history(caller, run.external().mlflowRunId(), metric, points);
        return thinned(metric, Curve.STEP, points.x, points.y, points.n, maxPoints);
    }

    /** The latest value of each of the run's metrics, by name (a trained run's of its last epoch). */
    public Map<String, Double> latest(Caller caller, Run run) {
        Map<String, Double> out = new TreeMap<>();
        if (run.external() == null) {
            List<EpochMetric> epochs = reader.epochs(caller, run.id());
            if (!epochs.isEmpty()) {
                EpochMetric last = epochs.get(epochs.size() - 1);
                Map<String, Double> ordered = new LinkedHashMap<>();
                EPOCH_METRICS.forEach(m -> ordered.put(m, EPOCH_VALUES.get(m).applyAsDouble(last)));
                return ordered;
            }
            return out;
        }
        for (MetricPoint p : reader.latest(caller, run.external().mlflowRunId())) {
            out.put(p.key(), p.value());
        }
        return out;
    }

    private static Curve thinned(String metric, String axis, long[] x, double[] y, int n, int maxPoints) {
        int[] keep = Thinning.keep(y, n, maxPoints);
        List<Curve.Point> points = new ArrayList<>(keep.length);
        for (int i : keep) {
            points.add(new Curve.Point(x[i], y[i]));
        }
        return new Curve(metric, axis, n, points);
    }

    /** A history as read, in two growing arrays (a 100,000-point history is 1.6 MB, not 100,000 objects). */
    private static final class Points implements ExternalRunStore.PointSink {
        long[] x = new long[1024];
        double[] y = new double[1024];
        int n;

        @Override
        public void point(double value, long timestamp, long step) {
            if (n == x.length) {
                x = Arrays.copyOf(x, n * 2);
                y = Arrays.copyOf(y, n * 2);
            }
            x[n] = step;
            y[n] = value;
            n++;
        }
    }
}
