package io.sweeplab.app.sweep;

import io.sweeplab.app.export.Csv;
import io.sweeplab.app.problem.Bodies;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepRequest;
import io.sweeplab.core.sweep.SweepService;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sweeps")
@RolesAllowed("user")
public class SweepResource {

    private final SweepService sweeps;
    private final CurrentCaller caller;

    public SweepResource(SweepService sweeps, CurrentCaller caller) {
        this.sweeps = sweeps;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Launch a grid of runs, or a search",
            description = "A grid: {experiment, name, base: <run request without"
                    + " experiment>, grid: {<path>: [values]}}: the cartesian product, every cell validated first (a 400 names"
                    + " the cell and field), duplicates removed, at most sweeplab.sweeps.max-runs runs. A search: {experiment,"
                    + " name, base, strategy: {id, params}, space: {<path>: {values: [...]} | {int: [lo, hi]} | {float: [lo,"
                    + " hi], log: true}}, objective: {metric, goal: max|min}, budget: {maxRuns, maxHours}, parallelism,"
                    + " scheduler: {id, params}, seed}: the strategy proposes trials as earlier ones end, at most"
                    + " parallelism unfinished at once.")
    public Response launch(SweepRequest body) {
        Sweep sweep = sweeps.launch(caller.get(), Bodies.require(body));
        return Response.created(URI.create("/api/sweeps/" + sweep.id()))
                .entity(SweepView.of(sweep))
                .build();
    }

    @GET
    @Operation(summary = "List sweeps, newest first, optionally of one experiment")
    public List<SweepView> list(@QueryParam("experiment") String experiment) {
        Long exp = Bodies.queryId("experiment", experiment);
        return sweeps.list(caller.get(), exp).stream().map(SweepView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One sweep with its runs")
    public SweepView get(@PathParam("id") String id) {
        return SweepView.of(sweeps.get(caller.get(), Bodies.pathId("id", id)));
    }

    @GET
    @Path("{id}/runs.json")
    @Operation(
            summary = "A sweep's runs as a table: parameters, status, last and best epoch (by validation accuracy)"
                    + " metrics, test scores")
    public List<Map<String, Object>> runsJson(@PathParam("id") String id) {
        return table(id).rows();
    }

    @GET
    @Path("{id}/runs.csv")
    @Produces("text/csv")
    @Operation(summary = "The table of runs.json as CSV, one row per run")
    public Response runsCsv(@PathParam("id") String id) {
        return Csv.download(table(id), "sweep-" + Bodies.pathId("id", id) + "-runs.csv");
    }

    private SweepTable.Table table(String id) {
        long sweep = Bodies.pathId("id", id);
        return SweepTable.of(sweeps.get(caller.get(), sweep), sweeps.metrics(caller.get(), sweep));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a sweep: its queued runs at once, its running ones at their next iteration")
    public SweepView cancel(@PathParam("id") String id) {
        return SweepView.of(sweeps.cancel(caller.get(), Bodies.pathId("id", id)));
    }

    @POST
    @Path("{id}/rerun")
    @Operation(summary = "Queue every failed or cancelled run of a sweep again, from its first epoch")
    public SweepView rerun(@PathParam("id") String id) {
        return SweepView.of(sweeps.rerunFailed(caller.get(), Bodies.pathId("id", id)));
    }

    /** @param trials how many more trials the search may run */
    public record ExtendRequest(Integer trials) {}

    @POST
    @Path("{id}/extend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give a search sweep {trials: N} more trials: its budget grows by N and it proposes again")
    public SweepView extend(@PathParam("id") String id, ExtendRequest body) {
        ExtendRequest r = Bodies.require(body);
        if (r.trials() == null) {
            throw new io.sweeplab.core.error.InvalidInputException("trials", "is required: how many more trials");
        }
        return SweepView.of(sweeps.extend(caller.get(), Bodies.pathId("id", id), r.trials()));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a sweep and all its runs (stopping those that run)")
    public Response delete(@PathParam("id") String id) {
        sweeps.delete(caller.get(), Bodies.pathId("id", id));
        return Response.noContent().build();
    }
}
