package io.sweeplab.plugins.search;

import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SweepStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Random search: each dimension drawn independently and uniformly (log-uniformly for a log range). Trial
 * {@code n}'s configuration depends only on the sweep's seed and {@code n}, so a replayed sweep proposes the same.
 */
public final class RandomStrategy implements SweepStrategy {

    @Override
    public String id() {
        return "random";
    }

    @Override
    public String label() {
        return "Random search";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Draws each parameter at random (log-uniformly for log ranges), reproducibly from the sweep's seed.";
    }

    @Override
    public List<Map<String, Object>> propose(Params params, SearchContext context, int count) {
        int next = Draws.nextNumber(context.trials());
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Draws.configuration(context.space(), Draws.forTrial(context.seed(), next + i)));
        }
        return out;
    }
}
