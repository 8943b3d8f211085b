package io.sweeplab.app.run;

import io.sweeplab.app.export.Csv;
import io.sweeplab.app.problem.Bodies;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.core.sweep.SweepTable;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Runs")
@RolesAllowed("user")
public class RunResource {

    private final RunService runs;
    private final CurrentCaller caller;

    public RunResource(RunService runs, CurrentCaller caller) {
        this.runs = runs;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Queue a training run",
            description = "Validated against the plugin schemas; a 400 names"
                    + " every bad field (params.<name>, callbacks[i].params.<name>, data.trainLimit, ...).")
    public Response submit(RunRequest body) {
        Run run = runs.submit(caller.get(), Bodies.require(body));
        return Response.created(URI.create("/api/runs/" + run.id()))
                .entity(RunView.of(run))
                .build();
    }

    @GET
    @Operation(summary = "List runs, newest first, optionally of one experiment")
    public List<RunView> list(@QueryParam("experiment") String experiment) {
        Long exp = Bodies.queryId("experiment", experiment);
        return runs.list(caller.get(), exp).stream().map(RunView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One run with its status, stop reason, test accuracy, model summary and device")
    public RunView get(@PathParam("id") String id) {
        return RunView.of(runs.get(caller.get(), Bodies.pathId("id", id)));
    }

    @GET
    @Path("{id}/metrics")
    @Operation(summary = "Per-epoch training and validation loss and accuracy, epoch time and images/s")
    public List<EpochMetric> metrics(@PathParam("id") String id) {
        return runs.metrics(caller.get(), Bodies.pathId("id", id));
    }

    @GET
    @Path("{id}/metrics.csv")
    @Produces("text/csv")
    @Operation(summary = "A run's per-epoch metrics as CSV, one row per epoch")
    public Response metricsCsv(@PathParam("id") String id) {
        long run = Bodies.pathId("id", id);
        return Csv.download(SweepTable.epochs(runs.metrics(caller.get(), run)), "run-" + run + "-metrics.csv");
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a queued or running run")
    public RunView cancel(@PathParam("id") String id) {
        return RunView.of(runs.cancel(caller.get(), Bodies.pathId("id", id)));
    }

    @GET
    @Path("{id}/artifacts")
    @Operation(summary = "The run's artifacts: name, kind and size")
    public List<RunStore.ArtifactInfo> artifacts(@PathParam("id") String id) {
        return runs.artifacts(caller.get(), Bodies.pathId("id", id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a run with its metrics, checkpoints and artifacts (stopping it if it runs)")
    public Response delete(@PathParam("id") String id) {
        runs.delete(caller.get(), Bodies.pathId("id", id));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/artifacts/{name}")
    @Operation(
            summary = "One artifact",
            description = "Every kind has {name, kind, title, attributes}. tensors: {tensors: [{name, shape,"
                    + " axes: [{name, labels}], dtype: float32, encoding: base64-le, data}]}; table: {columns, rows,"
                    + " barColumn?}; series: {xLabel, yLabel, lines: [{name, x, y}]}; image: {caption, mediaType:"
                    + " image/png, png (base64)}; scalars: {values: {name: number}}. NaN is written as null. Other kinds"
                    + " may come from newer workers.")
    public Response artifact(@PathParam("id") String id, @PathParam("name") String name) {
        long run = Bodies.pathId("id", id);
        byte[] content = runs.artifact(caller.get(), run, name)
                .orElseThrow(() -> new NotFoundException("run " + run + " has no artifact '" + name + "'"));
        return Response.ok(content, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
