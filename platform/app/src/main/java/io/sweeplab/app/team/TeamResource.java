package io.sweeplab.app.team;

import io.sweeplab.app.problem.Bodies;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.access.Member;
import io.sweeplab.core.access.UserService;
import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
@RolesAllowed("user")
public class TeamResource {

    /** A new team; {@code slug} is derived from {@code name} when absent. */
    public record NewTeam(String slug, String name) {}

    /** A new experiment; {@code project} defaults to {@code default}. */
    public record NewExperiment(String name, String description, String project) {}

    /** Adding a user to a team or changing their role. */
    public record NewRole(String role) {}

    private final TeamService teams;
    private final UserService users;
    private final CurrentCaller caller;

    public TeamResource(TeamService teams, UserService users, CurrentCaller caller) {
        this.teams = teams;
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the caller's teams (administrators: all teams)")
    public List<Team> list() {
        return teams.teams(caller.get());
    }

    @POST
    @Operation(summary = "Create a team with a default project (administrators)")
    public Response create(@RequestBody(required = true) NewTeam body, @jakarta.ws.rs.core.Context UriInfo uri) {
        NewTeam b = Bodies.require(body);
        Team team = teams.createTeam(caller.get(), b.slug(), b.name());
        return Response.created(URI.create("/api/teams/" + team.slug()))
                .entity(team)
                .build();
    }

    @GET
    @Path("{team}")
    @Operation(summary = "One team")
    public Team get(@PathParam("team") String team) {
        return teams.team(caller.get(), team);
    }

    @GET
    @Path("{team}/members")
    @Operation(summary = "The team's members and their roles")
    public List<Member> members(@PathParam("team") String team) {
        return users.members(caller.get(), team);
    }

    @PUT
    @Path("{team}/members/{user}")
    @Operation(summary = "Add a user to the team or change their role: {role: owner|member|viewer} (owners, admins)")
    public Member setRole(
            @PathParam("team") String team,
            @PathParam("user") String user,
            @RequestBody(required = true) NewRole body) {
        return users.setRole(caller.get(), team, user, Bodies.require(body).role());
    }

    @DELETE
    @Path("{team}/members/{user}")
    @Operation(summary = "Remove a user from the team (owners, admins)")
    public Response removeMember(@PathParam("team") String team, @PathParam("user") String user) {
        users.removeMember(caller.get(), team, user);
        return Response.noContent().build();
    }

    @GET
    @Path("{team}/experiments")
    @Operation(summary = "List a team's experiments")
    public List<Experiment> experiments(@PathParam("team") String team) {
        return teams.experiments(caller.get(), team);
    }

    @POST
    @Path("{team}/experiments")
    @Operation(summary = "Create an experiment in a team's project")
    public Response createExperiment(@PathParam("team") String team, @RequestBody(required = true) NewExperiment body) {
        NewExperiment b = Bodies.require(body);
        Experiment e = teams.createExperiment(caller.get(), team, b.project(), b.name(), b.description());
        return Response.created(URI.create("/api/teams/" + team + "/experiments/" + e.id()))
                .entity(e)
                .build();
    }

    @GET
    @Path("{team}/experiments/{id}")
    @Operation(summary = "One experiment")
    public Experiment experiment(@PathParam("team") String team, @PathParam("id") String id) {
        return teams.experiment(caller.get(), team, Bodies.pathId("id", id));
    }

    @DELETE
    @Path("{team}/experiments/{id}")
    @Operation(summary = "Delete an experiment with all its sweeps and runs")
    public Response deleteExperiment(@PathParam("team") String team, @PathParam("id") String id) {
        teams.deleteExperiment(caller.get(), team, Bodies.pathId("id", id));
        return Response.noContent().build();
    }
}
