package io.sweeplab.app.team;

import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/teams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Teams")
public class TeamResource {

    /** A new team; {@code slug} is derived from {@code name} when absent. */
    public record NewTeam(String slug, String name) {}

    /** A new experiment; {@code project} defaults to {@code default}. */
    public record NewExperiment(String name, String description, String project) {}

    private final TeamService teams;

    public TeamResource(TeamService teams) {
        this.teams = teams;
    }

    @GET
    @Operation(summary = "List teams")
    public List<Team> list() {
        return teams.teams();
    }

    @POST
    @Operation(summary = "Create a team with a default project")
    public Response create(@RequestBody(required = true) NewTeam body, @jakarta.ws.rs.core.Context UriInfo uri) {
        NewTeam b = Bodies.require(body);
        Team team = teams.createTeam(b.slug(), b.name());
        return Response.created(URI.create("/api/teams/" + team.slug()))
                .entity(team)
                .build();
    }

    @GET
    @Path("{team}")
    @Operation(summary = "One team")
    public Team get(@PathParam("team") String team) {
        return teams.team(team);
    }

    @GET
    @Path("{team}/experiments")
    @Operation(summary = "List a team's experiments")
    public List<Experiment> experiments(@PathParam("team") String team) {
        return teams.experiments(team);
    }

    @POST
    @Path("{team}/experiments")
    @Operation(summary = "Create an experiment in a team's project")
    public Response createExperiment(@PathParam("team") String team, @RequestBody(required = true) NewExperiment body) {
        NewExperiment b = Bodies.require(body);
        Experiment e = teams.createExperiment(team, b.project(), b.name(), b.description());
        return Response.created(URI.create("/api/teams/" + team + "/experiments/" + e.id()))
                .entity(e)
                .build();
    }

    @GET
    @Path("{team}/experiments/{id}")
    @Operation(summary = "One experiment")
    public Experiment experiment(@PathParam("team") String team, @PathParam("id") String id) {
        return teams.experiment(team, Bodies.pathId("id", id));
    }
}
