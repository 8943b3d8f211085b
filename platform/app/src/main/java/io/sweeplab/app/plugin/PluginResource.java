package io.sweeplab.app.plugin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Plugins")
@RolesAllowed("user")
public class PluginResource {

    /** One parameter of an extension's schema. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParamView(
            String name,
            String type,
            Object defaultValue,
            Number min,
            Number max,
            List<String> choices,
            String description) {
        static ParamView of(ParamSpec s) {
            boolean whole = s.type() == ParamType.INT || s.type() == ParamType.INT_LIST;
            return new ParamView(
                    s.name(),
                    s.type().jsonName(),
                    s.defaultValue(),
                    bound(s.min(), whole),
                    bound(s.max(), whole),
                    s.choices().isEmpty() ? null : s.choices(),
                    s.description());
        }

        private static Number bound(Double value, boolean whole) {
            return value == null ? null : whole ? (Number) value.longValue() : value;
        }

        /** JSON name {@code default}: a Java keyword, so the accessor is renamed. */
        @com.fasterxml.jackson.annotation.JsonProperty("default")
        @Override
        public Object defaultValue() {
            return defaultValue;
        }
    }

    /** One extension, loaded or refused. */
    public record PluginView(
            String id,
            String type,
            String version,
            String label,
            String description,
            List<ParamView> params,
            String source,
            String status,
            String reason,
            String plugin,
            String location) {
        static PluginView of(PluginEntry e) {
            return new PluginView(
                    e.id(),
                    e.type() == null ? null : e.type().jsonName(),
                    e.version(),
                    e.label(),
                    e.description(),
                    e.params().specs().stream().map(ParamView::of).toList(),
                    e.source().name().toLowerCase(Locale.ROOT),
                    e.status().name().toLowerCase(Locale.ROOT),
                    e.reason().isEmpty() ? null : e.reason(),
                    e.plugin(),
                    e.location());
        }
    }

    private final PluginHost host;

    public PluginResource(PluginHost host) {
        this.host = host;
    }

    @GET
    @Operation(
            summary = "List extensions, loaded and refused",
            description = "Optionally filtered by type "
                    + "(architecture, callback, visualizer) and status (loaded, refused).")
    public List<PluginView> list(@QueryParam("type") String type, @QueryParam("status") String status) {
        ExtensionType t = type == null
                ? null
                : ExtensionType.fromJsonName(type)
                        .orElseThrow(() -> new InvalidInputException(
                                "type",
                                "must be one of "
                                        + Arrays.stream(ExtensionType.values())
                                                .map(ExtensionType::jsonName)
                                                .toList()));
        if (status != null && !status.equals("loaded") && !status.equals("refused")) {
            throw new InvalidInputException("status", "must be loaded or refused");
        }
        return host.registry().entries().stream()
                .filter(e -> t == null || e.type() == t)
                .filter(e -> status == null || e.status().name().equalsIgnoreCase(status))
                .map(PluginView::of)
                .toList();
    }
}
