package io.sweeplab.app.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweeplab.app.run.RunView;
import io.sweeplab.core.sweep.Search;
import io.sweeplab.core.sweep.Sweep;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sweep as the API shows it; {@code runs} (and the search's {@code trials}) only on the single-sweep resource,
 * {@code search} only for a search sweep.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepView(
        long id,
        String team,
        long experiment,
        String name,
        String template,
        String status,
        int size,
        Map<String, Integer> counts,
        Map<String, Object> base,
        Map<String, List<Object>> grid,
        Instant createdAt,
        Instant cancelledAt,
        List<RunView> runs,
        Search search) {

    public static SweepView of(Sweep s) {
        return new SweepView(
                s.id(),
                s.team(),
                s.experiment(),
                s.name(),
                s.template(),
                s.status(),
                s.size(),
                s.counts(),
                s.base(),
                s.grid(),
                s.createdAt(),
                s.cancelledAt(),
                s.runs() == null ? null : s.runs().stream().map(RunView::of).toList(),
                s.search());
    }
}
