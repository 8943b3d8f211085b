package io.sweeplab.frontend.security;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.auth.NavigationAccessControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every view states who may open it ({@code @RolesAllowed("user")}, {@code @RolesAllowed("admin")},
 * {@code @AnonymousAllowed} for the sign-in page); anybody else is sent to the sign-in page.
 */
@ApplicationScoped
public class AccessControl {

    void install(@Observes ServiceInitEvent event) {
        NavigationAccessControl control = new NavigationAccessControl();
        control.setLoginView(LoginView.class);
        event.getSource().addUIInitListener(ui -> ui.getUI().addBeforeEnterListener(control));
    }
}
