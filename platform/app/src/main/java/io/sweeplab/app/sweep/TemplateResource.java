package io.sweeplab.app.sweep;

import io.sweeplab.app.problem.Bodies;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.sweep.LabTemplates;
import io.sweeplab.core.sweep.Sweep;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Templates")
@RolesAllowed("user")
public class TemplateResource {

    /**
     * Launching a template: into which experiment, optionally under another name, on a subset of the data and with
     * other visualizers than the template's ({@code [{id, params}]}; an empty list for none).
     */
    public record Launch(
            Long experiment, String name, RunRequest.DataRequest data, List<RunRequest.ExtensionRequest> visualizers) {}

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
        Sweep sweep = sweeps.launch(
                caller.get(), LabTemplates.request(t, b.experiment(), b.name(), b.data(), b.visualizers()), t.id());
        return Response.created(URI.create("/api/sweeps/" + sweep.id()))
                .entity(SweepView.of(sweep))
                .build();
    }

    private static LabTemplates.Template template(String id) {
        return LabTemplates.find(id)
                .orElseThrow(() -> new NotFoundException("no template '" + id + "'; see" + " GET /api/templates"));
    }
}
