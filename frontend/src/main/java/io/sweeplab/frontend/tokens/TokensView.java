package io.sweeplab.frontend.tokens;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.ApiToken;
import io.sweeplab.core.access.TokenService;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The user's API tokens: create one (its secret is shown once), see when each was last used, revoke. */
@Route(value = "tokens", layout = MainLayout.class)
@PageTitle("API tokens · Sweeplab")
@RolesAllowed("user")
public class TokensView extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final TokenService tokens;
    private final Grid<ApiToken> grid = new Grid<>(ApiToken.class, false);
    private final TextField name = new TextField("Name");
    private final ComboBox<String> scope = new ComboBox<>("Scope");
    private final ComboBox<String> team = new ComboBox<>("For the team");
    private final Paragraph secret = new Paragraph();
    private final CallerSource caller = CurrentUser.source();

    public TokensView(TokenService tokens) {
        this.tokens = tokens;
        setSizeFull();
        io.sweeplab.core.access.Caller me = caller.get();
        boolean admin = me.admin();
        // a team's owners make worker tokens for that team; administrators also for every team
        List<String> owned = me.teams().entrySet().stream()
                .filter(e -> e.getValue().includes(io.sweeplab.core.access.Role.OWNER))
                .map(java.util.Map.Entry::getKey)
                .sorted()
                .toList();
        name.setId("token-name");
        name.setMaxLength(100);
        scope.setId("token-scope");
        scope.setItems(admin || !owned.isEmpty() ? List.of("read", "write", "worker") : List.of("read", "write"));
        scope.setValue("read");
        team.setId("token-team");
        team.setItems(owned);
        team.setPlaceholder(admin ? "every team" : "");
        team.setHelperText("its workers claim only this team's runs");
        team.setVisible(false);
        scope.addValueChangeListener(e -> team.setVisible("worker".equals(e.getValue())));
        Button create = new Button("Create token", e -> create());
        create.setId("create-token");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, scope, team, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        secret.setId("token-secret");
        secret.setVisible(false);

        grid.setId("tokens-grid");
        grid.addColumn(ApiToken::name).setHeader("Name").setAutoWidth(true);
        if (admin) {
            grid.addColumn(ApiToken::user).setHeader("User").setAutoWidth(true);
        }
        grid.addColumn(t -> t.scope().jsonName()).setHeader("Scope").setAutoWidth(true);
        grid.addColumn(t -> t.team() == null ? "" : t.team()).setHeader("Team").setAutoWidth(true);
        grid.addColumn(t -> t.prefix() + "…").setHeader("Token").setAutoWidth(true);
        grid.addColumn(t -> when(t.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(t -> t.lastUsedAt() == null ? "never" : when(t.lastUsedAt()))
                .setHeader("Last used")
                .setAutoWidth(true);
        grid.addComponentColumn(t -> {
                    if (t.revokedAt() != null) {
                        return new Paragraph("revoked " + when(t.revokedAt()));
                    }
                    Button revoke = new Button("Revoke", e -> {
                        tokens.revoke(caller.get(), t.id());
                        refresh();
                    });
                    revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                    return revoke;
                })
                .setHeader("")
                .setAutoWidth(true);
        add(
                new H2("API tokens"),
                new Paragraph("Use a token with Authorization: Bearer <token>, or as the password of HTTP basic."
                        + " Read tokens only read; worker tokens only let a remote worker claim and report jobs, a team's"
                        + " worker tokens only that team's."),
                form,
                secret,
                grid);
        refresh();
    }

    private void create() {
        name.setInvalid(false);
        team.setInvalid(false);
        try {
            String forTeam = "worker".equals(scope.getValue()) ? team.getValue() : null;
            TokenService.NewToken t = tokens.create(caller.get(), name.getValue(), scope.getValue(), forTeam);
            secret.setText("New token '" + t.token().name() + "' (copy it now, it is not shown again): " + t.secret());
            secret.setVisible(true);
            name.clear();
            refresh();
        } catch (InvalidInputException e) {
            name.setErrorMessage(e.errors().get(0).message());
            name.setInvalid(true);
        } catch (io.sweeplab.core.error.ForbiddenException e) {
            team.setErrorMessage("choose one of your teams: only administrators make worker tokens for every team");
            team.setInvalid(true);
        }
    }

    private void refresh() {
        grid.setItems(tokens.list(caller.get()));
    }

    private static String when(Instant i) {
        return WHEN.format(i);
    }
}
