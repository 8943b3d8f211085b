package io.sweeplab.frontend.launch;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.sweep.SweepRequest;
import io.sweeplab.core.sweep.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a search sweep: its strategy and scheduler (each with its parameter form), the objective, the
 * budget, how many trials run at once and the seed. With the space and base from the rest of the page they make the
 * {@link SweepRequest}; the server's errors about them are marked at their fields.
 */
final class SearchSettings extends VerticalLayout {

    /** The strategy chosen when the page opens, if loaded. */
    static final String DEFAULT_STRATEGY = "random";

    static final int DEFAULT_PARALLELISM = 2;

    /** What the plan line says, and whether the search can be launched as it stands. */
    record Plan(String text, boolean ready) {}

    private final List<PluginEntry> schedulers;
    private final int maxRunsLimit;
    private final Select<PluginEntry> strategy = new Select<>();
    private final Div strategyBox = new Div();
    private ParamForm strategyParams;
    private final Select<String> scheduler = new Select<>();
    private final Div schedulerBox = new Div();
    private ParamForm schedulerParams;
    private final Select<String> metric = new Select<>();
    private final Select<String> goal = new Select<>();
    private final IntegerField maxRuns = new IntegerField("Budget: trials at most");
    private final NumberField maxHours = new NumberField("Budget: hours at most");
    private final IntegerField parallelism = new IntegerField("Trials at a time");
    private final TextField seed = new TextField("Seed");
    private Runnable onChange = () -> {};

