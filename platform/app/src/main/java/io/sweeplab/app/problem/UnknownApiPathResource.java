package io.sweeplab.app.problem;

import io.sweeplab.core.error.NotFoundException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Answers API paths no resource matches with a problem+json 404. Without it they would fall through to the
 * dashboard's servlet, which serves the single-page app's HTML for any path.
 */
@Path("/api/{path: .+}")
public class UnknownApiPathResource {

    @GET
    @Operation(hidden = true)
    public void get(@PathParam("path") String path) {
        throw unknown(path);
    }

    @POST
    @Operation(hidden = true)
    public void post(@PathParam("path") String path) {
        throw unknown(path);
    }

    @PUT
    @Operation(hidden = true)
    public void put(@PathParam("path") String path) {
        throw unknown(path);
    }

    @DELETE
    @Operation(hidden = true)
    public void delete(@PathParam("path") String path) {
        throw unknown(path);
    }

    @PATCH
    @Operation(hidden = true)
    public void patch(@PathParam("path") String path) {
        throw unknown(path);
    }

    private static NotFoundException unknown(String path) {
        return new NotFoundException("no API resource at /api/" + path);
    }
}
