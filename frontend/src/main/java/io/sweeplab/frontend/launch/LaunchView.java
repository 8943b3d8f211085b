package io.sweeplab.frontend.launch;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.sweep.Grid;
import io.sweeplab.core.sweep.LabTemplates;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepService;
import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Launching one of the lab's exercises as a sweep: pick the exercise and the experiment, optionally a subset. */
@Route(value = "launch", layout = MainLayout.class)
@PageTitle("Launch · Sweeplab")
@RolesAllowed("user")
public class LaunchView extends VerticalLayout {

    private final SweepService sweeps;
    private final ComboBox<LabTemplates.Template> template = new ComboBox<>("Lab exercise");
    private final ComboBox<Experiment> experiment = new ComboBox<>("Experiment");
    private final TextField name = new TextField("Sweep name");
    private final IntegerField trainLimit = new IntegerField("Training images");
    private final IntegerField testLimit = new IntegerField("Test images");
    private final Paragraph teaches = new Paragraph();
    private final Paragraph plan = new Paragraph();
    private final Button launch = new Button("Launch");

    public LaunchView(SweepService sweeps, TeamService teams) {
        this.sweeps = sweeps;
        Caller caller = CurrentUser.require();
        List<Experiment> writable = new ArrayList<>();
        teams.teams(caller).stream()
                .filter(t -> caller.admin() || caller.teams().get(t.slug()).includes(Role.MEMBER))
                .forEach(t -> writable.addAll(teams.experiments(caller, t.slug())));

        template.setId("launch-template");
        template.setItems(LabTemplates.ALL);
        template.setItemLabelGenerator(LabTemplates.Template::title);
        template.setWidth("420px");
        template.addValueChangeListener(e -> describe());
        experiment.setId("launch-experiment");
        experiment.setItems(writable);
        experiment.setItemLabelGenerator(x -> x.team() + " / " + x.project() + " / " + x.name());
        experiment.setWidth("420px");
        if (writable.size() == 1) {
            experiment.setValue(writable.get(0));
        }
        name.setId("launch-name");
        name.setPlaceholder("the exercise's title");
        trainLimit.setId("launch-train-limit");
        trainLimit.setHelperText("0 or empty: all 60,000");
        trainLimit.setMin(0);
        trainLimit.setMax(60_000);
        testLimit.setId("launch-test-limit");
        testLimit.setHelperText("0 or empty: all 10,000");
        testLimit.setMin(0);
        testLimit.setMax(10_000);
        teaches.setId("launch-teaches");
        plan.setId("launch-plan");
        launch.setId("launch-button");
        launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        launch.setEnabled(false);
        launch.addClickListener(e -> launch());

        FormLayout form = new FormLayout(template, experiment, name, trainLimit, testLimit);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("900px", 2));
        add(new H2("Launch a sweep"), form, teaches, plan, launch);
        if (writable.isEmpty()) {
            add(new Paragraph("You are a member of no team with an experiment: ask a team owner, or create an"
                    + " experiment in a team you are a member of."));
        }
    }

    private void describe() {
        LabTemplates.Template t = template.getValue();
        if (t == null) {
            teaches.setText("");
            plan.setText("");
            launch.setEnabled(false);
            return;
        }
        teaches.setText(t.teaches());
        String axes = t.grid().entrySet().stream()
                .map(e -> e.getKey() + " in " + e.getValue())
                .collect(Collectors.joining("; "));
        long runs = Grid.size(t.grid());
        plan.setText(runs + (runs == 1 ? " run" : " runs") + (axes.isEmpty() ? "" : ": " + axes) + "; every run: "
                + t.base());
        launch.setText("Launch " + runs + (runs == 1 ? " run" : " runs"));
        launch.setEnabled(true);
    }

    private void launch() {
        experiment.setInvalid(false);
        trainLimit.setInvalid(false);
        testLimit.setInvalid(false);
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
        try {
            LabTemplates.Template t = template.getValue();
            Sweep s = sweeps.launch(
                    CurrentUser.require(),
                    LabTemplates.request(t, experiment.getValue().id(), name.isEmpty() ? null : name.getValue(), data),
                    t.id());
            Notification.show("Sweep " + s.id() + " launched: " + s.size() + " runs")
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            getUI().ifPresent(ui -> ui.navigate("sweeps/" + s.id()));
        } catch (InvalidInputException e) {
            for (FieldError fe : e.errors()) {
                IntegerField f = fe.field().contains("trainLimit")
                        ? trainLimit
                        : fe.field().contains("testLimit") ? testLimit : null;
                if (f != null) {
                    f.setErrorMessage(fe.message());
                    f.setInvalid(true);
                } else {
                    Notification.show(fe.field() + ": " + fe.message())
                            .addThemeVariants(NotificationVariant.LUMO_ERROR);
                }
            }
        }
    }
}