    /** @param maxRunsLimit the most runs a sweep may have (the budget's upper bound) */
    SearchSettings(List<PluginEntry> strategies, List<PluginEntry> schedulers, int maxRunsLimit) {
        this.schedulers = schedulers;
        this.maxRunsLimit = maxRunsLimit;
        setPadding(false);
        setSpacing(false);

        strategy.setId("launch-strategy");
        strategy.setLabel("Strategy");
        strategy.setWidth("420px");
        strategy.setItems(strategies);
        strategy.setItemLabelGenerator(p -> p.label() + " (" + p.id() + ")");
        strategy.setHelperText("proposes each trial's values from the space and the trials so far");
        strategy.addValueChangeListener(e -> {
            strategy.setInvalid(false);
            strategyParams = form(strategyBox, e.getValue(), "strategy.params");
            onChange.run();
        });
        strategyBox.setId("launch-strategy-params");
        strategyBox.setWidthFull();

        scheduler.setId("launch-scheduler");
        scheduler.setLabel("Early stopping");
        scheduler.setWidth("420px");
        List<String> ids = new ArrayList<>(List.of("none"));
        schedulers.forEach(s -> ids.add(s.id()));
        scheduler.setItems(ids);
        scheduler.setItemLabelGenerator(
                id -> find(schedulers, id).map(p -> p.label() + " (" + id + ")").orElse("None"));
        scheduler.setValue("none");
        scheduler.setHelperText("stops trials that fall behind the others, epoch by epoch");
        scheduler.addValueChangeListener(e -> {
            scheduler.setInvalid(false);
            schedulerParams = form(schedulerBox, find(schedulers, e.getValue()).orElse(null), "scheduler.params");
            onChange.run();
        });
        schedulerBox.setId("launch-scheduler-params");
        schedulerBox.setWidthFull();

        metric.setId("launch-objective-metric");
        metric.setLabel("Objective");
        metric.setItems(Trials.METRICS.stream().sorted().toList());
        metric.setValue("valAccuracy");
        metric.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                goal.setValue(e.getValue().endsWith("Loss") ? "min" : "max");
            }
            onChange.run();
        });
        goal.setId("launch-objective-goal");
        goal.setLabel("Goal");
        goal.setItems("max", "min");
        goal.setItemLabelGenerator(g -> g.equals("max") ? "maximise (max)" : "minimise (min)");
        goal.setValue("max");
        goal.addValueChangeListener(e -> onChange.run());

        maxRuns.setId("launch-max-runs");
        maxRuns.setMin(1);
        maxRuns.setMax(maxRunsLimit);
        maxRuns.setRequiredIndicatorVisible(true);
        maxRuns.setHelperText("required: how many trials the search may run (1 to " + maxRunsLimit + ")");
        maxRuns.setValueChangeMode(ValueChangeMode.LAZY);
        maxRuns.addValueChangeListener(e -> onChange.run());
        maxHours.setId("launch-max-hours");
        maxHours.setMin(0);
        maxHours.setHelperText("empty: no time limit; no new trial starts after it");
        maxHours.setValueChangeMode(ValueChangeMode.LAZY);
        maxHours.addValueChangeListener(e -> onChange.run());
        parallelism.setId("launch-parallelism");
        parallelism.setMin(1);
        parallelism.setValue(DEFAULT_PARALLELISM);
        parallelism.setStepButtonsVisible(true);
        parallelism.setHelperText("how many trials may train at once");
        parallelism.setValueChangeMode(ValueChangeMode.LAZY);
        parallelism.addValueChangeListener(e -> onChange.run());
        seed.setId("launch-seed");
        seed.setHelperText("empty: a random one, recorded with the sweep");
        seed.setValueChangeMode(ValueChangeMode.LAZY);
        seed.addValueChangeListener(e -> {
            seed();
            onChange.run();
        });

        FormLayout objective = new FormLayout(metric, goal, maxRuns, maxHours, parallelism, seed);
        objective.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("700px", 2));
        objective.setWidthFull();
        if (strategies.isEmpty()) {
            add(new Paragraph("No strategy plugins are loaded: a search cannot be launched."));
        }
        add(strategy, strategyBox, scheduler, schedulerBox, objective);
        find(strategies, DEFAULT_STRATEGY)
                .or(() -> strategies.stream().findFirst())
                .ifPresent(strategy::setValue);
    }

    void onChange(Runnable r) {
        this.onChange = r;
    }

    private static Optional<PluginEntry> find(List<PluginEntry> entries, String id) {
        return entries.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The form of a strategy's or scheduler's parameters, shown in its box; null for none. */
    private ParamForm form(Div box, PluginEntry entry, String prefix) {
        box.removeAll();
        if (entry == null) {
            return null;
        }
        ParamForm form = ParamForm.valuesOnly(entry.params(), prefix);
        form.onChange(() -> onChange.run());
        form.getStyle().set("padding-left", "var(--lumo-space-l)").set("box-sizing", "border-box");
        box.add(form);
        return form;
    }

    /** The plan line of a search over this many dimensions. */
    Plan plan(int dimensions) {
        if (strategy.getValue() == null) {
            return new Plan("Choose a strategy.", false);
        }
        Integer n = maxRuns.getValue();
        if (n == null || n < 1 || n > maxRunsLimit) {
            return new Plan("Search: set the budget, how many trials at most (1 to " + maxRunsLimit + ").", false);
        }
        if (dimensions == 0) {
            return new Plan(
                    "Search: give at least one parameter values or a range to search over (\"Sweep ... over\").",
                    false);
        }
        Integer p = parallelism.getValue();
        if (p == null || p < 1) {
            return new Plan("Search: set how many trials may train at once.", false);
        }
        StringBuilder s = new StringBuilder("Search: up to " + n + (n == 1 ? " trial, " : " trials, ")
                + Math.min(n, p) + " at a time, " + strategy.getValue().id() + " over " + dimensions
                + (dimensions == 1 ? " dimension" : " dimensions"));
        if (metric.getValue() != null && goal.getValue() != null) {
            s.append("; ")
                    .append(goal.getValue().equals("max") ? "maximising " : "minimising ")
                    .append(metric.getValue());
        }
        if (maxHours.getValue() != null) {
            s.append("; for at most ").append(maxHours.getValue()).append(" h");
        }
        if (!"none".equals(scheduler.getValue())) {
            s.append("; ").append(scheduler.getValue()).append(" stops trials early");
        }
        return new Plan(s.toString(), seed().isPresent());
    }

    /**
     * The search request, or empty when a setting is missing or invalid (it is then marked).
     *
     * @param base the run request every trial shares
     * @param space request path to domain, from the parameters' fields
     */
    Optional<SweepRequest> request(Long experiment, String name, Map<String, Object> base, Map<String, Object> space) {
        boolean ok = true;
        if (strategy.getValue() == null) {
            invalid(strategy, "choose a strategy");
            ok = false;
        }
        Integer n = maxRuns.getValue();
        if (n == null || n < 1 || n > maxRunsLimit) {
            invalid(maxRuns, "how many trials the search may run, 1 to " + maxRunsLimit);
            ok = false;
        } else {
            maxRuns.setInvalid(false);
        }
        Optional<Map<String, Object>> sp = strategyParams == null ? Optional.of(Map.of()) : strategyParams.values();
        Optional<Map<String, Object>> cp = schedulerParams == null ? Optional.of(Map.of()) : schedulerParams.values();
        Optional<Optional<Long>> s = seed();
        if (!ok || sp.isEmpty() || cp.isEmpty() || s.isEmpty() || maxHours.isInvalid() || parallelism.isInvalid()) {
            return Optional.empty();
        }
        return Optional.of(new SweepRequest(
                experiment,
                name,
                base,
                null,
                new RunRequest.ExtensionRequest(strategy.getValue().id(), sp.get()),
                space,
                new SweepRequest.ObjectiveRequest(metric.getValue(), goal.getValue()),
                new SweepRequest.BudgetRequest(n, maxHours.getValue()),
                parallelism.getValue(),
                schedulerParams == null ? null : new RunRequest.ExtensionRequest(scheduler.getValue(), cp.get()),
                s.get().orElse(null)));
    }

    /** The seed typed (empty inside when none is), or empty when it is not a whole number (it is then marked). */
    private Optional<Optional<Long>> seed() {
        String t = seed.getValue() == null ? "" : seed.getValue().strip();
        if (t.isEmpty()) {
            seed.setInvalid(false);
            return Optional.of(Optional.empty());
        }
        try {
            long v = Long.parseLong(t);
            seed.setInvalid(false);
            return Optional.of(Optional.of(v));
        } catch (NumberFormatException e) {
            invalid(seed, "a whole number, or empty for a random seed");
            return Optional.empty();
        }
    }

    /** Marks the field of a search setting the server named ({@code strategy.params.x}, {@code budget.maxRuns}...). */
    boolean mark(FieldError fe) {
        String f = fe.field();
        if (strategyParams != null && strategyParams.mark(f, fe.message())
                || schedulerParams != null && schedulerParams.mark(f, fe.message())) {
            return true;
        }
        HasValidation field = f.equals("strategy") || f.startsWith("strategy.")
                ? strategy
                : f.equals("scheduler") || f.startsWith("scheduler.")
                        ? scheduler
                        : switch (f) {
                            case "objective", "objective.metric" -> metric;
                            case "objective.goal" -> goal;
                            case "budget", "budget.maxRuns" -> maxRuns;
                            case "budget.maxHours" -> maxHours;
                            case "parallelism" -> parallelism;
                            case "seed" -> seed;
                            default -> null;
                        };
        if (field == null) {
            return false;
        }
        invalid(field, fe.message());
        return true;
    }

    private static void invalid(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }
}
