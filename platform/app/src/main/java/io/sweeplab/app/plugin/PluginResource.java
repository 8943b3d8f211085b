package io.sweeplab.app.plugin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginService;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
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
            String location,
            String pluginVersion,
            String sha256) {
        static PluginView of(PluginEntry e) {
            return new PluginView(
                    e.id(),
                    e.type() == null ? null : e.type().jsonName(),
                    e.version(),
                    e.label(),
                    e.description(),
                    e.params().specs().stream().map(ParamView::of).toList(),
                    e.source().name().toLowerCase(Locale.ROOT),
                    e.status().jsonName(),
                    e.reason().isEmpty() ? null : e.reason(),
                    e.plugin(),
                    e.location(),
                    e.pluginVersion().isEmpty() ? null : e.pluginVersion(),
                    e.sha256().isEmpty() ? null : e.sha256());
        }
    }

    /** The body of {@code PUT /api/plugins/{plugin}/disabled}. */
    public record Disabled(Boolean disabled) {}

    private static final String JAR = "application/java-archive";
    private static final List<String> STATUSES = Arrays.stream(PluginEntry.Status.values())
            .map(PluginEntry.Status::jsonName)
            .toList();

    private final PluginService plugins;
    private final CurrentCaller caller;

    public PluginResource(PluginService plugins, CurrentCaller caller) {
        this.plugins = plugins;
        this.caller = caller;
    }

    @POST
    @Consumes(JAR)
    @RolesAllowed("admin")
    @Operation(
            summary = "Install or upgrade a plugin jar (administrators)",
            description = "The body is the jar (Content-Type: application/java-archive, at most"
                    + " sweeplab.plugins.max-jar-mb). It is checked as the plugins directory is, stored there as"
                    + " <plugin>-<version>.jar and loaded in a class loader of its own; new runs use it at once, runs"
                    + " training go on with the version they started with. Answers the jar's extensions. 400: the jar"
                    + " is refused on its own (malformed, no descriptor, another API range, ...); 409: it clashes"
                    + " (that version is installed, or another plugin provides one of its extension ids).")
    public Response upload(InputStream body) {
        List<PluginView> installed =
                plugins.install(caller.get(), body).stream().map(PluginView::of).toList();
        return Response.status(201)
                .location(java.net.URI.create(
                        "/api/plugins?plugin=" + installed.get(0).plugin()))
                .entity(installed)
                .build();
    }

    @PUT
    @Path("{plugin}/disabled")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(
            summary = "Disable or enable a plugin (administrators)",
            description = "A disabled plugin's extensions are not offered to new runs; runs that use them go on.")
    public List<PluginView> setDisabled(@PathParam("plugin") String plugin, Disabled body) {
        if (body == null || body.disabled() == null) {
            throw new InvalidInputException("disabled", "is required: true or false");
        }
        return plugins.setDisabled(caller.get(), plugin, body.disabled()).stream()
                .map(PluginView::of)
                .toList();
    }

    @DELETE
    @Path("{plugin}")
    @RolesAllowed("admin")
    @Operation(
            summary = "Remove every version of a plugin (administrators)",
            description = "Its jars are deleted from the plugins directory; runs training with it finish with it.")
    public void remove(@PathParam("plugin") String plugin) {
        plugins.remove(caller.get(), plugin, null);
    }

    @DELETE
    @Path("{plugin}/{version}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove one version of a plugin (administrators)")
    public void removeVersion(@PathParam("plugin") String plugin, @PathParam("version") String version) {
        plugins.remove(caller.get(), plugin, version);
    }

    @GET
    @Operation(
            summary = "List extensions, loaded and refused",
            description = "Optionally filtered by type (architecture, callback, visualizer), status (loaded,"
                    + " superseded, disabled, refused) and plugin id.")
    public List<PluginView> list(
            @QueryParam("type") String type, @QueryParam("status") String status, @QueryParam("plugin") String plugin) {
        ExtensionType t = type == null
                ? null
                : ExtensionType.fromJsonName(type)
                        .orElseThrow(() -> new InvalidInputException(
                                "type",
                                "must be one of "
                                        + Arrays.stream(ExtensionType.values())
                                                .map(ExtensionType::jsonName)
                                                .toList()));
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidInputException("status", "must be one of " + STATUSES);
        }
        return plugins.registry().entries().stream()
                .filter(e -> t == null || e.type() == t)
                .filter(e -> status == null || e.status().jsonName().equals(status))
                .filter(e -> plugin == null || e.plugin().equals(plugin))
                .map(PluginView::of)
                .toList();
    }
}
