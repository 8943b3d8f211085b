package io.sweeplab.plugins.search;

import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.Domain;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SearchSpace.IntRange;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.Trial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration of the space once, in the order of a grid sweep: the cartesian product in path order, the last
 * path varying fastest, a choice's values as given and every integer of an int range. Configurations already among
 * the trials (in any state) are skipped, so a replayed or extended sweep never repeats a cell.
 */
public final class GridStrategy implements SweepStrategy {

    /** The most cells a grid search enumerates. */
    static final long MAX_CELLS = 100_000;

    @Override
    public String id() {
        return "grid";
    }

    @Override
    public String label() {
        return "Grid";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Tries every combination of the values once, the last path varying fastest; needs values or int"
                + " ranges.";
    }

    @Override
    public List<ParamViolation> check(Params params, SearchSpace space) {
        List<ParamViolation> violations = new ArrayList<>();
        space.dimensions().forEach((path, domain) -> {
            if (domain instanceof FloatRange) {
                violations.add(new ParamViolation(
                        path, "a grid needs values or an int range; use random or tpe for a float range"));
            }
        });
        if (violations.isEmpty() && cells(space) > MAX_CELLS) {
            violations.add(new ParamViolation(
                    "space",
                    "the grid has " + cells(space) + " cells, more than " + MAX_CELLS + "; use random or tpe"));
        }
        return violations;
    }

    @Override
    public List<Map<String, Object>> propose(Params params, SearchContext context, int count) {
        SearchSpace space = context.space();
        if (cells(space) > MAX_CELLS) {
            throw new IllegalArgumentException("the grid has " + cells(space) + " cells, more than " + MAX_CELLS);
        }
        List<String> paths = space.paths();
        List<List<Object>> axes = new ArrayList<>();
        for (String path : paths) {
            axes.add(values(path, space.dimensions().get(path)));
        }
        Set<List<Object>> tried = new HashSet<>();
        for (Trial t : context.trials()) {
            tried.add(key(paths, t.params()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        int[] index = new int[paths.size()];
        while (out.size() < count) {
            Map<String, Object> cell = new LinkedHashMap<>();
            for (int k = 0; k < paths.size(); k++) {
                cell.put(paths.get(k), axes.get(k).get(index[k]));
            }
            if (tried.add(key(paths, cell))) {
                out.add(cell);
            }
            int k = paths.size() - 1;
            while (k >= 0 && ++index[k] == axes.get(k).size()) {
                index[k] = 0;
                k--;
            }
            if (k < 0) {
                break;
            }
        }
        return out;
    }

    private static long cells(SearchSpace space) {
        long n = 1;
        for (Domain d : space.dimensions().values()) {
            long size =
                    d instanceof Choice c ? c.values().size() : (long) ((IntRange) d).high() - ((IntRange) d).low() + 1;
            n = n > Long.MAX_VALUE / size ? Long.MAX_VALUE : n * size;
        }
        return n;
    }

    private static List<Object> values(String path, Domain domain) {
        if (domain instanceof Choice c) {
            return c.values();
        }
        if (domain instanceof IntRange r) {
            List<Object> out = new ArrayList<>(r.high() - r.low() + 1);
            for (long i = r.low(); i <= r.high(); i++) {
                out.add((int) i);
            }
            return out;
        }
        throw new IllegalArgumentException(
                path + ": a grid needs values or an int range; use random or tpe for a float range");
    }

    /** The configuration's values in path order, numbers compared by value (16 and 16.0 are one cell). */
    private static List<Object> key(List<String> paths, Map<String, Object> params) {
        List<Object> key = new ArrayList<>(paths.size());
        for (String path : paths) {
            key.add(Values.canonical(params.get(path)));
        }
        return key;
    }
}
