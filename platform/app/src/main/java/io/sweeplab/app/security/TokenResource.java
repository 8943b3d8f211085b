package io.sweeplab.app.security;

import io.sweeplab.app.problem.Bodies;
import io.sweeplab.core.access.ApiToken;
import io.sweeplab.core.access.TokenService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens")
@RolesAllowed("user")
public class TokenResource {

    /** @param team for a worker token of one team (its owners make it), the team's slug */
    public record NewToken(String name, String scope, String team) {}

    /** A created token: {@code token} is the secret, shown this once. */
    public record Created(String token, ApiToken info) {}

    private final TokenService tokens;
    private final CurrentCaller caller;

    public TokenResource(TokenService tokens, CurrentCaller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's tokens, without their secrets (administrators: all tokens)")
    public List<ApiToken> list() {
        return tokens.list(caller.get());
    }

    @POST
    @Operation(
            summary = "Create a token: {name, scope: read|write|worker, team?}",
            description = "The secret is in the answer only. Worker tokens (scope worker) are for remote workers:"
                    + " administrators create them for every team; a team's owners create them with team, and their"
                    + " workers claim only that team's runs.")
    public Response create(@RequestBody(required = true) NewToken body) {
        NewToken b = Bodies.require(body);
        TokenService.NewToken t = tokens.create(caller.get(), b.name(), b.scope(), b.team());
        return Response.created(URI.create("/api/tokens/" + t.token().id()))
                .entity(new Created(t.secret(), t.token()))
                .build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token: it stops working at once")
    public ApiToken revoke(@PathParam("id") String id) {
        return tokens.revoke(caller.get(), Bodies.pathId("id", id));
    }
}
