package io.sweeplab.frontend.runs;

import com.vaadin.flow.component.combobox.ComboBox;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.frontend.components.Charts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Choosing one of the user's runs by what they remember of it: its id, its sweep's name, its cell (the swept values),
 * its architecture or its status; the typed words may come in any order. Runs Sweeplab trained only.
 */
final class RunPicker extends ComboBox<Run> {

    RunPicker(String label) {
        super(label);
        setPlaceholder("search: sweep name, cell, architecture, run id");
        setClearButtonVisible(true);
        setWidth("520px");
    }

    /** Offers the runs the caller sees but {@code except}, newest first. */
    void load(RunService runs, SweepService sweeps, Caller caller, long except) {
        Map<Long, String> sweepNames =
                sweeps.list(caller, null).stream().collect(Collectors.toMap(Sweep::id, Sweep::name, (a, b) -> a));
        List<Run> all = new ArrayList<>(runs.list(caller, null).stream()
                // runs logged from outside have no visualizers' artifacts to compare with
                .filter(r -> r.id() != except && r.external() == null)
                .toList());
        all.sort((a, b) -> Long.compare(b.id(), a.id()));
        Function<Run, String> label = r -> label(r, sweepNames);
        setItemLabelGenerator(label::apply);
        setItems(
                (run, filter) -> {
                    String text = label.apply(run).toLowerCase(Locale.ROOT);
                    for (String word : filter.toLowerCase(Locale.ROOT).split("\\s+")) {
                        if (!word.isEmpty() && !text.contains(word)) {
                            return false;
                        }
                    }
                    return true;
                },
                all);
    }

    static String label(Run r, Map<Long, String> sweepNames) {
        StringBuilder s = new StringBuilder("run ").append(r.id());
        if (r.sweep() != null) {
            s.append(" · ").append(sweepNames.getOrDefault(r.sweep(), "sweep " + r.sweep()));
        }
        if (r.cell() != null && !r.cell().isEmpty()) {
            s.append(" · ")
                    .append(r.cell().entrySet().stream()
                            .map(e -> e.getKey() + "=" + Charts.value(e.getValue()))
                            .collect(Collectors.joining(", ")));
        }
        s.append(" · ")
                .append(r.spec().architecture())
                .append(" · ")
                .append(r.status().jsonName());
        if (r.testAccuracy() != null) {
            s.append(" · ").append(Charts.pct(r.testAccuracy()));
        }
        return s.toString();
    }
}
