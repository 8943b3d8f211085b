package io.sweeplab.frontend.launch;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.sweep.Grid;
import io.sweeplab.core.sweep.LabTemplates;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepRequest;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Launching a sweep: one of the lab's exercises, or an architecture with a form generated from its parameter schema
 * (and optionally a callback with its own), each parameter with the values to sweep it over, as a grid or as a
 * search (each field a choice or a range, with a strategy, objective and budget: {@link SearchSettings}); either way,
 * the visualizers to use, each with its own form. The number of runs, or the search's budget, is shown before
 * launching; bad values are marked at their field and nothing is sent.
 */
@Route(value = "launch", layout = MainLayout.class)
@PageTitle("Launch · Sweeplab")
@RolesAllowed("user")
public class LaunchView extends VerticalLayout {

    /** The visualizers checked when the page opens (those loaded), unless a lab exercise names its own. */
    static final List<String> DEFAULT_VISUALIZERS = List.of("activations");

    /** The training settings of every run, at the top level of a run request; each may be swept or searched. */
    static final ParamSchema TRAINING = ParamSchema.of(
            ParamSpec.ofInt("epochs", RunService.DEFAULT_EPOCHS, 1, RunService.MAX_EPOCHS, "passes over the data"),
            new ParamSpec(
                    "learningRate",
                    ParamType.DOUBLE,
                    RunService.DEFAULT_LEARNING_RATE,
                    null,
                    10.0,
                    List.of(),
                    "the optimiser's step size, above 0"),
            ParamSpec.ofInt(
                    "batchSize",
                    RunService.DEFAULT_BATCH_SIZE,
                    1,
                    RunService.MAX_BATCH_SIZE,
                    "training images per step"));

    static final String GRID = "Grid";
    static final String SEARCH = "Search";

    private final SweepService sweeps;
    private final PluginRegistry plugins;
    private final CallerSource caller = CurrentUser.source();
    private final ComboBox<Experiment> experiment = new ComboBox<>("Experiment");
    private final TextField name = new TextField("Sweep name");
    private final IntegerField trainLimit = new IntegerField("Training images");
    private final IntegerField testLimit = new IntegerField("Test images");
    private final Tab exerciseTab = new Tab("Lab exercise");
    private final Tab customTab = new Tab("Architecture");

    // a lab exercise
    private final ComboBox<LabTemplates.Template> template = new ComboBox<>("Lab exercise");
    private final Paragraph teaches = new Paragraph();
    private final VerticalLayout exercise = new VerticalLayout();

    // an architecture and its parameters
    private final Select<PluginEntry> architecture = new Select<>();
    private final Div paramsBox = new Div();
    private final ParamForm training = new ParamForm(TRAINING, "", "training");
    private final RadioButtonGroup<String> kind = new RadioButtonGroup<>("Sweep kind");
    private final SearchSettings search;
    private final VerticalLayout searchBox = new VerticalLayout();
    private final Select<PluginEntry> dataset = new Select<>();
    private final Div datasetBox = new Div();
    private ParamForm datasetParams;
    private final Select<String> callback = new Select<>();
    private final Div callbackBox = new Div();
    private final VerticalLayout custom = new VerticalLayout();
    private ParamForm params;
    private ParamForm callbackParams;

    private final VisualizerChoice visualizers;

    private final Paragraph plan = new Paragraph();
    private final Button launch = new Button("Launch");

    public LaunchView(SweepService sweeps, TeamService teams, PluginCatalog catalog) {
        PluginRegistry plugins = catalog.registry(); // the plugins as the page opens
        this.sweeps = sweeps;
        this.plugins = plugins;
        this.visualizers = new VisualizerChoice(plugins.loaded(ExtensionType.VISUALIZER), DEFAULT_VISUALIZERS);
        visualizers.setId("launch-visualizers");
        visualizers.onChange(this::describe);
        this.search = new SearchSettings(
                plugins.loaded(ExtensionType.STRATEGY), plugins.loaded(ExtensionType.SCHEDULER), sweeps.maxRuns());
        search.setId("launch-search");
        search.onChange(this::describe);
        Caller caller = this.caller.get();
        List<Experiment> writable = new ArrayList<>();
        teams.teams(caller).stream()
                .filter(t -> caller.hasRole(t.slug(), Role.MEMBER))
                .forEach(t -> writable.addAll(teams.experiments(caller, t.slug())));

        experiment.setId("launch-experiment");
        experiment.setItems(writable);
        experiment.setItemLabelGenerator(x -> x.team() + " / " + x.project() + " / " + x.name());
        if (writable.size() == 1) {
            experiment.setValue(writable.get(0));
        }
        name.setId("launch-name");
        name.setPlaceholder("the exercise's title, or the architecture's");
        trainLimit.setId("launch-train-limit");
        trainLimit.setHelperText("0 or empty: all (Fashion-MNIST: 60,000)");
        trainLimit.setMin(0);
        testLimit.setId("launch-test-limit");
        testLimit.setHelperText("0 or empty: all (Fashion-MNIST: 10,000)");
        testLimit.setMin(0);
        FormLayout common = new FormLayout(experiment, name, trainLimit, testLimit);
        common.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("900px", 2));

