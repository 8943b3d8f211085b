package io.sweeplab.frontend.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.run.Run;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.frontend.sweeps.SweepPageTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonLayoutTest {

    static Run run(long id, Map<String, Object> cell) {
        return SweepPageTest.run(id, cell, 0.9);
    }

    static Sweep sweep(Map<String, List<Object>> grid, List<Run> runs) {
        return SweepPageTest.sweep(grid, runs);
    }

    /** The example: filters 16/32/64 by convLayers 1/2/3. */
    static Sweep filtersByConvolutions() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("params.filters", List.of(List.of(16), List.of(32), List.of(64)));
        grid.put("params.convLayers", List.of(1, 2, 3));
        List<Run> runs = new ArrayList<>();
        long id = 1;
        for (Object f : grid.get("params.filters")) {
            for (Object c : grid.get("params.convLayers")) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("params.filters", f);
                cell.put("params.convLayers", c);
                runs.add(run(id++, cell));
            }
        }
        return sweep(grid, runs);
    }

    @Test
    void rows_are_one_swept_parameter_and_columns_the_others_in_the_grids_order() {
        Sweep s = filtersByConvolutions();
        ArtifactComparison.Layout l = ArtifactComparison.Layout.of(s, s.runs(), "params.filters");
        assertThat(l.rows()).containsExactly("[16]", "[32]", "[64]");
        assertThat(l.columns()).containsExactly("params.convLayers=1", "params.convLayers=2", "params.convLayers=3");
        assertThat(l.cell("[32]", "params.convLayers=3")).extracting(Run::id).containsExactly(6L);

        ArtifactComparison.Layout t = ArtifactComparison.Layout.of(s, s.runs(), "params.convLayers");
        assertThat(t.rows()).containsExactly("1", "2", "3");
        assertThat(t.columns()).containsExactly("params.filters=[16]", "params.filters=[32]", "params.filters=[64]");
        assertThat(t.cell("3", "params.filters=[32]")).extracting(Run::id).containsExactly(6L);
    }

    @Test
    void only_the_shown_runs_take_rows_and_columns() {
        Sweep s = filtersByConvolutions();
        List<Run> two = List.of(s.runs().get(0), s.runs().get(8));
        ArtifactComparison.Layout l = ArtifactComparison.Layout.of(s, two, "params.filters");
        assertThat(l.rows()).containsExactly("[16]", "[64]");
        assertThat(l.columns()).containsExactly("params.convLayers=1", "params.convLayers=3");
    }

    @Test
    void a_sweep_of_one_parameter_puts_its_values_side_by_side() {
        Map<String, List<Object>> grid = Map.of("params.convLayers", List.of(2, 1));
        Sweep s = sweep(grid, List.of(run(1, Map.of("params.convLayers", 2)), run(2, Map.of("params.convLayers", 1))));
        ArtifactComparison.Layout l = ArtifactComparison.Layout.of(s, s.runs(), null);
        assertThat(l.rowKey()).isEqualTo("params.convLayers");
        assertThat(l.rows()).containsExactly("");
        assertThat(l.columns()).containsExactly("2", "1");
        assertThat(l.cell("", "1")).extracting(Run::id).containsExactly(2L);
    }
}
