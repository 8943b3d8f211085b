package io.sweeplab.frontend.layout;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.sweeplab.core.access.Caller;
import io.sweeplab.frontend.security.CurrentUser;

public class MainLayout extends AppLayout implements AfterNavigationObserver {

    public MainLayout() {
        H1 title = new H1("Sweeplab");
        title.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.Margin.NONE);
        Caller caller = CurrentUser.caller().orElse(null);
        Span user = new Span(caller == null ? "" : caller.name() + (caller.admin() ? " (admin)" : ""));
        user.setId("current-user");
        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), e -> signOut());
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout right = new HorizontalLayout(user, signOut);
        right.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        right.addClassNames(LumoUtility.Margin.Left.AUTO, LumoUtility.Margin.Right.MEDIUM);
        addToNavbar(new DrawerToggle(), title, right);

        SideNav nav = new SideNav();
        // By path, not by view class: the views name this layout, so naming them here would make a cycle.
        nav.addItem(new SideNavItem("Teams", "", VaadinIcon.USERS.create()));
        nav.addItem(new SideNavItem("Launch", "launch", VaadinIcon.ROCKET.create()));
        nav.addItem(new SideNavItem("Sweeps", "sweeps", VaadinIcon.GRID_BIG.create()));
        nav.addItem(new SideNavItem("Runs", "runs", VaadinIcon.CHART_LINE.create()));
        nav.addItem(new SideNavItem("Workers", "workers", VaadinIcon.SERVER.create()));
        nav.addItem(new SideNavItem("Plugins", "plugins", VaadinIcon.PLUG.create()));
        nav.addItem(new SideNavItem("API tokens", "tokens", VaadinIcon.KEY.create()));
        if (caller != null && caller.admin()) {
            nav.addItem(new SideNavItem("Audit log", "audit", VaadinIcon.RECORDS.create()));
        }
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }

    /**
     * A view opened from far down another (a run from a tall sweep page, a sweep from the Launch button) starts at its
     * top: the layout's content area keeps its scroll across views otherwise.
     */
    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        getElement()
                .executeJs("window.scrollTo(0, 0);"
                        + " const c = this.shadowRoot && this.shadowRoot.querySelector('[content]');"
                        + " if (c) { c.scrollTop = 0; }");
    }

    private static void signOut() {
        UI ui = UI.getCurrent();
        ui.getPage().setLocation("/logout");
        VaadinSession.getCurrent().getSession().invalidate();
    }
}
