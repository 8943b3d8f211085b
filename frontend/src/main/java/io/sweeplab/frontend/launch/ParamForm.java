package io.sweeplab.frontend.launch;

import com.vaadin.flow.component.AbstractField;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A form generated from a plugin's parameter schema: one input per parameter, typed and bounded as declared, with
 * its default and help text, and beside it a field for the values to sweep it over: grid values, or in
 * {@link #search(boolean) search} mode a search domain (see {@link AxisSyntax}). Each value is checked against the
 * schema here, and a bad one is marked at its field and never sent.
 */
public final class ParamForm extends FormLayout {

    /** One parameter's inputs; {@code axis} is null in a form of values only. */
    private record Input(ParamSpec spec, Component value, TextField axis) {}

    private final String idName;
    private String prefix;
    private final Map<String, Input> inputs = new LinkedHashMap<>();
    private Runnable onChange = () -> {};
    private boolean search;

    /**
     * @param prefix the path of these parameters in a run request, for example {@code params} or
     *     {@code callbacks[0].params}; ids and grid keys start with it
     */
    public ParamForm(ParamSchema schema, String prefix) {
        this(schema, prefix, prefix);
    }

    /**
     * @param prefix the path of these parameters in a run request (see {@link #prefix(String)})
     * @param idName what the inputs' ids are made of instead of the prefix ({@code param-<idName>-<parameter>}), for
     *     a form whose prefix may move
     */
    public ParamForm(ParamSchema schema, String prefix, String idName) {
        this(schema, prefix, idName, true);
    }

    /**
     * A form of values only, without fields for values to sweep over: the settings of a sweep's strategy or
     * scheduler, for example.
     */
    public static ParamForm valuesOnly(ParamSchema schema, String prefix) {
        return new ParamForm(schema, prefix, prefix, false);
    }

    private ParamForm(ParamSchema schema, String prefix, String idName, boolean sweepable) {
        this.prefix = prefix;
        this.idName = idName.replaceAll("[^A-Za-z0-9]+", "-");
        setResponsiveSteps(new ResponsiveStep("0", 1), new ResponsiveStep("700px", 2));
        for (ParamSpec spec : schema.specs()) {
            Component value = valueField(spec);
            TextField axis = null;
            if (sweepable) {
                axis = new TextField("Sweep " + spec.name() + " over");
                axis.setId(id(spec) + "-axis");
                axis.setValueChangeMode(ValueChangeMode.LAZY);
                TextField a = axis;
                axis.addValueChangeListener(e -> {
                    check(spec, a);
                    onChange.run();
                });
            }
            Input in = new Input(spec, value, axis);
            inputs.put(spec.name(), in);
            add(value);
            if (axis != null) {
                add(axis);
            }
            describe(in);
        }
    }

    public void onChange(Runnable r) {
        this.onChange = r;
    }

    /**
     * Moves these parameters to another path in the request, for example to {@code visualizers[0].params} when the
     * visualizer before this one is no longer used; values, axes and ids stay.
     */
    public void prefix(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Reads the fields of values to sweep over as a search space ({@link #space()}) rather than grid axes, with the
     * grammar shown in their helper text.
     */
    public void search(boolean on) {
        this.search = on;
        for (Input in : inputs.values()) {
            if (in.axis() != null) {
                describe(in);
                check(in.spec(), in.axis());
            }
        }
    }

    private void describe(Input in) {
        if (in.axis() != null) {
            in.axis().setPlaceholder(AxisSyntax.example(in.spec(), search));
            in.axis().setHelperText(AxisSyntax.help(in.spec(), search));
        }
    }

    /** A parameter's path in a request: {@code <prefix>.<name>}, or the name alone without a prefix. */
    private String path(ParamSpec spec) {
        return prefix.isEmpty() ? spec.name() : prefix + "." + spec.name();
    }

    /** Shows these values in their inputs (a parameter not named keeps its value); the axes are left as they are. */
    public void fill(Map<String, Object> values) {
        values.forEach((name, v) -> {
            Input in = inputs.get(name);
            if (in != null) {
                show(in.spec(), in.value(), v);
            }
        });
    }

    private String id(ParamSpec spec) {
        return "param-" + idName + "-" + spec.name();
    }

    private Component valueField(ParamSpec spec) {
        String help = spec.description()
                + (spec.min() != null || spec.max() != null
                        ? " (" + bound(spec.min()) + " to " + bound(spec.max()) + ")"
                        : "");
        Component c;
        switch (spec.type()) {
            case INT -> {
                IntegerField f = new IntegerField(spec.name());
                if (spec.min() != null) {
                    f.setMin(spec.min().intValue());
                }
                if (spec.max() != null) {
                    f.setMax(spec.max().intValue());
                }
                f.setStepButtonsVisible(true);
                f.setHelperText(help);
                c = f;
            }
            case DOUBLE -> {
                NumberField f = new NumberField(spec.name());
                if (spec.min() != null) {
                    f.setMin(spec.min());
                }
                if (spec.max() != null) {
                    f.setMax(spec.max());
                }
                f.setHelperText(help);
                c = f;
            }
            case BOOLEAN -> {
                Checkbox f = new Checkbox(spec.name());
                f.setTooltipText(help);
                c = f;
            }
            case CHOICE -> {
                Select<String> f = new Select<>();
                f.setLabel(spec.name());
                f.setItems(spec.choices());
                f.setHelperText(help);
                c = f;
            }
            case INT_LIST -> {
                TextField f = new TextField(spec.name());
                f.setHelperText(help + "; whole numbers separated by ','");
                f.setValueChangeMode(ValueChangeMode.LAZY);
                c = f;
            }
            default -> {
                TextField f = new TextField(spec.name());
                f.setHelperText(help);
                c = f;
            }
        }
        show(spec, c, spec.defaultValue());
        c.setId(id(spec));
        if (c instanceof HasValue<?, ?> hv) {
            hv.setRequiredIndicatorVisible(spec.defaultValue() == null);
            hv.addValueChangeListener(e -> {
                value(spec, c);
                onChange.run();
            });
        }
        return c;
    }

    /** Puts a value in a parameter's input; a null leaves a number or choice empty. */
    @SuppressWarnings("unchecked")
    private static void show(ParamSpec spec, Component c, Object v) {
        switch (spec.type()) {
            case INT -> {
                if (v instanceof Number n) {
                    ((IntegerField) c).setValue(n.intValue());
                }
            }
            case DOUBLE -> {
                if (v instanceof Number n) {
                    ((NumberField) c).setValue(n.doubleValue());
                }
            }
            case BOOLEAN -> ((Checkbox) c).setValue(Boolean.TRUE.equals(v));
            case CHOICE -> {
                if (v instanceof String d) {
                    ((Select<String>) c).setValue(d);
                }
            }
            case INT_LIST -> ((TextField) c).setValue(listText(v));
            default -> ((TextField) c).setValue(v == null ? "" : v.toString());
        }
    }

    private static String bound(Double d) {
        return d == null ? "any" : d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }

    private static String listText(Object v) {
        return v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : "";
    }

    /** The parameters as a run request's {@code params}, or empty when a field is invalid (it is then marked). */
    public Optional<Map<String, Object>> values() {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Input in : inputs.values()) {
            Optional<Object> v = value(in.spec(), in.value());
            ok &= v.isPresent();
            v.ifPresent(x -> out.put(in.spec().name(), x));
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** The grid axes ({@code params.x -> values}), or empty when a value is invalid (it is then marked). */
    public Optional<Map<String, List<Object>>> axes() {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Input in : sweepable()) {
            Optional<List<Object>> v = axisValues(in.spec(), in.axis());
            ok &= v.isPresent();
            v.filter(l -> !l.isEmpty()).ifPresent(l -> out.put(path(in.spec()), l));
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /**
     * The search space of the filled fields ({@code params.x -> {"values": [...]} | {"int": [lo, hi]} | ...}), or
     * empty when one is invalid (it is then marked).
     */
    public Optional<Map<String, Object>> space() {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Input in : sweepable()) {
            Optional<Map<String, Object>> d = domain(in.spec(), in.axis());
            ok &= d.isPresent();
            d.filter(m -> !m.isEmpty()).ifPresent(m -> out.put(path(in.spec()), m));
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** How many runs the axes make (1 without axes; 0 while one is invalid). */
    public long runs() {
        long n = 1;
        for (Input in : sweepable()) {
            Optional<List<Object>> v = axisValues(in.spec(), in.axis());
            if (v.isEmpty()) {
                return 0;
            }
            n *= Math.max(1, v.get().size());
        }
        return n;
    }

    private List<Input> sweepable() {
        return inputs.values().stream().filter(in -> in.axis() != null).toList();
    }

    /**
     * Marks the input of a field the server named ({@code params.x}, {@code base.params.x}, or the values to sweep
     * over: {@code grid.params.x}, {@code space.params.x}), if it is ours.
     */
    public boolean mark(String field, String message) {
        for (Input in : inputs.values()) {
            String path = path(in.spec());
            if (field.equals(path) || field.equals("base." + path)) {
                invalid(in.value(), message);
                return true;
            }
            if (in.axis() != null && (field.equals("grid." + path) || field.equals("space." + path))) {
                invalid(in.axis(), message);
                return true;
            }
        }
        return false;
    }

    private Optional<Object> value(ParamSpec spec, Component c) {
        Object raw = c instanceof HasValue<?, ?> hv ? hv.getValue() : null;
        if (spec.type() == ParamType.INT_LIST) {
            raw = AxisSyntax.parseList(String.valueOf(raw));
            if (raw == null) {
                invalid(c, "whole numbers separated by ',', for example 32,64");
                return Optional.empty();
            }
        }
        if (raw == null || (c instanceof AbstractField<?, ?> && ((HasValue<?, ?>) c).isEmpty())) {
            invalid(c, "a value is required");
            return Optional.empty();
        }
        try {
            Object v = spec.coerce(raw);
            valid(c);
            return Optional.of(v);
        } catch (ParamSpec.InvalidValue e) {
            invalid(c, e.getMessage());
            return Optional.empty();
        }
    }

    /** Checks a field of values to sweep over as the mode reads it, marking it when it is wrong. */
    private void check(ParamSpec spec, TextField axis) {
        if (search) {
            domain(spec, axis);
        } else {
            axisValues(spec, axis);
        }
    }

    private static Optional<List<Object>> axisValues(ParamSpec spec, TextField axis) {
        try {
            List<Object> v = AxisSyntax.values(spec, axis.getValue());
            axis.setInvalid(false);
            return Optional.of(v);
        } catch (ParamSpec.InvalidValue e) {
            invalid(axis, e.getMessage());
            return Optional.empty();
        }
    }

    /** The field's search domain; an empty map when the field is empty. */
    private static Optional<Map<String, Object>> domain(ParamSpec spec, TextField axis) {
        try {
            Map<String, Object> d = AxisSyntax.domain(spec, axis.getValue());
            axis.setInvalid(false);
            return Optional.of(d == null ? Map.of() : d);
        } catch (ParamSpec.InvalidValue e) {
            invalid(axis, e.getMessage());
            return Optional.empty();
        }
    }

    private static void invalid(Component c, String message) {
        if (c instanceof com.vaadin.flow.component.HasValidation v) {
            v.setErrorMessage(message);
            v.setInvalid(true);
        }
    }

    private static void valid(Component c) {
        if (c instanceof com.vaadin.flow.component.HasValidation v) {
            v.setInvalid(false);
        }
    }
}
