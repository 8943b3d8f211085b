package io.sweeplab.frontend.teams;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Member;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.access.UserService;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.frontend.security.CallerSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One team: its experiments (members add them) and its members with their roles (owners and administrators
 * change them). What a user may not do is not offered; the services check it again.
 */
final class TeamPanel extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final TeamService teams;
    private final UserService users;
    private final CallerSource caller;
    private final Team team;
    private final Grid<Experiment> experiments = new Grid<>();
    private final Grid<Member> members = new Grid<>();

    /** What is offered follows the roles as the panel opens; each handler acts as the user is when it runs. */
    TeamPanel(TeamService teams, UserService users, CallerSource caller, Team team) {
        this.teams = teams;
        this.users = users;
        this.caller = caller;
        this.team = team;
        setPadding(false);
        Caller now = caller.get();
        boolean member = now.hasRole(team.slug(), Role.MEMBER);
        boolean owner = now.hasRole(team.slug(), Role.OWNER);

        experiments.setId("team-experiments");
        experiments.addColumn(Experiment::name).setHeader("Experiment").setFlexGrow(1);
        experiments.addColumn(Experiment::project).setHeader("Project").setAutoWidth(true);
        experiments
                .addColumn(e -> WHEN.format(e.createdAt()))
                .setHeader("Created")
                .setAutoWidth(true);
        experiments.setAllRowsVisible(true);
        TextField name = new TextField();
        name.setId("experiment-name");
        name.setPlaceholder("new experiment's name");
        Button add = new Button("Add experiment", e -> {
            try {
                teams.createExperiment(caller.get(), team.slug(), null, name.getValue(), null);
                name.clear();
                name.setInvalid(false);
                refresh();
            } catch (InvalidInputException | ConflictException | ForbiddenException | NotFoundException x) {
                name.setErrorMessage(x.getMessage());
                name.setInvalid(true);
            }
        });
        add.setId("add-experiment");
        HorizontalLayout addExperiment = new HorizontalLayout(name, add);
        addExperiment.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        addExperiment.setVisible(member);

        members.setId("team-members");
        members.addColumn(Member::username).setHeader("Member").setFlexGrow(1);
        members.addColumn(m -> m.role().jsonName()).setHeader("Role").setAutoWidth(true);
        if (owner) {
            members.addComponentColumn(m -> {
                        Button remove = new Button("Remove", e -> {
                            try {
                                users.removeMember(caller.get(), team.slug(), m.username());
                            } catch (ForbiddenException | NotFoundException x) {
                                Notification.show(x.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
                            }
                            refresh();
                        });
                        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                        return remove;
                    })
                    .setAutoWidth(true);
        }
        members.setAllRowsVisible(true);
        TextField user = new TextField();
        user.setId("member-name");
        user.setPlaceholder("user name");
        Select<String> role = new Select<>();
        role.setItems("viewer", "member", "owner");
        role.setValue("member");
        Button addMember = new Button("Add or change", e -> {
            try {
                users.setRole(caller.get(), team.slug(), user.getValue().strip(), role.getValue());
                user.clear();
                user.setInvalid(false);
                refresh();
            } catch (NotFoundException | InvalidInputException | ForbiddenException x) {
                user.setErrorMessage(x.getMessage());
                user.setInvalid(true);
            }
        });
        addMember.setId("add-member");
        HorizontalLayout memberForm = new HorizontalLayout(user, role, addMember);
        memberForm.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        memberForm.setVisible(owner);

        add(new H3(team.name() + ": experiments"), addExperiment, experiments, new H3("Members"), memberForm, members);
        refresh();
    }

    private void refresh() {
        Caller now = caller.get();
        try {
            experiments.setItems(teams.experiments(now, team.slug()));
            members.setItems(users.members(now, team.slug()));
        } catch (NotFoundException e) {
            // no longer in the team: it shows nothing of it
            experiments.setItems(java.util.List.of());
            members.setItems(java.util.List.of());
        }
    }
}
