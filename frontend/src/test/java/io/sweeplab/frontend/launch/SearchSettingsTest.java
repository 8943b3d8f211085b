package io.sweeplab.frontend.launch;

import static io.sweeplab.frontend.launch.VisualizerChoiceTest.entry;
import static io.sweeplab.frontend.launch.VisualizerChoiceTest.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.sweep.SweepRequest;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search settings of the launch page, and the search request they make, without a browser. */
class SearchSettingsTest {

    static final PluginEntry GRID = entry(ExtensionType.STRATEGY, "grid", ParamSchema.of());
    static final PluginEntry RANDOM = entry(ExtensionType.STRATEGY, "random", ParamSchema.of());
    static final PluginEntry TPE = entry(
            ExtensionType.STRATEGY,
            "tpe",
            ParamSchema.of(ParamSpec.ofInt("startupTrials", 10, 0, 1000, "random trials first")));
    static final PluginEntry ASHA = entry(
            ExtensionType.SCHEDULER,
            "asha",
            ParamSchema.of(
                    ParamSpec.ofInt("minEpochs", 1, 1, 1000, "first rung"),
                    ParamSpec.ofInt("reductionFactor", 3, 2, 10, "eta")));

    static final Map<String, Object> BASE = Map.of("architecture", "dense", "epochs", 1);
    static final Map<String, Object> SPACE = Map.of(
            "params.units", Map.of("int", List.of(16, 256), "log", true),
            "learningRate", Map.of("float", List.of(0.0001, 0.01), "log", true),
            "epochs", Map.of("values", List.of(1, 2)));

    static SearchSettings settings() {
        return new SearchSettings(List.of(GRID, RANDOM, TPE), List.of(ASHA), 100);
    }

    @SuppressWarnings("unchecked")
    static <T> Select<T> select(SearchSettings s, String id) {
        return field(s, id, Select.class);
    }

    @Test
    void random_is_chosen_first_and_the_budget_is_required() {
        SearchSettings s = settings();
        assertThat(select(s, "launch-strategy").getValue()).isEqualTo(RANDOM);
        assertThat(field(s, "launch-parallelism", IntegerField.class).getValue())
                .isEqualTo(2);
        assertThat(s.plan(3).ready()).isFalse();
        assertThat(s.plan(3).text()).contains("budget");

        assertThat(s.request(7L, "search", BASE, SPACE)).isEmpty();
        IntegerField maxRuns = field(s, "launch-max-runs", IntegerField.class);
        assertThat(maxRuns.isInvalid()).isTrue();
        assertThat(maxRuns.getErrorMessage()).contains("1 to 100");
    }

    @Test
    void a_filled_form_makes_the_search_request_and_its_plan_line() {
        SearchSettings s = settings();
        field(s, "launch-max-runs", IntegerField.class).setValue(20);
        assertThat(s.plan(3))
                .isEqualTo(new SearchSettings.Plan(
                        "Search: up to 20 trials, 2 at a time, random over 3 dimensions; maximising valAccuracy",
                        true));

        SweepRequest r = s.request(7L, "search", BASE, SPACE).orElseThrow();
        assertThat(r)
                .isEqualTo(new SweepRequest(
                        7L,
                        "search",
                        BASE,
                        null,
                        new RunRequest.ExtensionRequest("random", Map.of()),
                        SPACE,
                        new SweepRequest.ObjectiveRequest("valAccuracy", "max"),
                        new SweepRequest.BudgetRequest(20, null),
                        2,
                        null,
                        null));
        assertThat(r.isSearch()).isTrue();
    }

