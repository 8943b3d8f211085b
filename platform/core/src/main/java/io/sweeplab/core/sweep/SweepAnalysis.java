package io.sweeplab.core.sweep;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Objective;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a sweep's runs say about an objective: each run's final value, the best run, the best value so far by trial
 * number (search sweeps), the swept parameters with their kind, and how much each explains the objective
 * ({@link ParameterImportance}).
 */
public final class SweepAnalysis {

    /** A grid sweep's objective unless one is chosen. */
    public static final Objective DEFAULT_OBJECTIVE = new Objective("testAccuracy", Objective.Goal.MAX);

    /** A per-epoch metric's final value is its last epoch's; the test scores are the run's own. */
    public static final List<String> METRICS =
            List.of("testAccuracy", "testLoss", "valAccuracy", "valLoss", "trainAccuracy", "trainLoss");

    public enum Kind {
        NUMERIC,
        CATEGORICAL
    }

    /**
     * A swept parameter.
     *
     * @param categories a categorical's values as labels ({@link #label}), in the grid's or space's order, then as
     *     the runs first show them; empty for a numeric one
     * @param log whether the search space samples it on a log scale
     */
    public record Parameter(String path, Kind kind, List<String> categories, boolean log) {
        public boolean numeric() {
            return kind == Kind.NUMERIC;
        }

        /** A run's value as a number: itself, or a categorical's index; NaN when the run has none. */
        public double code(Object value) {
            if (value == null) {
                return Double.NaN;
            }
            return numeric() ? ((Number) value).doubleValue() : categories.indexOf(label(value));
        }
    }

    /** A trial of a search sweep with its run's final value, and the best value of it and those before it. */
    public record Trial(int number, long run, double value, double bestSoFar) {}

    private final Sweep sweep;
    private final Objective objective;
    private final List<Parameter> parameters;
    private final Map<Long, Double> values;
    private ParameterImportance.Result importance;

    private SweepAnalysis(Sweep sweep, Objective objective, List<Parameter> parameters, Map<Long, Double> values) {
        this.sweep = sweep;
        this.objective = objective;
        this.parameters = parameters;
        this.values = values;
    }

    /** The search's objective, or for a grid sweep {@link #DEFAULT_OBJECTIVE}. */
    public static Objective objectiveOf(Sweep sweep) {
        return sweep.isSearch() ? sweep.search().objective() : DEFAULT_OBJECTIVE;
    }

    /** @param metrics the runs' epochs, by run id (a run without any has none) */
    public static SweepAnalysis of(Sweep sweep, Map<Long, List<EpochMetric>> metrics, Objective objective) {
        Map<Long, Double> values = new LinkedHashMap<>();
        for (Run r :
                sweep.runs().stream().sorted(Comparator.comparingLong(Run::id)).toList()) {
            Double v = valueOf(r, metrics.getOrDefault(r.id(), List.of()), objective.metric());
            if (v != null) {
                values.put(r.id(), v);
            }
        }
        return new SweepAnalysis(sweep, objective, parameters(sweep), values);
    }

    /**
     * A run's final value of a metric: null unless the run ended on its own or was stopped (a failed or cancelled
     * run's last epoch is not where it would have ended), or when it lacks the metric.
     */
    public static Double valueOf(Run run, List<EpochMetric> epochs, String metric) {
        if ((run.status() != RunStatus.SUCCEEDED && run.status() != RunStatus.STOPPED)
                || !Trials.METRICS.contains(metric)) {
            return null;
        }
        double v = Trials.finalValue(new Objective(metric, Objective.Goal.MAX), run, epochs); // the search's reading
        return Double.isNaN(v) ? null : v;
    }

    /** The swept paths (the grid's or the space's, then any other a run's cell holds), each with its kind. */
    static List<Parameter> parameters(Sweep sweep) {
        Map<String, List<Object>> declared = new LinkedHashMap<>(sweep.grid());
        Map<String, Boolean> log = new LinkedHashMap<>();
        if (sweep.isSearch()) {
            sweep.search().space().forEach((path, domain) -> {
                declared.put(path, List.of());
                if (domain instanceof Map<?, ?> d) {
                    if (d.get("values") instanceof List<?> values) {
                        declared.put(path, new ArrayList<>(values));
                    }
                    log.put(path, Boolean.TRUE.equals(d.get("log")));
                }
            });
        }
        LinkedHashSet<String> paths = new LinkedHashSet<>(declared.keySet());
        sweep.runs().stream()
                .sorted(Comparator.comparingLong(Run::id))
                .filter(r -> r.cell() != null)
                .forEach(r -> paths.addAll(r.cell().keySet()));
        List<Parameter> out = new ArrayList<>();
        for (String path : paths) {
            List<Object> seen = new ArrayList<>(declared.getOrDefault(path, List.of()));
            sweep.runs().stream()
                    .sorted(Comparator.comparingLong(Run::id))
                    .filter(r -> r.cell() != null && r.cell().containsKey(path))
                    .forEach(r -> seen.add(r.cell().get(path)));
            boolean numeric = seen.stream().filter(Objects::nonNull).allMatch(v -> v instanceof Number);
            List<String> categories = numeric
                    ? List.of()
                    : seen.stream().map(SweepAnalysis::label).distinct().toList();
            out.add(new Parameter(
                    path, numeric ? Kind.NUMERIC : Kind.CATEGORICAL, categories, log.getOrDefault(path, false)));
        }
        return List.copyOf(out);
    }

    /** A swept value as the sweep printed it: lists as [a, b], whole numbers without a needless .0. */
    public static String label(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (v instanceof List<?> list) {
            return list.stream().map(SweepAnalysis::label).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return v.toString();
    }

    public Objective objective() {
        return objective;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The runs with a final value of the objective, by run id in id order. */
    public Map<Long, Double> values() {
        return values;
    }

    /** The run with the best value (the lowest id among equals); null when none has a value. */
    public Long best() {
        Long best = null;
        for (Map.Entry<Long, Double> e : values.entrySet()) {
            if (best == null || objective.better(e.getValue(), values.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** For a search sweep, its trials with a value in number order, each with the best value up to it. */
    public List<Trial> bestSoFar() {
        if (!sweep.isSearch()) {
            return List.of();
        }
        List<Trial> out = new ArrayList<>();
        double best = Double.NaN;
        for (Search.TrialRecord t : sweep.search().trials().stream()
                .sorted(Comparator.comparingInt(Search.TrialRecord::number))
                .toList()) {
            Double v = t.run() == null ? null : values.get(t.run());
            if (v == null) {
                continue;
            }
            if (objective.better(v, best)) {
                best = v;
            }
            out.add(new Trial(t.number(), t.run(), v, best));
        }
        return out;
    }

    /** How much each parameter explains the objective over the runs with a value (computed once). */
    public ParameterImportance.Result importance() {
        if (importance == null) {
            Map<Long, Run> runs = new LinkedHashMap<>();
            sweep.runs().forEach(r -> runs.put(r.id(), r));
            double[][] x = new double[values.size()][];
            double[] y = new double[values.size()];
            int i = 0;
            for (Map.Entry<Long, Double> e : values.entrySet()) {
                Map<String, Object> cell = runs.get(e.getKey()).cell();
                double[] row = new double[parameters.size()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = parameters
                            .get(j)
                            .code(
                                    cell == null
                                            ? null
                                            : cell.get(parameters.get(j).path()));
                }
                x[i] = row;
                y[i++] = e.getValue();
            }
            importance = ParameterImportance.of(
                    parameters.stream().map(Parameter::path).toList(), x, y, sweep.id());
        }
        return importance;
    }
}
