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
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
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
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Launching a sweep: one of the lab's exercises, or an architecture with a form generated from its parameter schema
 * (and optionally a callback with its own), each parameter with the values to sweep it over; either way, the
 * visualizers to use, each with its own form. The number of runs is shown before launching; bad values are marked at
 * their field and nothing is sent.
 */
@Route(value = "launch", layout = MainLayout.class)
@PageTitle("Launch · Sweeplab")
@RolesAllowed("user")
public class LaunchView extends VerticalLayout {

    /** The visualizers checked when the page opens (those loaded), unless a lab exercise names its own. */
    static final List<String> DEFAULT_VISUALIZERS = List.of("activations");

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
    private final IntegerField epochs = new IntegerField("epochs");
    private final TextField epochsAxis = new TextField("Sweep epochs over");
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
            params = e.getValue() == null ? null : new ParamForm(e.getValue().params(), "params");
            if (params != null) {
                params.onChange(this::describe);
                paramsBox.add(params);
            }
            describe();
        });
        epochs.setId("launch-epochs");
        epochs.setMin(1);
        epochs.setMax(RunService.MAX_EPOCHS);
        epochs.setValue(RunService.DEFAULT_EPOCHS);
        epochs.setStepButtonsVisible(true);
        epochs.addValueChangeListener(e -> describe());
        epochsAxis.setId("launch-epochs-axis");
        epochsAxis.setPlaceholder("e.g. 5, 20");
        epochsAxis.setValueChangeMode(ValueChangeMode.LAZY);
        epochsAxis.addValueChangeListener(e -> describe());
        FormLayout epochForm = new FormLayout(epochs, epochsAxis);
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
                    .map(p -> new ParamForm(p.params(), "callbacks[0].params"))
                    .orElse(null);
            if (callbackParams != null) {
                callbackParams.onChange(this::describe);
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
            datasetParams =
                    e.getValue() == null ? null : new ParamForm(e.getValue().params(), "dataset.params");
            if (datasetParams != null) {
                datasetParams.onChange(this::describe);
                datasetBox.add(datasetParams);
            }
            describe();
        });
        plugins.loaded(ExtensionType.DATASET).stream()
                .filter(p -> p.id().equals(RunSpec.DEFAULT_DATASET))
                .findFirst()
                .ifPresent(dataset::setValue);
        custom.setPadding(false);
        custom.add(
                architecture,
                paramsBox,
                epochForm,
                new H3("Dataset"),
                dataset,
                datasetBox,
                new H3("Callback"),
                callback,
                callbackBox);
        custom.setVisible(false);

        Tabs tabs = new Tabs(exerciseTab, customTab);
        tabs.setId("launch-mode");
        tabs.addSelectedChangeListener(e -> {
            exercise.setVisible(e.getSelectedTab() == exerciseTab);
            custom.setVisible(e.getSelectedTab() == customTab);
            describe();
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
        Optional<List<Object>> epochValues = epochAxis();
        long n = params.runs()
                * (callbackParams == null ? 1 : callbackParams.runs())
                * (datasetParams == null ? 1 : datasetParams.runs())
                * visualizers.runs()
                * epochValues.map(l -> Math.max(1, l.size())).orElse(0);
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

    private Optional<List<Object>> epochAxis() {
        String text = epochsAxis.getValue() == null ? "" : epochsAxis.getValue().strip();
        List<Object> out = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String p : text.split(",")) {
                try {
                    int e = Integer.parseInt(p.strip());
                    if (e < 1 || e > RunService.MAX_EPOCHS || out.contains(e)) {
                        throw new NumberFormatException();
                    }
                    out.add(e);
                } catch (NumberFormatException x) {
                    epochsAxis.setErrorMessage("whole numbers from 1 to " + RunService.MAX_EPOCHS + ", each once");
                    epochsAxis.setInvalid(true);
                    return Optional.empty();
                }
            }
        }
        epochsAxis.setInvalid(false);
        return Optional.of(out);
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
        Optional<SweepRequest> request;
        String templateId = null;
        if (!customMode()) {
            LabTemplates.Template t = template.getValue();
            templateId = t.id();
            request = Optional.of(
                    LabTemplates.request(t, experiment.getValue().id(), name.isEmpty() ? null : name.getValue(), data));
        } else {
            request = customRequest(data);
        }
        request = request.flatMap(this::withVisualizers);
        if (request.isEmpty()) {
            return; // the bad fields are marked; nothing is sent
        }
        try {
            Sweep s = sweeps.launch(caller.get(), request.get(), templateId);
            Notification.show("Sweep " + s.id() + " launched: " + s.size() + " runs")
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

    private Optional<SweepRequest> customRequest(RunRequest.DataRequest data) {
        Optional<Map<String, Object>> p = params.values();
        Optional<Map<String, List<Object>>> axes = params.axes();
        Optional<List<Object>> epochValues = epochAxis();
        Optional<Map<String, Object>> cp = callbackParams == null ? Optional.of(Map.of()) : callbackParams.values();
        Optional<Map<String, List<Object>>> caxes =
                callbackParams == null ? Optional.of(Map.of()) : callbackParams.axes();
        Optional<Map<String, Object>> dp = datasetParams == null ? Optional.of(Map.of()) : datasetParams.values();
        Optional<Map<String, List<Object>>> daxes =
                datasetParams == null ? Optional.of(Map.of()) : datasetParams.axes();
        if (p.isEmpty()
                || dp.isEmpty()
                || daxes.isEmpty()
                || axes.isEmpty()
                || epochValues.isEmpty()
                || cp.isEmpty()
                || caxes.isEmpty()
                || epochs.isInvalid()
                || epochs.getValue() == null) {
            return Optional.empty();
        }
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("architecture", architecture.getValue().id());
        base.put("params", p.get());
        base.put("epochs", epochs.getValue());
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
        Map<String, List<Object>> grid = new LinkedHashMap<>(axes.get());
        grid.putAll(caxes.get());
        grid.putAll(daxes.get());
        if (!epochValues.get().isEmpty()) {
            grid.put("epochs", epochValues.get());
        }
        String n = name.isEmpty() ? architecture.getValue().label() : name.getValue();
        return Optional.of(new SweepRequest(experiment.getValue().id(), n, base, grid));
    }

    /** The request with the checked visualizers in its base and their axes in its grid. */
    private Optional<SweepRequest> withVisualizers(SweepRequest r) {
        Optional<List<Map<String, Object>>> v = visualizers.values();
        Optional<Map<String, List<Object>>> axes = visualizers.axes();
        if (v.isEmpty() || axes.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> base = new LinkedHashMap<>(r.base());
        base.put("visualizers", v.get());
        Map<String, List<Object>> grid = new LinkedHashMap<>(r.grid());
        grid.putAll(axes.get());
        return Optional.of(new SweepRequest(r.experiment(), r.name(), base, grid));
    }

    private boolean mark(FieldError fe) {
        if (params != null && params.mark(fe.field(), fe.message())) {
            return true;
        }
        if (callbackParams != null && callbackParams.mark(fe.field(), fe.message())) {
            return true;
        }
        if (datasetParams != null && datasetParams.mark(fe.field(), fe.message())) {
            return true;
        }
        if (visualizers.mark(fe.field(), fe.message())) {
            return true;
        }
        IntegerField f = fe.field().contains("trainLimit")
                ? trainLimit
                : fe.field().contains("testLimit") ? testLimit : fe.field().equals("base.epochs") ? epochs : null;
        if (f != null) {
            f.setErrorMessage(fe.message());
            f.setInvalid(true);
            return true;
        }
        return false;
    }
}