    @Test
    void every_setting_goes_into_the_request() {
        SearchSettings s = settings();
        select(s, "launch-strategy").setValue(TPE);
        field(s, "param-strategy-params-startupTrials", IntegerField.class).setValue(4);
        select(s, "launch-scheduler").setValue("asha");
        field(s, "param-scheduler-params-reductionFactor", IntegerField.class).setValue(2);
        Select<String> metric = select(s, "launch-objective-metric");
        Select<String> goal = select(s, "launch-objective-goal");
        metric.setValue("valLoss");
        assertThat(goal.getValue()).isEqualTo("min"); // a loss is minimised unless told otherwise
        field(s, "launch-max-runs", IntegerField.class).setValue(3);
        field(s, "launch-max-hours", NumberField.class).setValue(1.5);
        field(s, "launch-parallelism", IntegerField.class).setValue(4);
        field(s, "launch-seed", TextField.class).setValue("9007199254740993");

        assertThat(s.plan(1).text())
                .isEqualTo("Search: up to 3 trials, 3 at a time, tpe over 1 dimension; minimising valLoss;"
                        + " for at most 1.5 h; asha stops trials early");
        SweepRequest r = s.request(7L, "search", BASE, SPACE).orElseThrow();
        assertThat(r.strategy()).isEqualTo(new RunRequest.ExtensionRequest("tpe", Map.of("startupTrials", 4)));
        assertThat(r.scheduler())
                .isEqualTo(new RunRequest.ExtensionRequest("asha", Map.of("minEpochs", 1, "reductionFactor", 2)));
        assertThat(r.objective()).isEqualTo(new SweepRequest.ObjectiveRequest("valLoss", "min"));
        assertThat(r.budget()).isEqualTo(new SweepRequest.BudgetRequest(3, 1.5));
        assertThat(r.parallelism()).isEqualTo(4);
        assertThat(r.seed()).isEqualTo(9007199254740993L);

        select(s, "launch-scheduler").setValue("none");
        assertThat(s.request(7L, "search", BASE, SPACE).orElseThrow().scheduler())
                .isNull();
    }

    @Test
    void no_space_or_a_bad_seed_is_not_ready() {
        SearchSettings s = settings();
        field(s, "launch-max-runs", IntegerField.class).setValue(5);
        assertThat(s.plan(0).ready()).isFalse();
        assertThat(s.plan(0).text()).contains("at least one parameter");
        TextField seed = field(s, "launch-seed", TextField.class);
        seed.setValue("one");
        assertThat(seed.isInvalid()).isTrue();
        assertThat(s.plan(2).ready()).isFalse();
        assertThat(s.request(7L, "search", BASE, SPACE)).isEmpty();
    }

    @Test
    void server_errors_land_on_the_setting_they_name() {
        SearchSettings s = settings();
        select(s, "launch-strategy").setValue(TPE);
        select(s, "launch-scheduler").setValue("asha");
        assertThat(s.mark(new FieldError("strategy.params.startupTrials", "too many")))
                .isTrue();
        assertThat(field(s, "param-strategy-params-startupTrials", IntegerField.class)
                        .getErrorMessage())
                .isEqualTo("too many");
        assertThat(s.mark(new FieldError("scheduler.params.minEpochs", "beyond epochs")))
                .isTrue();
        assertThat(field(s, "param-scheduler-params-minEpochs", IntegerField.class)
                        .isInvalid())
                .isTrue();
        assertThat(s.mark(new FieldError("strategy.id", "unknown"))).isTrue();
        assertThat(select(s, "launch-strategy").isInvalid()).isTrue();
        for (String[] f : new String[][] {
            {"budget.maxRuns", "launch-max-runs"},
            {"budget.maxHours", "launch-max-hours"},
            {"parallelism", "launch-parallelism"},
            {"seed", "launch-seed"},
            {"objective.metric", "launch-objective-metric"},
            {"objective.goal", "launch-objective-goal"}
        }) {
            assertThat(s.mark(new FieldError(f[0], "bad " + f[0]))).isTrue();
            com.vaadin.flow.component.HasValidation v = field(s, f[1], com.vaadin.flow.component.HasValidation.class);
            assertThat(v.isInvalid()).as(f[0]).isTrue();
            assertThat(v.getErrorMessage()).isEqualTo("bad " + f[0]);
        }
        assertThat(s.mark(new FieldError("space.params.units", "not ours"))).isFalse();
    }
}
