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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A form generated from a plugin's parameter schema: one input per parameter, typed and bounded as declared, with
 * its default and help text, and beside it a field for the values to sweep it over. Each value is checked against
 * the schema here, and a bad one is marked at its field and never sent.
 */
public final class ParamForm extends FormLayout {

    /** One parameter's inputs. */
    private record Input(ParamSpec spec, Component value, TextField axis) {}

    private final String idName;
    private String prefix;
    private final Map<String, Input> inputs = new LinkedHashMap<>();
    private Runnable onChange = () -> {};

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
        this.prefix = prefix;
        this.idName = idName.replaceAll("[^A-Za-z0-9]+", "-");
        setResponsiveSteps(new ResponsiveStep("0", 1), new ResponsiveStep("700px", 2));
        for (ParamSpec spec : schema.specs()) {
            Component value = valueField(spec);
            TextField axis = new TextField("Sweep " + spec.name() + " over");
            axis.setId(id(spec) + "-axis");
            axis.setPlaceholder(
                    switch (spec.type()) {
                        case INT_LIST -> "e.g. 16,16; 32,32; 64,64";
                        case CHOICE -> "e.g. " + String.join(", ", spec.choices());
                        case BOOLEAN -> "true, false";
                        case DOUBLE -> "e.g. 0.1, 0.5";
                        default -> "e.g. 1, 2, 3";
                    });
            axis.setHelperText("values separated by "
                    + (spec.type() == ParamType.INT_LIST ? "';' (each a list: 32,64)" : "','")
                    + "; empty: the value on the left");
            axis.setValueChangeMode(ValueChangeMode.LAZY);
            axis.addValueChangeListener(e -> {
                axisValues(spec, axis);
                onChange.run();
            });
            inputs.put(spec.name(), new Input(spec, value, axis));
            add(value, axis);
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
        for (Input in : inputs.values()) {
            Optional<List<Object>> v = axisValues(in.spec(), in.axis());
            ok &= v.isPresent();
            v.filter(l -> !l.isEmpty())
                    .ifPresent(l -> out.put(prefix + "." + in.spec().name(), l));
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** How many runs the axes make (1 without axes; 0 while one is invalid). */
    public long runs() {
        long n = 1;
        for (Input in : inputs.values()) {
            Optional<List<Object>> v = axisValues(in.spec(), in.axis());
            if (v.isEmpty()) {
                return 0;
            }
            n *= Math.max(1, v.get().size());
        }
        return n;
    }

    /** Marks the input of a field the server named ({@code params.x} or {@code grid.params.x}), if it is ours. */
    public boolean mark(String field, String message) {
        for (Input in : inputs.values()) {
            String path = prefix + "." + in.spec().name();
            if (field.equals(path) || field.equals("base." + path)) {
                invalid(in.value(), message);
                return true;
            }
            if (field.equals("grid." + path)) {
                invalid(in.axis(), message);
                return true;
            }
        }
        return false;
    }

    private Optional<Object> value(ParamSpec spec, Component c) {
        Object raw = c instanceof HasValue<?, ?> hv ? hv.getValue() : null;
        if (spec.type() == ParamType.INT_LIST) {
            raw = parseList(String.valueOf(raw));
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

    private Optional<List<Object>> axisValues(ParamSpec spec, TextField axis) {
        String text = axis.getValue() == null ? "" : axis.getValue().strip();
        List<Object> out = new ArrayList<>();
        if (text.isEmpty()) {
            axis.setInvalid(false);
            return Optional.of(out);
        }
        String sep = spec.type() == ParamType.INT_LIST ? ";" : ",";
        for (String part : text.split(sep)) {
            String p = part.strip().replaceAll("^\\[|]$", "");
            Object raw = switch (spec.type()) {
                case INT_LIST -> parseList(p);
                case INT -> parseLong(p);
                case DOUBLE -> parseDouble(p);
                case BOOLEAN ->
                    p.equalsIgnoreCase("true") ? Boolean.TRUE : p.equalsIgnoreCase("false") ? Boolean.FALSE : null;
                default -> p;
            };
            try {
                if (raw == null) {
                    throw new ParamSpec.InvalidValue(
                            "'" + p + "' is not a " + spec.type().jsonName().replace('_', ' '));
                }
                Object v = spec.coerce(raw);
                if (out.contains(v)) {
                    throw new ParamSpec.InvalidValue("'" + p + "' is given twice");
                }
                out.add(v);
            } catch (ParamSpec.InvalidValue e) {
                axis.setErrorMessage(spec.name() + " " + e.getMessage());
                axis.setInvalid(true);
                return Optional.empty();
            }
        }
        axis.setInvalid(false);
        return Optional.of(out);
    }

    private static List<Integer> parseList(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.replaceAll("[\\[\\]]", "").split(",")) {
            if (s.isBlank()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(s.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String s) {
        try {
            return Double.parseDouble(s.toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
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
