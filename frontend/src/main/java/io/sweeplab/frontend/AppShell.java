package io.sweeplab.frontend;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.PWA;
import com.vaadin.flow.shared.ui.Transport;
import com.vaadin.flow.theme.Theme;
import com.vaadin.flow.theme.lumo.Lumo;

/** Application-wide settings: server push for live updates, the Lumo theme. */
@Push(transport = Transport.WEBSOCKET_XHR)
@Theme(themeClass = Lumo.class)
@PWA(name = "Sweeplab", shortName = "Sweeplab")
public class AppShell implements AppShellConfigurator {}
