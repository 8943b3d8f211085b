package io.sweeplab.frontend.teams;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.UserService;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The teams on this server, and a form to add one; the service's validation errors are shown at the field. */
@Route(value = "", layout = MainLayout.class)
@RolesAllowed("user")
@PageTitle("Teams · Sweeplab")
public class TeamsView extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final TeamService teams;
    private final Grid<Team> grid = new Grid<>(Team.class, false);
    private final Paragraph empty = new Paragraph("No teams yet: create the first one above.");
    private final TextField name = new TextField("Name");
    private final TextField slug = new TextField("Slug");

    private final UserService users;
    private final CallerSource caller = CurrentUser.source();
    private final Div detail = new Div();

    public TeamsView(TeamService teams, UserService users) {
        this.teams = teams;
        this.users = users;
        setWidthFull();
        name.setId("team-name");
        name.setRequiredIndicatorVisible(true);
        name.setMaxLength(100);
        slug.setId("team-slug");
        slug.setPlaceholder("derived from the name");
        slug.setHelperText("lower-case letters, digits, dashes");
        Button create = new Button("Create team", e -> create());
        create.setId("create-team");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, slug, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        grid.addColumn(Team::name).setHeader("Name").setSortable(true).setAutoWidth(true);
        grid.addColumn(Team::slug).setHeader("Slug").setSortable(true).setAutoWidth(true);
        grid.addColumn(t -> WHEN.format(t.createdAt())).setHeader("Created").setSortable(true);
        grid.setId("teams-grid");
        grid.setAllRowsVisible(true);
        grid.asSingleSelect().addValueChangeListener(e -> show(e.getValue()));
        detail.setId("team-detail");
        detail.setWidthFull();

        boolean admin = caller.get().admin();
        form.setVisible(admin);
        empty.setText(
                admin
                        ? "No teams yet: create the first one above."
                        : "You are in no team yet: ask an administrator or a team owner to add you.");
        add(new H2("Teams"), form, empty, grid, detail);
        refresh();
    }

    private void show(Team team) {
        detail.removeAll();
        if (team != null) {
            detail.add(new TeamPanel(teams, users, caller, team));
        }
    }

    private void create() {
        name.setInvalid(false);
        slug.setInvalid(false);
        try {
            Team team = teams.createTeam(caller.get(), slug.isEmpty() ? null : slug.getValue(), name.getValue());
            Notification.show("Team " + team.name() + " created").addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            name.clear();
            slug.clear();
            refresh();
        } catch (InvalidInputException e) {
            e.errors().forEach(this::mark);
        } catch (ConflictException e) {
            mark(new FieldError(e.field(), e.getMessage()));
        }
    }

    private void mark(FieldError error) {
        TextField field = "slug".equals(error.field()) ? slug : name;
        field.setErrorMessage(error.message());
        field.setInvalid(true);
    }

    private void refresh() {
        List<Team> all = teams.teams(caller.get());
        grid.setItems(all);
        if (all.size() == 1) {
            grid.select(all.get(0));
        }
        empty.setVisible(all.isEmpty());
        grid.setVisible(!all.isEmpty());
    }
}
