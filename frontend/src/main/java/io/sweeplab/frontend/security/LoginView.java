package io.sweeplab.frontend.security;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/** The sign-in page: the form posts to Quarkus' form authentication ({@code j_security_check}). */
@Route("login")
@PageTitle("Sign in · Sweeplab")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();
    private final Paragraph note = new Paragraph();

    public LoginView() {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        form.setAction("j_security_check");
        form.setForgotPasswordButtonVisible(false);
        form.setId("login-form");
        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle("Sign in");
        i18n.getErrorMessage().setTitle("Not signed in");
        i18n.getErrorMessage()
                .setMessage("Wrong user name or password, or too many failed attempts: wait a little and try again.");
        form.setI18n(i18n);
        note.setId("login-note");
        add(new H1("Sweeplab"), form, note);
        if (org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("sweeplab.oidc.enabled", Boolean.class)
                .orElse(false)) {
            com.vaadin.flow.component.html.Anchor sso =
                    new com.vaadin.flow.component.html.Anchor("/sso", "Sign in with single sign-on");
            sso.setRouterIgnore(true);
            sso.setId("sso");
            add(sso);
        }
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var params = event.getLocation().getQueryParameters().getParameters();
        form.setError(params.containsKey("error"));
        note.setText(params.containsKey("signed-out") ? "You are signed out." : "");
    }
}
