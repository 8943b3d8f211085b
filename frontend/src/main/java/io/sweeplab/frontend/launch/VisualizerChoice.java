package io.sweeplab.frontend.launch;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.sweeplab.core.plugin.PluginEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The visualizers a launch uses: every loaded one with a checkbox and its parameter form (values and axes, as for an
 * architecture). The checked ones become the run request's {@code visualizers}, in the order listed, each form at
 * {@code visualizers[i].params} for its place among them; none checked sends an empty list (runs without artifacts).
 */
final class VisualizerChoice extends VerticalLayout {

    /** One visualizer's checkbox and form. */
    private record Choice(PluginEntry entry, Checkbox use, Div box, ParamForm form) {}

    private final List<Choice> choices = new ArrayList<>();
    private Runnable onChange = () -> {};

    /** @param checked the ids checked at first; those not loaded are ignored */
    VisualizerChoice(List<PluginEntry> visualizers, Collection<String> checked) {
        setPadding(false);
        setSpacing(false);
        if (visualizers.isEmpty()) {
            add(new Paragraph("No visualizer plugins are loaded: runs make no artifacts."));
        }
        for (PluginEntry v : visualizers) {
            Checkbox use = new Checkbox(v.label() + " (" + v.id() + ")");
            use.setId("launch-visualizer-" + v.id());
            ParamForm form = new ParamForm(v.params(), "visualizers[0].params", "visualizer-" + v.id() + "-params");
            form.onChange(() -> onChange.run());
            Div box = new Div(form);
            box.setId("launch-visualizer-" + v.id() + "-params");
            box.setWidthFull();
            box.getStyle().set("padding-left", "var(--lumo-space-l)").set("box-sizing", "border-box");
            Paragraph about = new Paragraph(v.description());
            about.getStyle()
                    .set("margin", "0 0 0 var(--lumo-space-l)")
                    .set("color", "var(--lumo-secondary-text-color)")
                    .set("font-size", "var(--lumo-font-size-s)");
            Choice c = new Choice(v, use, box, form);
            choices.add(c);
            use.addValueChangeListener(e -> {
                renumber();
                onChange.run();
            });
            add(use, about, box);
        }
        check(checked);
    }

    void onChange(Runnable r) {
        this.onChange = r;
    }

    /** Checks exactly these ids (those not loaded are ignored). */
    void check(Collection<String> ids) {
        for (Choice c : choices) {
            c.use().setValue(ids.contains(c.entry().id()));
        }
        renumber();
    }

    /**
     * Uses a request's visualizer list: checks the ones it names and shows its parameter values (a lab exercise's own
     * choice).
     */
    void use(List<Map<String, Object>> visualizers) {
        check(visualizers.stream().map(v -> String.valueOf(v.get("id"))).toList());
        for (Map<String, Object> v : visualizers) {
            if (v.get("params") instanceof Map<?, ?> p) {
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) p;
                checked().stream()
                        .filter(c -> c.entry().id().equals(v.get("id")))
                        .forEach(c -> c.form().fill(params));
            }
        }
    }

    private List<Choice> checked() {
        return choices.stream().filter(c -> c.use().getValue()).toList();
    }

    /** Each checked form at its place among the checked ones; an unchecked one's form is hidden. */
    private void renumber() {
        int i = 0;
        for (Choice c : choices) {
            c.box().setVisible(c.use().getValue());
            if (c.use().getValue()) {
                c.form().prefix("visualizers[" + i++ + "].params");
            }
        }
    }

    /** The request's {@code visualizers} ({@code [{id, params}, ...]}), or empty when a field is invalid (marked). */
    Optional<List<Map<String, Object>>> values() {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean ok = true;
        for (Choice c : checked()) {
            Optional<Map<String, Object>> p = c.form().values();
            ok &= p.isPresent();
            p.ifPresent(params -> {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", c.entry().id());
                v.put("params", params);
                out.add(v);
            });
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** The grid axes of the checked visualizers' parameters, or empty when one is invalid (it is then marked). */
    Optional<Map<String, List<Object>>> axes() {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Choice c : checked()) {
            Optional<Map<String, List<Object>>> a = c.form().axes();
            ok &= a.isPresent();
            a.ifPresent(out::putAll);
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** Reads the fields of values to sweep over as a search's domains, or as grid values again. */
    void search(boolean on) {
        choices.forEach(c -> c.form().search(on));
    }

    /** The search domains of the checked visualizers' parameters, or empty when one is invalid (it is then marked). */
    Optional<Map<String, Object>> space() {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Choice c : checked()) {
            Optional<Map<String, Object>> d = c.form().space();
            ok &= d.isPresent();
            d.ifPresent(out::putAll);
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** How many runs the checked visualizers' axes make (1 without axes; 0 while one is invalid). */
    long runs() {
        long n = 1;
        for (Choice c : checked()) {
            n *= c.form().runs();
        }
        return n;
    }

    /** Marks the input of a field the server named ({@code base.visualizers[i].params.x}, ...), if it is ours. */
    boolean mark(String field, String message) {
        return checked().stream().anyMatch(c -> c.form().mark(field, message));
    }
}
