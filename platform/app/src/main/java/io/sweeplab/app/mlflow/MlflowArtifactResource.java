package io.sweeplab.app.mlflow;

import static io.sweeplab.app.mlflow.MlflowJson.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.external.ExternalRun;
import io.sweeplab.core.external.ExternalRunService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * MLflow's artifact proxy ({@code mlflow server --serve-artifacts}): a run's {@code artifact_uri} is
 * {@code mlflow-artifacts:/<experiment id>/<run id>/artifacts}, which MLflow clients turn into
 * {@code /api/2.0/mlflow-artifacts/artifacts/<experiment id>/<run id>/artifacts/<path>} on the tracking server. Files
 * are kept in PostgreSQL with the run, at most {@code sweeplab.mlflow.max-artifact-mb} each.
 */
@Path("/api/2.0/mlflow-artifacts/artifacts")
@Tag(name = "MLflow tracking")
@RolesAllowed("user")
public class MlflowArtifactResource {

    private final ExternalRunService service;
    private final CurrentCaller caller;

    public MlflowArtifactResource(ExternalRunService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** {run id, path under the run's artifact root (or "")} of {@code <experiment>/<run>/artifacts[/<path>]}. */
    private String[] locate(String path, boolean file) {
        String p = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        String[] parts = p.split("/", 4);
        if (parts.length < 3 || !parts[2].equals("artifacts") || (file && (parts.length < 4 || parts[3].isEmpty()))) {
            throw new NotFoundException("No artifact at '" + p + "': artifacts live under"
                    + " '<experiment id>/<run id>/artifacts/<path>'");
        }
        ExternalRun run = service.run(caller.get(), parts[1]);
        if (!Long.toString(run.ref().experiment()).equals(parts[0])) {
            throw new NotFoundException("Run '" + parts[1] + "' not found in experiment " + parts[0]);
        }
        return new String[] {parts[1], parts.length < 4 ? "" : parts[3]};
    }

    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "MLflow artifact proxy: upload a file of a run")
    public Response upload(@PathParam("path") String path, byte[] body) {
        String[] at = locate(path, true);
        service.putFile(caller.get(), at[0], at[1], body == null ? new byte[0] : body);
        return MlflowResource.empty();
    }

    @GET
    @Path("{path: .+}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "MLflow artifact proxy: download a file of a run")
    public Response download(@PathParam("path") String path) {
        String[] at = locate(path, true);
        byte[] content = service.file(caller.get(), at[0], at[1])
                .orElseThrow(() -> new NotFoundException("No artifact '" + at[1] + "' in run '" + at[0] + "'"));
        return Response.ok(content, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "MLflow artifact proxy: list a directory of a run ('<experiment id>/<run id>/artifacts[/dir]')")
    public Response list(@QueryParam("path") String path) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode files = out.putArray("files");
        if (path == null || path.isEmpty()) {
            return MlflowResource.ok(out); // the root holds experiments, which are not listed
        }
        String[] at = locate(path, false);
        for (var f : service.list(caller.get(), at[0], at[1])) {
            boolean dir = f.path().endsWith("/");
            ObjectNode o = files.addObject()
                    .put("path", dir ? f.path().substring(0, f.path().length() - 1) : f.path())
                    .put("is_dir", dir);
            if (!dir) {
                o.put("file_size", f.size());
            }
        }
        return MlflowResource.ok(out);
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return MlflowErrors.invalid(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return MlflowErrors.of(404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return MlflowErrors.of(400, "RESOURCE_ALREADY_EXISTS", e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return MlflowErrors.of(403, "PERMISSION_DENIED", e.getMessage());
    }
}
