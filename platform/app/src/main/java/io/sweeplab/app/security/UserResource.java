package io.sweeplab.app.security;

import io.sweeplab.app.problem.Bodies;
import io.sweeplab.core.access.UserService;
import io.sweeplab.core.access.UserService.UserView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@RolesAllowed("user")
public class UserResource {

    public record NewUser(String username, String displayName, String password, Boolean admin) {}

    public record PasswordChange(String currentPassword, String newPassword) {}

    public record Disabled(Boolean disabled) {}

    private final UserService users;
    private final CurrentCaller caller;

    public UserResource(UserService users, CurrentCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Path("me")
    @Operation(summary = "The signed-in user with their teams and roles")
    public UserView me() {
        return users.me(caller.get());
    }

    @PUT
    @Path("me/password")
    @Operation(summary = "Change one's password: {currentPassword, newPassword}")
    public Response changePassword(@RequestBody(required = true) PasswordChange body) {
        PasswordChange b = Bodies.require(body);
        users.changePassword(caller.get(), b.currentPassword(), b.newPassword());
        return Response.noContent().build();
    }

    @GET
    @Path("users")
    @RolesAllowed("admin")
    @Operation(summary = "All users (administrators)")
    public List<UserView> list() {
        return users.users(caller.get());
    }

    @POST
    @Path("users")
    @RolesAllowed("admin")
    @Operation(summary = "Create a user: {username, displayName, password (12+ characters), admin} (administrators)")
    public Response create(@RequestBody(required = true) NewUser body) {
        NewUser b = Bodies.require(body);
        UserView u = users.create(caller.get(), b.username(), b.displayName(), b.password(), b.admin());
        return Response.created(URI.create("/api/users/" + u.username()))
                .entity(u)
                .build();
    }

    @GET
    @Path("users/{user}")
    @RolesAllowed("admin")
    @Operation(summary = "One user (administrators)")
    public UserView get(@PathParam("user") String user) {
        return users.user(caller.get(), user);
    }

    @PUT
    @Path("users/{user}/disabled")
    @RolesAllowed("admin")
    @Operation(summary = "Disable or enable a user: {disabled: true|false}; a disabled user is signed out at once")
    public UserView setDisabled(@PathParam("user") String user, @RequestBody(required = true) Disabled body) {
        Disabled b = Bodies.require(body);
        if (b.disabled() == null) {
            throw new io.sweeplab.core.error.InvalidInputException("disabled", "is required: true or false");
        }
        return users.setDisabled(caller.get(), user, b.disabled());
    }
}
