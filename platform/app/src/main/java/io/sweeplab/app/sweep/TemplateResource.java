package io.sweeplab.app.sweep;

import io.sweeplab.app.problem.Bodies;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.sweep.LabTemplates;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepRequest;
import io.sweeplab.core.sweep.SweepService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Templates")
@RolesAllowed("user")
public class TemplateResource {

    /**
     * Launching a template: into which experiment, optionally under another name and on a subset of the data.
     */
    public record Launch(Long experiment, String name, RunRequest.DataRequest data) {}

    private final SweepService sweeps;
    private final CurrentCaller caller;

    public TemplateResource(SweepService sweeps, CurrentCaller caller) {
        this.sweeps = sweeps;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The lab's exercises as sweep templates, each with what it teaches")
    public List<LabTemplates.Template> list() {
        return LabTemplates.ALL;
    }

    @GET
    @Path("{id}")
    public LabTemplates.Template get(@PathParam("id") String id) {
        return template(id);
    }

    @POST
    @Path("{id}/launch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Launch a template as a sweep in one call")
    public Response launch(@PathParam("id") String id, Launch body) {
        LabTemplates.Template t = template(id);
        Launch b = Bodies.require(body);
        Map<String, Object> base = new LinkedHashMap<>(t.base());
        if (b.data() != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            putIfSet(data, "trainLimit", b.data().trainLimit());
            putIfSet(data, "testLimit", b.data().testLimit());
            putIfSet(data, "sampling", b.data().sampling());
            putIfSet(data, "sampleSeed", b.data().sampleSeed());
            base.put("data", data);
        }
        Sweep sweep = sweeps.launch(
                caller.get(),
                new SweepRequest(b.experiment(), b.name() == null ? t.title() : b.name(), base, t.grid()),
                t.id());
        return Response.created(URI.create("/api/sweeps/" + sweep.id()))
                .entity(SweepView.of(sweep))
                .build();
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static LabTemplates.Template template(String id) {
        return LabTemplates.find(id)
                .orElseThrow(() -> new NotFoundException("no template '" + id + "'; see" + " GET /api/templates"));
    }
}