        template.setId("launch-template");
        template.setItems(LabTemplates.ALL);
        template.setItemLabelGenerator(LabTemplates.Template::title);
        template.setWidth("420px");
        template.addValueChangeListener(e -> {
            if (e.getValue() != null && e.getValue().base().get("visualizers") instanceof List<?> own) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> list = (List<Map<String, Object>>) own;
                visualizers.use(list);
            }
            describe();
        });
        teaches.setId("launch-teaches");
        exercise.setPadding(false);
        exercise.add(template, teaches);

        architecture.setId("launch-architecture");
        architecture.setLabel("Architecture");
        architecture.setWidth("420px");
        architecture.setItems(plugins.loaded(ExtensionType.ARCHITECTURE));
        architecture.setItemLabelGenerator(p -> p.label() + " (" + p.id() + ")");
        architecture.addValueChangeListener(e -> {
            paramsBox.removeAll();
            params = e.getValue() == null
                    ? null
                    : sweepForm(new ParamForm(e.getValue().params(), "params"));
            if (params != null) {
                paramsBox.add(params);
            }
            describe();
        });
        training.setId("launch-training");
        sweepForm(training);
        kind.setId("launch-kind");
        kind.setItems(GRID, SEARCH);
        kind.setValue(GRID);
        kind.setHelperText("Grid: every combination of the values to sweep over. Search: a strategy picks each"
                + " trial from choices and ranges, within a budget.");
        kind.addValueChangeListener(e -> mode());
        searchBox.setPadding(false);
        searchBox.add(new H3("Search"), search);
        searchBox.setVisible(false);
        callback.setId("launch-callback");
        callback.setLabel("Callback");
        callback.setWidth("420px");
        List<String> callbacks = new ArrayList<>(List.of("none"));
        plugins.loaded(ExtensionType.CALLBACK).forEach(p -> callbacks.add(p.id()));
        callback.setItems(callbacks);
        callback.setValue("none");
        callback.addValueChangeListener(e -> {
            callbackBox.removeAll();
            callbackParams = plugins.loaded(ExtensionType.CALLBACK).stream()
                    .filter(p -> p.id().equals(e.getValue()))
                    .findFirst()
                    .map(p -> sweepForm(new ParamForm(p.params(), "callbacks[0].params")))
                    .orElse(null);
            if (callbackParams != null) {
                callbackBox.add(callbackParams);
            }
            describe();
        });
        dataset.setId("launch-dataset");
        dataset.setLabel("Dataset (its folders are paths on the worker machines)");
        dataset.setWidth("420px");
        dataset.setItems(plugins.loaded(ExtensionType.DATASET));
        dataset.setItemLabelGenerator(p -> p.label() + " (" + p.id() + ")");
        dataset.addValueChangeListener(e -> {
            datasetBox.removeAll();
            datasetParams = e.getValue() == null
                    ? null
                    : sweepForm(new ParamForm(e.getValue().params(), "dataset.params"));
            if (datasetParams != null) {
                datasetBox.add(datasetParams);
            }
            describe();
        });
        plugins.loaded(ExtensionType.DATASET).stream()
                .filter(p -> p.id().equals(RunSpec.DEFAULT_DATASET))
                .findFirst()
                .ifPresent(dataset::setValue);
        // a form measures the width of its box to choose its columns
        paramsBox.setWidthFull();
        datasetBox.setWidthFull();
        callbackBox.setWidthFull();
        custom.setPadding(false);
        custom.add(
                kind,
                architecture,
                paramsBox,
                new H3("Training"),
                training,
                new H3("Dataset"),
                dataset,
                datasetBox,
                new H3("Callback"),
                callback,
                callbackBox,
                searchBox);
        custom.setVisible(false);

        Tabs tabs = new Tabs(exerciseTab, customTab);
        tabs.setId("launch-mode");
        tabs.addSelectedChangeListener(e -> {
            exercise.setVisible(e.getSelectedTab() == exerciseTab);
            custom.setVisible(e.getSelectedTab() == customTab);
            mode();
        });

        plan.setId("launch-plan");
        launch.setId("launch-button");
        launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        launch.setEnabled(false);
        launch.addClickListener(e -> launch());
        add(new H2("Launch a sweep"), common, tabs, exercise, custom, new H3("Visualizers"), visualizers, plan, launch);
        if (writable.isEmpty()) {
            add(new Paragraph("You are a member of no team with an experiment: ask a team owner, or create an"
                    + " experiment in a team you are a member of."));
        }
    }

    private boolean customMode() {
        return custom.isVisible();
    }

    private boolean isSearch() {
        return customMode() && SEARCH.equals(kind.getValue());
    }

    /** Reads the fields of values to sweep over as the mode says: grid values, or a search's domains. */
    private void mode() {
        boolean on = isSearch();
        searchBox.setVisible(on);
        sweepForms().forEach(f -> f.search(on));
        visualizers.search(on);
        describe();
    }

    /** A form whose parameters may be swept, in the page's mode and telling it of changes. */
    private ParamForm sweepForm(ParamForm form) {
        form.onChange(this::describe);
        form.search(isSearch());
        return form;
    }

    /** The forms of the custom mode whose fields may be swept: the architecture's, training, dataset, callback. */
    private List<ParamForm> sweepForms() {
        return Stream.of(params, training, datasetParams, callbackParams)
                .filter(Objects::nonNull)
                .toList();
    }

    /** Shows what the launch will do and how many runs it makes; enables the button when it can go. */
    private void describe() {
        if (!customMode()) {
            LabTemplates.Template t = template.getValue();
            teaches.setText(t == null ? "" : t.teaches());
            if (t == null) {
                plan.setText("Choose an exercise.");
                launch.setEnabled(false);
                return;
            }
            Map<String, List<Object>> grid = new LinkedHashMap<>(t.grid());
            grid.putAll(visualizers.axes().orElse(Map.of()));
            String axes = grid.entrySet().stream()
                    .map(e -> e.getKey() + " in " + e.getValue())
                    .collect(Collectors.joining("; "));
            long n = Grid.size(t.grid()) * visualizers.runs();
            show(n, n == 0 ? "fix the marked fields" : axes + (axes.isEmpty() ? "" : "; ") + "every run: " + t.base());
            return;
        }
        if (params == null) {
            plan.setText("Choose an architecture.");
            launch.setEnabled(false);
            return;
        }
        if (isSearch()) {
            SearchSettings.Plan p = space().map(sp -> search.plan(sp.size()))
                    .orElse(new SearchSettings.Plan("Search: fix the marked fields.", false));
            plan.setText(p.text());
            launch.setText("Launch search");
            launch.setEnabled(p.ready());
            return;
        }
        long n = visualizers.runs();
        for (ParamForm f : sweepForms()) {
            n *= f.runs();
        }
        show(n, n == 0 ? "fix the marked fields" : "");
    }

    private void show(long runs, String detail) {
        plan.setText(runs + (runs == 1 ? " run" : " runs") + (detail.isEmpty() ? "" : ": " + detail));
        launch.setText("Launch " + runs + (runs == 1 ? " run" : " runs"));
        launch.setEnabled(runs > 0 && runs <= sweeps.maxRuns());
        if (runs > sweeps.maxRuns()) {
            plan.setText(plan.getText() + " · more than the limit of " + sweeps.maxRuns() + " runs per sweep");
        }
    }

    private void launch() {
        experiment.setInvalid(false);
        if (experiment.getValue() == null) {
            experiment.setErrorMessage("choose the experiment the runs belong to");
            experiment.setInvalid(true);
            return;
        }
        if (trainLimit.isInvalid() || testLimit.isInvalid()) {
            return;
        }
        RunRequest.DataRequest data = trainLimit.getValue() == null && testLimit.getValue() == null
                ? null
                : new RunRequest.DataRequest(trainLimit.getValue(), testLimit.getValue(), null, null);
        Long exp = experiment.getValue().id();
        Optional<SweepRequest> request;
        String templateId = null;
        if (!customMode()) {
            LabTemplates.Template t = template.getValue();
            templateId = t.id();
            SweepRequest r = LabTemplates.request(t, exp, name.isEmpty() ? null : name.getValue(), data);
            Optional<Map<String, List<Object>>> axes = visualizers.axes();
            request = withVisualizers(r.base())
                    .flatMap(base ->
                            axes.map(a -> new SweepRequest(r.experiment(), r.name(), base, join(r.grid(), a))));
        } else {
            // every form is read, so that each bad field is marked, before anything is built
            String n = name.isEmpty() ? architecture.getValue().label() : name.getValue();
            Optional<Map<String, Object>> base = customBase(data).flatMap(this::withVisualizers);
            if (isSearch()) {
                Optional<Map<String, Object>> space = space();
                request = base.flatMap(b -> space.flatMap(sp -> search.request(exp, n, b, sp)));
            } else {
                Optional<Map<String, List<Object>>> grid = gridAxes();
                request = base.flatMap(b -> grid.map(g -> new SweepRequest(exp, n, b, g)));
            }
        }
        if (request.isEmpty()) {
            return; // the bad fields are marked; nothing is sent
        }
        try {
            Sweep s = sweeps.launch(caller.get(), request.get(), templateId);
            Notification.show("Sweep " + s.id() + " launched: "
                            + (s.isSearch()
                                    ? "a search of up to " + s.search().budget().maxRuns() + " trials"
                                    : s.size() + " runs"))
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            getUI().ifPresent(ui -> ui.navigate("sweeps/" + s.id()));
        } catch (InvalidInputException e) {
            for (FieldError fe : e.errors()) {
                if (!mark(fe)) {
                    Notification.show(fe.field() + ": " + fe.message())
                            .addThemeVariants(NotificationVariant.LUMO_ERROR);
                }
            }
        } catch (ConflictException | ForbiddenException | NotFoundException e) {
            // too many queued runs, or the user's role changed since the page opened
            Notification.show(e.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    /** The run request every run of the custom mode shares, or empty when a field is invalid (it is then marked). */
    private Optional<Map<String, Object>> customBase(RunRequest.DataRequest data) {
        Optional<Map<String, Object>> p = params.values();
        Optional<Map<String, Object>> t = training.values();
        Optional<Map<String, Object>> cp = callbackParams == null ? Optional.of(Map.of()) : callbackParams.values();
        Optional<Map<String, Object>> dp = datasetParams == null ? Optional.of(Map.of()) : datasetParams.values();
        if (p.isEmpty() || t.isEmpty() || cp.isEmpty() || dp.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("architecture", architecture.getValue().id());
        base.put("params", p.get());
        base.putAll(t.get());
        if (callbackParams != null) {
            base.put("callbacks", List.of(Map.of("id", callback.getValue(), "params", cp.get())));
        }
        if (dataset.getValue() != null) {
            base.put("dataset", Map.of("id", dataset.getValue().id(), "params", dp.get()));
        }
        if (data != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            if (data.trainLimit() != null) {
                d.put("trainLimit", data.trainLimit());
            }
            if (data.testLimit() != null) {
                d.put("testLimit", data.testLimit());
            }
            base.put("data", d);
        }
        return Optional.of(base);
    }

    /** The grid of the custom mode: every form's axes and the visualizers', or empty when one is invalid. */
    private Optional<Map<String, List<Object>>> gridAxes() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        boolean ok = true;
        for (ParamForm f : sweepForms()) {
            Optional<Map<String, List<Object>>> a = f.axes();
            ok &= a.isPresent();
            a.ifPresent(grid::putAll);
        }
        Optional<Map<String, List<Object>>> v = visualizers.axes();
        return ok && v.isPresent() ? Optional.of(join(grid, v.get())) : Optional.empty();
    }

    /** The search space of the custom mode: every form's domains and the visualizers', or empty when one is invalid. */
    private Optional<Map<String, Object>> space() {
        Map<String, Object> space = new LinkedHashMap<>();
        boolean ok = true;
        for (ParamForm f : sweepForms()) {
            Optional<Map<String, Object>> d = f.space();
            ok &= d.isPresent();
            d.ifPresent(space::putAll);
        }
        Optional<Map<String, Object>> v = visualizers.space();
        ok &= v.isPresent();
        v.ifPresent(space::putAll);
        return ok ? Optional.of(space) : Optional.empty();
    }

    private static Map<String, List<Object>> join(Map<String, List<Object>> a, Map<String, List<Object>> b) {
        Map<String, List<Object>> out = new LinkedHashMap<>(a);
        out.putAll(b);
        return out;
    }

    /** The base with the checked visualizers, or empty when one of their fields is invalid (it is then marked). */
    private Optional<Map<String, Object>> withVisualizers(Map<String, Object> base) {
        return visualizers.values().map(v -> {
            Map<String, Object> out = new LinkedHashMap<>(base);
            out.put("visualizers", v);
            return out;
        });
    }

    private boolean mark(FieldError fe) {
        for (ParamForm f : sweepForms()) {
            if (f.mark(fe.field(), fe.message())) {
                return true;
            }
        }
        if (visualizers.mark(fe.field(), fe.message())) {
            return true;
        }
        if (isSearch() && search.mark(fe)) {
            return true;
        }
        IntegerField f =
                fe.field().contains("trainLimit") ? trainLimit : fe.field().contains("testLimit") ? testLimit : null;
        if (f != null) {
            f.setErrorMessage(fe.message());
            f.setInvalid(true);
            return true;
        }
        return false;
    }
}
