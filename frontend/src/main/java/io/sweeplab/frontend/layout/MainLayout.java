package io.sweeplab.frontend.layout;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.theme.lumo.LumoUtility;

/** The frame of every view: title bar and the navigation drawer. */
public class MainLayout extends AppLayout {

    public MainLayout() {
        H1 title = new H1("Sweeplab");
        title.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.Margin.NONE);
        addToNavbar(new DrawerToggle(), title);

        SideNav nav = new SideNav();
        // By path, not by view class: the views name this layout, so naming them here would make a cycle.
        nav.addItem(new SideNavItem("Teams", "", VaadinIcon.USERS.create()));
        nav.addItem(new SideNavItem("Plugins", "plugins", VaadinIcon.PLUG.create()));
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }
}
