package io.sweeplab.frontend.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.external.ExternalRunStore;
import io.sweeplab.core.external.MetricPoint;
import io.sweeplab.core.metric.MetricSeries;
import io.sweeplab.core.run.DataSpec;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExternalDetails;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Runs page's filter and comparison of trained and external runs, without a browser or a database. */
class RunsComparisonTest {

    static final String MLFLOW_ID = "0123456789abcdef0123456789abcdef";

    final MetricSeries series = new MetricSeries(new MetricSeries.Reader() {
        @Override
        public List<EpochMetric> epochs(Caller caller, long run) {
            return List.of(
                    new EpochMetric(1, 0.9, 0.70, 1.0, 0.68, 1, 100), new EpochMetric(2, 0.5, 0.85, 0.8, 0.77, 1, 100));
        }

        @Override
        public void history(Caller caller, String mlflowRunId, String key, ExternalRunStore.PointSink sink) {
            for (int step = 0; step < 300; step++) {
                sink.point(key.equals("loss") ? 2.0 / (1 + step) : step / 300.0, 1L, step);
            }
        }

        @Override
        public List<MetricPoint> latest(Caller caller, String mlflowRunId) {
            return List.of(new MetricPoint("accuracy", 0.9967, 1L, 299), new MetricPoint("loss", 0.00664, 1L, 299));
        }
    });

    static Run trained(long id) {
        RunSpec spec =
                new RunSpec(1, "dense", Map.of(), 2, 32, 0.001, 42, List.of(), List.of(), DataSpec.FULL, false, null);
        return new Run(
                id,
                "lab",
                1,
                null,
                null,
                spec,
                RunStatus.SUCCEEDED,
                null,
                null,
                null,
                null,
                2,
                0.8,
                0.77,
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

    static Run external(long id, String name) {
        return new Run(
                id,
                "lab",
                1,
                null,
                null,
                RunSpec.external(1, Map.of("optimizer", "adam")),
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
                new ExternalDetails(
                        MLFLOW_ID, name, "active", Map.of("optimizer", "adam"), Map.of(), List.of("accuracy", "loss")));
    }

    @Test
    void the_filter_keeps_runs_by_source_and_by_every_word_typed() {
        Run dense = trained(5);
        Run notebook = external(9, "Keras notebook");
        assertThat(RunsComparison.matches(notebook, "", "external")).isTrue();
        assertThat(RunsComparison.matches(dense, "", "external")).isFalse();
        assertThat(RunsComparison.matches(dense, null, RunsComparison.ALL)).isTrue();
        assertThat(RunsComparison.matches(notebook, "keras succeeded", "all")).isTrue();
        assertThat(RunsComparison.matches(notebook, "keras dense", "all")).isFalse();
        assertThat(RunsComparison.matches(dense, "DENSE run 5", "trained")).isTrue();
        assertThat(RunsComparison.label(notebook)).isEqualTo("run 9 · Keras notebook");
        assertThat(RunsComparison.label(dense)).isEqualTo("run 5 · dense");
    }

    @Test
    void a_trained_and_an_external_run_overlay_one_metric_each_over_its_own_axis() {
        List<Run> chosen = List.of(trained(5), external(9, "notebook"));
        // Keras's loss and accuracy are the trained run's training loss and accuracy: listed once, by the first name
        assertThat(RunsComparison.metrics(chosen))
                .containsExactly("trainLoss", "trainAccuracy", "valLoss", "valAccuracy");
        assertThat(RunsComparison.metrics(List.of(chosen.get(1), chosen.get(0))))
                .containsExactly("accuracy", "loss", "valLoss", "valAccuracy");
        assertThat(RunsComparison.metric(chosen, null)).hasValue("trainLoss");
        assertThat(RunsComparison.metric(chosen, "valAccuracy")).hasValue("valAccuracy");
        assertThat(RunsComparison.metric(chosen, "accuracy")).hasValue("trainLoss"); // not listed: the default
        assertThat(RunsComparison.metric(List.of(), null)).isEmpty();

        RunsComparison.Overlay loss = RunsComparison.overlay(series, null, chosen, "loss");
        assertThat(loss.points()).isEqualTo(2 + 300);
        assertThat(loss.without()).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines =
                (List<Map<String, Object>>) loss.option().get("series");
        assertThat(lines)
                .extracting(l -> l.get("name"))
                .containsExactly("run 5 · dense (trainLoss)", "run 9 · notebook");
        assertThat(lines.get(0).get("data")).isEqualTo(List.of(List.of(1L, 0.9), List.of(2L, 0.5)));
        assertThat(((List<?>) lines.get(1).get("data"))).hasSize(300);
        // steps along the bottom, epochs along the top: both lines span the chart
        assertThat(lines).extracting(l -> l.get("xAxisIndex")).containsExactly(1, 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> x = (List<Map<String, Object>>) loss.option().get("xAxis");
        assertThat(x).extracting(a -> a.get("name")).containsExactly("step (external runs)", "epoch (trained runs)");
        assertThat(x).extracting(a -> a.get("position")).containsExactly("bottom", "top");

        RunsComparison.Overlay val = RunsComparison.overlay(series, null, chosen, "valLoss");
        assertThat(val.without()).extracting(Run::id).containsExactly(9L);
        assertThat(val.points()).isEqualTo(2);
        assertThat(((Map<?, ?>) val.option().get("xAxis")).get("name")).isEqualTo("epoch"); // one kind: one axis
    }

    @Test
    void the_latest_values_sit_side_by_side_under_each_name() {
        List<Run> chosen = List.of(trained(5), external(9, "notebook"));
        List<RunsComparison.Latest> rows =
                RunsComparison.latest(series, null, chosen, List.of("loss", "valAccuracy", "accuracy"));
        assertThat(rows.get(0).values())
                .containsExactly(Map.entry("loss", 0.5), Map.entry("valAccuracy", 0.77), Map.entry("accuracy", 0.85));
        assertThat(rows.get(1).values()).containsEntry("loss", 0.00664).containsEntry("valAccuracy", null);
        assertThat(RunsComparison.value(0.00664)).isEqualTo("0.0066");
        assertThat(RunsComparison.value(0.0001234)).isEqualTo("1.234e-04");
        assertThat(RunsComparison.value(null)).isEmpty();
    }
}
