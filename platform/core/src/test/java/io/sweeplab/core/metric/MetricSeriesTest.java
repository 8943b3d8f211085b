package io.sweeplab.core.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.external.ExternalRunStore;
import io.sweeplab.core.external.MetricPoint;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExternalDetails;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trained and external runs' metrics read one way, without a database. */
class MetricSeriesTest {

    static final String MLFLOW_ID = "0123456789abcdef0123456789abcdef";

    final List<String> reads = new ArrayList<>();
    final List<EpochMetric> epochs = List.of(
            new EpochMetric(1, 0.9, 0.70, 1.0, 0.68, 1, 100),
            new EpochMetric(2, 0.6, 0.80, 0.8, 0.75, 1, 100),
            new EpochMetric(3, 0.4, 0.88, 0.7, 0.79, 1, 100));
    final int historyLength = 100_000;

    final MetricSeries series = new MetricSeries(new MetricSeries.Reader() {
        @Override
        public List<EpochMetric> epochs(Caller caller, long run) {
            reads.add("epochs " + run);
            return epochs;
        }

        @Override
        public void history(Caller caller, String mlflowRunId, String key, ExternalRunStore.PointSink sink) {
            reads.add("history " + mlflowRunId + " " + key);
            for (int step = 0; step < historyLength; step++) {
                sink.point(step == 54_321 ? 40.0 : 1.0 / (1 + step), 1_700_000_000_000L + step, step);
            }
        }

        @Override
        public List<MetricPoint> latest(Caller caller, String mlflowRunId) {
            reads.add("latest " + mlflowRunId);
            return List.of(new MetricPoint("loss", 0.01, 1L, 99_999), new MetricPoint("accuracy", 0.97, 1L, 99_999));
        }
    });

    static Run trained(long id) {
        return new Run(
                id,
                "team",
                1,
                null,
                null,
                null,
                RunStatus.SUCCEEDED,
                null,
                null,
                null,
                null,
                3,
                0.7,
                0.79,
                null,
                null,
                "cpu",
                null,
                1,
                false,
                null,
                null,
                null,
                null);
    }

    static Run external(long id, List<String> keys) {
        return new Run(
                id,
                "team",
                1,
                null,
                null,
                RunSpec.external(1, Map.of()),
                RunStatus.SUCCEEDED,
                null,
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                false,
                null,
                null,
                null,
                null,
                new ExternalDetails(MLFLOW_ID, "notebook", "active", Map.of(), Map.of(), keys));
    }

    @Test
    void a_trained_run_has_its_four_per_epoch_metrics_over_epochs() {
        Run run = trained(5);
        assertThat(MetricSeries.names(run)).containsExactly("trainLoss", "trainAccuracy", "valLoss", "valAccuracy");
        Curve val = series.curve(null, run, "valAccuracy", 800);
        assertThat(val.axis()).isEqualTo("epoch");
        assertThat(val.total()).isEqualTo(3);
        assertThat(val.points())
                .containsExactly(new Curve.Point(1, 0.68), new Curve.Point(2, 0.75), new Curve.Point(3, 0.79));
        assertThat(series.curve(null, run, "loss", 800).points()).isEmpty(); // not its name: see resolve
        assertThat(series.latest(null, run))
                .containsExactly(
                        Map.entry("trainLoss", 0.4),
                        Map.entry("trainAccuracy", 0.88),
                        Map.entry("valLoss", 0.7),
                        Map.entry("valAccuracy", 0.79));
    }

    @Test
    void an_external_run_has_any_metric_it_logged_over_steps_thinned_in_one_read_with_its_spikes() {
        Run run = external(9, List.of("accuracy", "loss"));
        assertThat(MetricSeries.names(run)).containsExactly("accuracy", "loss");
        Curve loss = series.curve(null, run, "loss", 800);
        assertThat(reads).containsExactly("history " + MLFLOW_ID + " loss");
        assertThat(loss.axis()).isEqualTo("step");
        assertThat(loss.total()).isEqualTo(100_000);
        assertThat(loss.thinned()).isTrue();
        assertThat(loss.points()).hasSizeLessThanOrEqualTo(800);
        assertThat(loss.points().get(0)).isEqualTo(new Curve.Point(0, 1.0));
        assertThat(loss.points().get(loss.points().size() - 1).x()).isEqualTo(99_999);
        assertThat(loss.points()).contains(new Curve.Point(54_321, 40.0));
        assertThat(series.curve(null, run, "val_loss", 800).total()).isZero();
        assertThat(reads).hasSize(1); // a metric it does not have is not read
        assertThat(series.latest(null, run)).containsExactly(Map.entry("accuracy", 0.97), Map.entry("loss", 0.01));
    }

    @Test
    void keras_names_and_sweeplab_names_mean_the_same_metrics() {
        Run notebook = external(9, List.of("accuracy", "loss", "val_accuracy", "custom"));
        Run trained = trained(5);
        assertThat(MetricSeries.resolve(trained, "val_accuracy")).hasValue("valAccuracy");
        assertThat(MetricSeries.resolve(trained, "trainLoss")).hasValue("trainLoss");
        assertThat(MetricSeries.resolve(notebook, "valAccuracy")).hasValue("val_accuracy");
        assertThat(MetricSeries.resolve(notebook, "loss")).hasValue("loss");
        assertThat(MetricSeries.resolve(notebook, "valLoss")).isEmpty();
        assertThat(MetricSeries.resolve(trained, "custom")).isEmpty();
        assertThat(MetricSeries.counterpart("loss")).hasValue("trainLoss");
        assertThat(MetricSeries.counterpart("valAccuracy")).hasValue("val_accuracy");
        assertThat(MetricSeries.counterpart("custom")).isEmpty();
    }
}
