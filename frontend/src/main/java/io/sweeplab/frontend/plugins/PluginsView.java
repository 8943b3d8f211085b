package io.sweeplab.frontend.plugins;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.UploadHandler;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginService;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CallerSource;
import io.sweeplab.frontend.security.CurrentUser;
import io.sweeplab.plugin.api.ParamSpec;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every extension the platform knows: type, version, source, status (refused, superseded and disabled ones with
 * their reason), params. Administrators upload a plugin jar here, and disable, enable or remove a plugin.
 */
@Route(value = "plugins", layout = MainLayout.class)
@RolesAllowed("user")
@PageTitle("Plugins · Sweeplab")
public class PluginsView extends VerticalLayout {

    private final PluginService plugins;
    private final CallerSource caller = CurrentUser.source();
    private final Grid<PluginEntry> grid = new Grid<>(PluginEntry.class, false);

    public PluginsView(PluginService plugins) {
        this.plugins = plugins;
        setSizeFull();
        boolean admin = caller.get().admin();
        grid.setId("plugins-grid");
        grid.addColumn(e -> e.type() == null ? "—" : e.type().jsonName())
                .setHeader("Type")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(PluginEntry::id)
                .setHeader("Id")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(PluginEntry::label).setHeader("Label").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(PluginEntry::version)
                .setHeader("Version")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(e -> e.source().name().toLowerCase(Locale.ROOT))
                .setHeader("Source")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(new ComponentRenderer<>(PluginsView::status))
                .setHeader("Status")
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(PluginEntry::plugin)
                .setHeader("Plugin")
                .setSortable(true)
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(e -> e.loaded() ? e.description() : e.reason())
                .setHeader("Description / reason")
                .setFlexGrow(1)
                .setTooltipGenerator(e -> e.loaded() ? e.description() : e.reason());
        grid.setItemDetailsRenderer(new ComponentRenderer<>(PluginsView::details));
        if (admin) {
            grid.addColumn(new ComponentRenderer<>(this::actions))
                    .setHeader("Plugin actions")
                    .setAutoWidth(true)
                    .setFlexGrow(0);
        }
        refresh();
        add(new H2("Plugins"));
        if (admin) {
            add(upload());
        }
        add(grid);
    }

    private void refresh() {
        grid.setItems(plugins.registry().entries());
    }

    /** A jar goes to the platform as through {@code POST /api/plugins}: checked, stored, loaded, audited. */
    private Upload upload() {
        Upload upload = new Upload(UploadHandler.inMemory((meta, bytes) -> {
            try {
                List<PluginEntry> installed = plugins.install(caller.get(), new java.io.ByteArrayInputStream(bytes));
                Notification.show("Installed " + installed.get(0).plugin() + " "
                                + installed.get(0).pluginVersion() + ": "
                                + installed.stream().map(PluginEntry::id).collect(Collectors.joining(", ")))
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            } catch (RuntimeException e) {
                Notification.show(meta.fileName() + ": " + e.getMessage(), 10_000, Notification.Position.MIDDLE)
                        .addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
            refresh();
        }));
        upload.setId("plugin-upload");
        upload.setAcceptedFileTypes("application/java-archive", ".jar");
        upload.setMaxFiles(1);
        upload.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, plugins.maxJarBytes()));
        upload.setUploadButton(new Button("Upload plugin jar"));
        return upload;
    }

    private HorizontalLayout actions(PluginEntry e) {
        HorizontalLayout row = new HorizontalLayout();
        if (e.source() != PluginEntry.Source.EXTERNAL) {
            return row;
        }
        boolean disabled = e.status() == PluginEntry.Status.DISABLED;
        if (e.status() == PluginEntry.Status.LOADED || disabled) {
            Button toggle = new Button(
                    disabled ? "Enable" : "Disable",
                    c -> act(() -> plugins.setDisabled(caller.get(), e.plugin(), !disabled)));
            toggle.addThemeVariants(ButtonVariant.LUMO_SMALL);
            toggle.setId("plugin-" + (disabled ? "enable-" : "disable-") + e.plugin() + "-" + e.id());
            row.add(toggle);
        }
        Button remove = new Button(
                "Remove " + e.pluginVersion(),
                c -> act(() -> plugins.remove(
                        caller.get(), e.plugin(), e.pluginVersion().isEmpty() ? null : e.pluginVersion())));
        remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        remove.setId("plugin-remove-" + e.plugin() + "-" + e.id());
        row.add(remove);
        return row;
    }

    private void act(Runnable change) {
        try {
            change.run();
        } catch (RuntimeException ex) {
            Notification.show(ex.getMessage(), 10_000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    private static Span status(PluginEntry e) {
        Span badge = new Span(e.status().name().toLowerCase(Locale.ROOT));
        badge.getElement()
                .getThemeList()
                .add(
                        e.loaded()
                                ? "badge success"
                                : e.status() == PluginEntry.Status.REFUSED ? "badge error" : "badge contrast");
        return badge;
    }

    private static Div details(PluginEntry e) {
        Div div = new Div();
        if (e.params().specs().isEmpty()) {
            div.setText(e.status() == PluginEntry.Status.REFUSED ? "Refused: " + e.reason() : "No parameters.");
            return div;
        }
        div.setText(e.params().specs().stream().map(PluginsView::describe).collect(Collectors.joining("  ·  ")));
        return div;
    }

    private static String describe(ParamSpec s) {
        StringBuilder sb =
                new StringBuilder(s.name()).append(" (").append(s.type().jsonName());
        if (s.defaultValue() != null) {
            sb.append(", default ").append(s.defaultValue());
        }
        if (s.min() != null || s.max() != null) {
            sb.append(", ")
                    .append(s.min() == null ? "" : fmt(s.min()))
                    .append("..")
                    .append(s.max() == null ? "" : fmt(s.max()));
        }
        if (!s.choices().isEmpty()) {
            sb.append(", one of ").append(String.join("/", s.choices()));
        }
        return sb.append("): ").append(s.description()).toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
