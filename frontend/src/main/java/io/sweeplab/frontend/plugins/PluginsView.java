package io.sweeplab.frontend.plugins;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.plugin.api.ParamSpec;
import jakarta.annotation.security.RolesAllowed;
import java.util.Locale;
import java.util.stream.Collectors;

/** Every extension the platform knows: type, version, source, status (refused ones with their reason), params. */
@Route(value = "plugins", layout = MainLayout.class)
@RolesAllowed("user")
@PageTitle("Plugins · Sweeplab")
public class PluginsView extends VerticalLayout {

    public PluginsView(PluginRegistry registry) {
        setSizeFull();
        Grid<PluginEntry> grid = new Grid<>(PluginEntry.class, false);
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
        grid.addColumn(e -> e.loaded() ? e.description() : e.reason())
                .setHeader("Description / reason")
                .setFlexGrow(1)
                .setTooltipGenerator(e -> e.loaded() ? e.description() : e.reason());
        grid.setItemDetailsRenderer(new ComponentRenderer<>(PluginsView::details));
        grid.setItems(registry.entries());
        add(new H2("Plugins"), grid);
    }

    private static Span status(PluginEntry e) {
        Span badge = new Span(e.status().name().toLowerCase(Locale.ROOT));
        badge.getElement().getThemeList().add(e.loaded() ? "badge success" : "badge error");
        return badge;
    }

    private static Div details(PluginEntry e) {
        Div div = new Div();
        if (e.params().specs().isEmpty()) {
            div.setText(e.loaded() ? "No parameters." : "Refused: " + e.reason());
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
